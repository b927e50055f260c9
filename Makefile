# sslbench: the README's two commands are `make bench` and `make test`.
#   make bench [SPEC=specs/x.yaml] [OUT=dir] [DATA=dir] [PLUGINS=dir] [SHARD=i/n] [ARGS="--fail-fast --quiet"]
#   make perf / make perf-peer   throughput benchmarks (results/perf/), ours vs PyTorch
#   make repro-peer [SPEC=...] [DATA=dir] [OUT=dir] [PYTHON=...]   a rotation spec's fine-tune cells in the PyTorch
#                    peer (bench/peers/rotation_cifar10.py) -> <results>/peer/, printed beside ours (run make bench first)
#   make perf-levers [ROUNDS=3]   each speed lever's measured effect on the ResNet-20 step (results/perf/levers.csv)
#   make merge [SPEC=...] [OUT=dir] [DATA=dir] [PLUGINS=dir]   join results/<spec>/shard-*-of-*/ into results/<spec>/
#   make slurm SPEC=... SHARDS=n [GPU=1] [DATA=dir] [OUT=dir] [PLUGINS=dir]   write results/<spec>/slurm.sh (a job array, one shard per task)
#   make test        all unit and end-to-end tests (JUnit 5 via Maven Surefire)
#   make list [PLUGINS=dir] [METHOD=name]   methods (params, presets with their sources, augmentation per view, head shapes), datasets, backbones, protocols and the jar each came from
#   make validate SPEC=... [OUT=dir] [DATA=dir] [PLUGINS=dir]   check a spec, and the data files bench would read, without running it
#   make views [SPEC=...] [OUT=views.png] [METHOD=name] [N=8] [DATA=dir] [PLUGINS=dir]
#                    PNG grids of each pretraining method's augmented views
#   make export [SPEC=...] [OUT=dir] [DATA=dir] [PLUGINS=dir] [METHOD=..] [DATASET=..] [BACKBONE=..] [SEED=n]
#               [PRETEXT=hash|file.ckpt] [TO=dir] [ARGS=--force]   a trained encoder as a TensorFlow SavedModel + model card
#                    (default TO: <results>/export/<method>-<dataset>-<backbone>-seed<n>-<hash>; lists the choices when ambiguous)
#   make plugin-example   builds examples/plugin-template and copies its jar to examples/plugins/
#   make compare A=results/x/leaderboard.csv B=results/reference/t.csv [OUT=cmp.csv]   join two result tables
#   make report DIR=results/x   regenerate report.md and plots/ of a results directory
#   make data DATASET=cifar10|stl10|fashion-mnist [DATA=dir]   download + verify + unpack (default DATA=data)
#   make example-folder [DATA=dir]   the embedded Fashion-MNIST subset as PNG class folders (DATA/fashion-mnist-folder/)
# Paths (SPEC, OUT, DATA, PLUGINS, DIR, A, B, TO, PRETEXT) may hold spaces, quotes, $ and non-ASCII characters:
# each reaches the harness as one argument, also under LANG=C (./sslbench then runs java with a
# UTF-8 locale). ARGS is split by the shell: quote inside it.
# Every target runs ./sslbench, which hides TensorFlow's start-up lines (TF_LOG=1 shows them).
# Exit codes: make exits 2 whenever the harness exits non-zero (GNU make cannot pass a code on);
# the harness's own code and its meaning are printed above make's error line. Scripts that need
# it (1 = some cells failed vs 2 = bad input) run ./sslbench bench ... directly (README, Exit codes).
SHELL := /bin/bash
MVN ?= mvn -B -q
JAVA ?= java
JAVA_OPTS ?= -Xmx8g -XX:+UseParallelGC
JAR := harness/cli/target/sslbench.jar
SOURCES := $(shell find pom.xml harness plugins specs -path '*/target' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' -o -name 'org.sslbench.*' -o -name '*.gz' \) -print)

# TensorFlow's oneDNN CPU kernels: unset, TF 2.18 turns them on only on CPUs with AVX512_VNNI/BF16,
# AVX_VNNI or AMX; set to 1 so every CPU runs the same kernels, about 2x faster training here
# (make perf-levers). TF_ENABLE_ONEDNN_OPTS=0 on the command line turns them off.
export TF_ENABLE_ONEDNN_OPTS ?= 1

# One shell word per value, whatever it holds: 'it'\''s' for it's.
quote = '$(subst ','\'',$(1))'
# An option and the value of the variable named $(2), or nothing when it is empty. $(value ...)
# takes what the user typed as it is: make would otherwise expand a `$` in a path
# (DATA='/d/$HOME' would become /d/OME).
opt = $(if $(value $(2)),$(1) $(call quote,$(value $(2))))
# The launcher reads JAVA and JAVA_OPTS from the environment; make has just built the jar, and
# SSLBENCH_VIA_MAKE tells the launcher to explain a non-zero exit (make only reports "Error").
export JAVA JAVA_OPTS
export SSLBENCH_VIA_MAKE := 1
RUN := ./sslbench
# Make would export command-line variables to every recipe's environment, expanding them on the
# way: a path holding `$(shell ...)` would run it. The launcher gets them as arguments instead.
unexport SPEC OUT DATA PLUGINS DIR A B METHOD N SHARD SHARDS ROUNDS DATASET ARGS BACKBONE SEED PRETEXT TO

.PHONY: build bench test list validate data views export plugin-example compare report merge slurm perf perf-peer perf-levers repro-peer example-folder clean

build: $(JAR)

# GPU=1 builds with the CUDA natives (-Pgpu); the stamp forces a rebuild when the choice changes.
PROFILE_STAMP := harness/cli/target/.profile-$(if $(GPU),gpu,cpu)

$(PROFILE_STAMP):
	@mkdir -p $(dir $@) && rm -f harness/cli/target/.profile-* && touch $@

$(JAR): $(SOURCES) $(PROFILE_STAMP)
	$(MVN) -DskipTests install $(if $(GPU),-Pgpu)
	@touch $(JAR)

bench: $(JAR)
	$(RUN) bench $(call opt,--spec,SPEC) $(call opt,--out,OUT) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS) $(call opt,--shard,SHARD) $(value ARGS)

# Clusters: every shard runs whole pretext groups into results/<spec>/shard-i-of-n/; merge joins them.
# Benchmarks (not tests): results/perf/perf.csv; perf-peer alternates with the PyTorch peer.
perf: $(JAR)
	$(RUN) perf $(value ARGS)

# Debian's python3-torch installs for /usr/bin/python3, which may not be the python3 on PATH.
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

perf-peer: $(JAR)
	@$(call quote,$(PYTHON)) -c 'import torch' 2>/dev/null || { echo "perf-peer needs PyTorch for $(PYTHON): apt-get install python3-torch"; exit 2; }
	$(RUN) perf --peer bench/peers/pytorch_resnet20.py --python $(call quote,$(PYTHON)) $(value ARGS)

# The rotation reproduction again in PyTorch, on our label subsets and pretext pool; compared with our cells.
# --no-run (in ARGS) only writes the peer's config and reads back its outputs: no PyTorch needed.
repro-peer: $(JAR)
	@$(if $(filter --no-run,$(value ARGS)),true,$(call quote,$(PYTHON)) -c 'import torch' 2>/dev/null || { echo "repro-peer needs PyTorch for $(PYTHON): apt-get install python3-torch (or make repro-peer PYTHON=<python with torch>)"; exit 2; })
	$(RUN) repro-peer --peer bench/peers/rotation_cifar10.py --python $(call quote,$(PYTHON)) $(call opt,--spec,SPEC) $(call opt,--out,OUT) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS) $(value ARGS)

# Each lever in its own JVM (oneDNN is read from the environment at load), rounds alternate.
perf-levers: $(JAR)
	$(RUN) perf --levers $(if $(shell $(call quote,$(PYTHON)) -c 'import torch' 2>/dev/null && echo y),--peer bench/peers/pytorch_resnet20.py --python $(call quote,$(PYTHON))) $(call opt,--rounds,ROUNDS) $(value ARGS)

merge: $(JAR)
	$(RUN) merge $(call opt,--spec,SPEC) $(call opt,--out,OUT) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS)

slurm: $(JAR)
	@$(if $(and $(value SPEC),$(value SHARDS)),true,echo "usage: make slurm SPEC=specs/x.yaml SHARDS=n [GPU=1] [DATA=dir] [OUT=dir] [PLUGINS=dir]"; exit 2)
	$(RUN) slurm $(call opt,--spec,SPEC) $(call opt,--shards,SHARDS) $(if $(value GPU),--gpu) $(call opt,--out,OUT) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS)

list: $(JAR)
	$(RUN) list $(call opt,--plugins,PLUGINS) $(call opt,--method,METHOD)

validate: $(JAR)
	$(RUN) validate $(call opt,--spec,SPEC) $(call opt,--out,OUT) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS)

views: $(JAR)
	$(RUN) views $(call opt,--spec,SPEC) $(call opt,--out,OUT) $(call opt,--method,METHOD) $(call opt,--images,N) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS)

export: $(JAR)
	$(RUN) export $(call opt,--spec,SPEC) $(call opt,--out,OUT) $(call opt,--data,DATA) $(call opt,--plugins,PLUGINS) $(call opt,--method,METHOD) $(call opt,--dataset,DATASET) $(call opt,--backbone,BACKBONE) $(call opt,--seed,SEED) $(call opt,--pretext,PRETEXT) $(call opt,--to,TO) $(value ARGS)

# The template is not a module of this build: it is built as a third party would, against the
# sslbench-core that `make build` installed into ~/.m2.
plugin-example: $(JAR)
	$(MVN) -f examples/plugin-template/pom.xml package
	mkdir -p examples/plugins
	cp examples/plugin-template/target/flip-method-*.jar examples/plugins/

compare: $(JAR)
	@$(if $(and $(value A),$(value B)),true,echo "usage: make compare A=<leaderboard.csv|results dir|reference.csv> B=<...> [OUT=file.csv]"; exit 2)
	$(RUN) compare $(call quote,$(value A)) $(call quote,$(value B)) $(call opt,--out,OUT)

report: $(JAR)
	@$(if $(value DIR),true,echo "usage: make report DIR=results/<spec name>"; exit 2)
	$(RUN) report $(call quote,$(value DIR))

ifneq ($(filter data,$(MAKECMDGOALS)),)
ifeq ($(value DATASET),)
$(error DATASET is required: make data DATASET=cifar10|stl10|fashion-mnist [DATA=dir])
endif
endif

data: $(JAR)
	$(RUN) data $(call opt,--dataset,DATASET) $(call opt,--data,DATA) $(value ARGS)

# The embedded Fashion-MNIST subset as PNG folders (DATA/fashion-mnist-folder/), for specs/folder-example.yaml.
example-folder: $(JAR)
	$(RUN) example-folder $(call opt,--data,DATA)

test:
	mvn -B install

clean:
	$(MVN) clean
