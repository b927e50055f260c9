# sslbench: the README's two commands are `make bench` and `make test`.
#   make bench [SPEC=specs/x.yaml] [OUT=dir] [DATA=dir] [PLUGINS=dir] [ARGS="--fail-fast --quiet"]
#   make test        all unit and end-to-end tests (JUnit 5 via Maven Surefire)
#   make list        methods, datasets, backbones, protocols and the jar each came from
#   make validate SPEC=...   check a spec without running it
#   make data DATASET=cifar10|stl10|fashion-mnist [DATA=dir]   download + verify + unpack (default DATA=data)
SHELL := /bin/bash
MVN ?= mvn -B -q
JAVA ?= java
JAVA_OPTS ?= -Xmx8g -XX:+UseParallelGC
JAR := harness/cli/target/sslbench.jar
SOURCES := $(shell find pom.xml harness plugins specs -path '*/target' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' -o -name 'org.sslbench.*' -o -name '*.gz' \) -print)

opt = $(if $(2),$(1) $(2))
RUN := $(JAVA) $(JAVA_OPTS) -jar $(JAR)

.PHONY: build bench test list validate data clean

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) -DskipTests install
	@touch $(JAR)

bench: $(JAR)
	$(RUN) bench $(call opt,--spec,$(SPEC)) $(call opt,--out,$(OUT)) $(call opt,--data,$(DATA)) $(call opt,--plugins,$(PLUGINS)) $(ARGS)

list: $(JAR)
	$(RUN) list $(call opt,--plugins,$(PLUGINS))

validate: $(JAR)
	$(RUN) validate $(call opt,--spec,$(SPEC)) $(call opt,--plugins,$(PLUGINS))

ifneq ($(filter data,$(MAKECMDGOALS)),)
ifeq ($(DATASET),)
$(error DATASET is required: make data DATASET=cifar10|stl10|fashion-mnist [DATA=dir])
endif
endif

data: $(JAR)
	$(RUN) data --dataset $(DATASET) $(call opt,--data,$(DATA)) $(ARGS)

test:
	mvn -B install

clean:
	$(MVN) clean
