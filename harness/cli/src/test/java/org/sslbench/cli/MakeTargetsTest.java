package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

/**
 * The Makefile and ./sslbench as a user calls them, under the C locale, with paths holding spaces,
 * a quote, a comma and non-ASCII characters: every path reaches the harness as one argument, DATA /
 * OUT / PLUGINS reach every command that reads a spec, the harness's exit code reaches the caller
 * of ./sslbench (and make explains the code it cannot pass on), and TensorFlow's start-up lines are
 * hidden unless TF_LOG=1.
 *
 * <p>make runs with {@code -o <jar>} (never rebuild: in {@code mvn install} the jar does not exist
 * yet at test time) and either a recording stand-in for java or the real harness from the test
 * class path ({@code SSLBENCH_CLASSPATH}).
 */
class MakeTargetsTest {
    static final Path ROOT = root();
    static final String JAR = "harness/cli/target/sslbench.jar";

    @TempDir
    static Path tmp;
    static Path fakeJava;
    static Path spec;
    static Path data;
    static Path out;
    static Path plugins;

    @BeforeAll
    static void paths() throws IOException {
        // Surefire runs this JVM with LC_ALL=C.UTF-8; a machine without that locale cannot name these files from Java.
        org.junit.jupiter.api.Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "the test JVM needs a UTF-8 locale for non-ASCII paths; sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding"));
        Path base = Files.createDirectories(tmp.resolve("it's, my données"));
        spec = base.resolve("tiny spec é.yaml");
        data = Files.createDirectories(base.resolve("data dir ü"));
        out = base.resolve("sortie été");
        // A `$` must reach the harness as typed, never as a make reference: $HOME is not $H + "OME", and
        // $(error boom) or an unterminated a$(b must neither stop make nor run (make exported and
        // expanded command-line variables into every recipe's environment).
        plugins = Files.createDirectories(base.resolve("my plugins ß $HOME $(error boom) a$(b"));
        fakeJava = tmp.resolve("fake java");
        // Records its arguments (one per line: none of the test's values holds a newline) and the
        // environment TensorFlow and Java would see, prints what TensorFlow 2.18 prints on a CPU,
        // and exits with FAKE_EXIT.
        Files.writeString(fakeJava, """
                #!/bin/bash
                printf '%s\\n' "$@" > "$FAKE_RECORD"
                printf 'LC_ALL=%s\\nTF_CPP_MIN_LOG_LEVEL=%s\\nTF_ENABLE_ONEDNN_OPTS=%s\\n' "${LC_ALL-}" \
                    "${TF_CPP_MIN_LOG_LEVEL-unset}" "${TF_ENABLE_ONEDNN_OPTS-unset}" > "$FAKE_RECORD.env"
                echo 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR' >&2
                echo 'I0000 00:00:1795984305.267660    5578 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled' >&2
                echo 'W0000 00:00:1795984305.267660    5578 some_op.cc:12] a real warning' >&2
                printf '\\rpretext  50%% [=====     ]' >&2
                printf '\\rpretext 100%% [==========]\\n' >&2
                echo 'sslbench: the harness says something' >&2
                echo 'to stdout'
                exit "${FAKE_EXIT:-0}"
                """);
        assertTrue(fakeJava.toFile().setExecutable(true));
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("Makefile")) && Files.exists(p.resolve("sslbench"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout root (Makefile + sslbench) above " + Path.of("").toAbsolutePath());
    }

    record Result(int code, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * Runs a command in the checkout under the C locale, with none of the caller's make variables
     * or TensorFlow log settings (Surefire's own TF_CPP_MIN_LOG_LEVEL would hide what the launcher must hide).
     */
    static Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_") || k.startsWith("MAKE") || k.equals("MFLAGS")
                || k.startsWith("TF_CPP") || k.startsWith("SSLBENCH_") || List.of("SPEC", "OUT", "DATA", "PLUGINS",
                "SHARD", "SHARDS", "ARGS", "DIR", "A", "B", "METHOD", "N", "DATASET", "GPU", "JAVA", "JAVA_OPTS", "TF_LOG",
                "ROUNDS", "PYTHON", "BACKBONE", "SEED", "PRETEXT", "TO").contains(k));
        e.put("LC_ALL", "C");
        e.putAll(env);
        Path stdout = Files.createTempFile(tmp, "stdout", ".txt");
        Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        int code = p.waitFor();
        return new Result(code, Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    static Result make(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", "-o", JAR));
        command.addAll(Arrays.asList(args));
        return run(env, command.toArray(String[]::new));
    }

    /** The arguments the stand-in java was given, after {@code -jar <jar>}; asserts that prefix. */
    static List<String> recordedArgs(Path record) throws IOException {
        List<String> all = Files.readAllLines(record, StandardCharsets.UTF_8);
        int jar = all.indexOf("-jar");
        assertTrue(jar >= 0, "launched with -jar: " + all);
        assertEquals(ROOT.resolve(JAR).toString(), all.get(jar + 1));
        return all.subList(jar + 2, all.size());
    }

    private static Map<String, String> fake(Path record, int exit) {
        return Map.of("JAVA", fakeJava.toString(), "FAKE_RECORD", record.toString(), "FAKE_EXIT", String.valueOf(exit));
    }

    private static String var(String name, Path value) {
        return name + "=" + value;
    }

    @Test
    void everyTargetPassesEachUserPathAsOneArgumentAndHonoursDataOutPlugins() throws Exception {
        String s = spec.toString();
        String d = data.toString();
        String o = out.toString();
        String p = plugins.toString();
        Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        expected.put("bench", List.of("bench", "--spec", s, "--out", o, "--data", d, "--plugins", p, "--shard", "0/2", "--quiet"));
        expected.put("validate", List.of("validate", "--spec", s, "--out", o, "--data", d, "--plugins", p));
        expected.put("merge", List.of("merge", "--spec", s, "--out", o, "--data", d, "--plugins", p));
        expected.put("slurm", List.of("slurm", "--spec", s, "--shards", "3", "--out", o, "--data", d, "--plugins", p));
        expected.put("list", List.of("list", "--plugins", p, "--method", "simclr"));
        expected.put("views", List.of("views", "--spec", s, "--out", o, "--method", "simclr", "--images", "4", "--data", d,
                "--plugins", p));
        expected.put("compare", List.of("compare", s, d, "--out", o));
        expected.put("report", List.of("report", o));
        expected.put("data", List.of("data", "--dataset", "stl10", "--data", d, "--quiet"));
        expected.put("perf", List.of("perf", "--case", "a b"));
        expected.put("export", List.of("export", "--spec", s, "--out", o, "--data", d, "--plugins", p, "--method", "simclr",
                "--dataset", "stl10", "--backbone", "small-cnn", "--seed", "1", "--pretext", s, "--to", p, "--force"));
        for (var e : expected.entrySet()) {
            Path record = tmp.resolve("args-" + e.getKey());
            String args = e.getKey().equals("perf") ? "ARGS=--case 'a b'" : e.getKey().equals("bench") || e.getKey().equals("data")
                    ? "ARGS=--quiet" : e.getKey().equals("export") ? "ARGS=--force" : "ARGS=";
            Result r = make(fake(record, 0), e.getKey(), var("SPEC", spec), var("DATA", data), var("OUT", out),
                    var("PLUGINS", plugins), "SHARD=0/2", "SHARDS=3", "METHOD=simclr", "N=4", "DATASET=stl10",
                    var("A", spec), var("B", data), var("DIR", out), args, "JAVA_OPTS=-Xmx1g -Dx=a",
                    "BACKBONE=small-cnn", "SEED=1", var("PRETEXT", spec), var("TO", plugins));
            assertEquals(0, r.code(), e.getKey() + ": " + r);
            assertEquals(e.getValue(), recordedArgs(record), "make " + e.getKey());
            List<String> all = Files.readAllLines(record, StandardCharsets.UTF_8);
            assertEquals(List.of("-Xmx1g", "-Dx=a"), all.subList(0, 2), "JAVA_OPTS split into options: " + all);
        }
    }

    /** repro-peer checks for PyTorch only when it will run the peer: ARGS=--no-run needs none. */
    @Test
    void reproPeerNeedsPyTorchOnlyWithoutNoRun() throws Exception {
        Path noTorch = tmp.resolve("python without torch");
        Path record = tmp.resolve("args-repro-peer");
        Result r = make(fake(record, 0), "repro-peer", var("SPEC", spec), var("PYTHON", noTorch), "ARGS=--quiet --no-run");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("repro-peer", "--peer", "bench/peers/rotation_cifar10.py", "--python", noTorch.toString(),
                "--spec", spec.toString(), "--quiet", "--no-run"), recordedArgs(record));

        Files.deleteIfExists(record);
        for (String args : List.of("ARGS=", "ARGS=--no-running")) {
            r = make(fake(record, 0), "repro-peer", var("SPEC", spec), var("PYTHON", noTorch), args);
            assertEquals(2, r.code(), args + ": " + r);
            assertTrue(r.stdout().contains("repro-peer needs PyTorch for " + noTorch), args + ": " + r);
            assertFalse(Files.exists(record), args + ": the harness must not start");
        }
    }

    @Test
    void underTheCLocaleJavaRunsWithAUtf8LocaleAndQuietTensorFlow() throws Exception {
        Path record = tmp.resolve("args-locale");
        Result r = make(fake(record, 0), "list", var("PLUGINS", plugins));
        assertEquals(0, r.code(), r.toString());
        List<String> env = Files.readAllLines(Path.of(record + ".env"), StandardCharsets.UTF_8);
        String locale = env.get(0).substring("LC_ALL=".length());
        if (utf8LocaleAvailable()) {
            assertTrue(locale.matches("(?i).*\\.utf-?8"), "java gets a UTF-8 locale under LC_ALL=C: " + env);
        } else {
            assertEquals("C", locale, "no UTF-8 locale on this machine: the user's stays");
        }
        assertEquals("TF_CPP_MIN_LOG_LEVEL=1", env.get(1));
        assertEquals("TF_ENABLE_ONEDNN_OPTS=1", env.get(2));

        Result keep = run(Map.of("JAVA", fakeJava.toString(), "FAKE_RECORD", record.toString(), "SSLBENCH_LOCALE", "keep",
                "SSLBENCH_CLASSPATH", "unused"), "./sslbench", "list");
        assertEquals(0, keep.code(), keep.toString());
        assertEquals("LC_ALL=C", Files.readAllLines(Path.of(record + ".env")).get(0), "SSLBENCH_LOCALE=keep keeps it");
    }

    static boolean utf8LocaleAvailable() throws Exception {
        Process p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return all.lines().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).matches(".*\\.utf-?8"));
    }

    @Test
    void tensorFlowStartUpLinesAreHiddenUnlessTfLogAndEverythingElseStays() throws Exception {
        Path record = tmp.resolve("args-noise");
        Result quiet = make(fake(record, 0), "list");
        assertEquals(0, quiet.code(), quiet.toString());
        assertFalse(quiet.stderr().contains("absl::InitializeLog"), quiet.stderr());
        assertFalse(quiet.stderr().contains("mlir_graph_optimization_pass"), quiet.stderr());
        assertTrue(quiet.stderr().contains("W0000 00:00:1795984305.267660    5578 some_op.cc:12] a real warning\n"), quiet.stderr());
        assertTrue(quiet.stderr().contains("\rpretext  50% [=====     ]\rpretext 100% [==========]\n"), quiet.stderr());
        assertTrue(quiet.stderr().endsWith("sslbench: the harness says something\n"), quiet.stderr());
        assertEquals("to stdout\n", quiet.stdout().lines().filter(l -> !l.contains("./sslbench")).map(l -> l + "\n")
                .reduce("", String::concat));

        Map<String, String> verbose = new HashMap<>(fake(record, 0));
        verbose.put("TF_LOG", "1");
        Result loud = make(verbose, "list");
        assertTrue(loud.stderr().contains("WARNING: All log messages before absl::InitializeLog() is called"), loud.stderr());
        assertTrue(loud.stderr().contains("MLIR V1 optimization pass is not enabled"), loud.stderr());
        assertEquals("TF_CPP_MIN_LOG_LEVEL=unset", Files.readAllLines(Path.of(record + ".env")).get(1));
    }

    @Test
    void theLauncherExitsWithTheHarnessCodeAndMakeNamesIt() throws Exception {
        Path record = tmp.resolve("args-exit");
        for (int code : new int[] {1, 2, 3}) {
            Map<String, String> env = new HashMap<>(fake(record, code));
            env.put("SSLBENCH_CLASSPATH", "unused"); // never build: the stand-in runs either way
            assertEquals(code, run(env, "./sslbench", "bench", "--spec", spec.toString()).code());
            Result viaMake = make(fake(record, code), "bench", var("SPEC", spec));
            assertEquals(2, viaMake.code(), "GNU make exits 2 whatever the recipe's code: " + viaMake);
            assertTrue(viaMake.stderr().contains("sslbench: exit code " + code + ": "), viaMake.toString());
            assertTrue(viaMake.stderr().contains("  ./sslbench bench --spec '" + spec.toString().replace("'", "'\\''") + "'\n"),
                    "the command that passes the code on, pasteable: " + viaMake);
        }
        assertTrue(make(fake(record, 1), "bench").stderr().contains("some cells diverged or failed"));
    }

    @Test
    void anUndecodableArgumentIsBadInputWithAClearMessage() {
        assertEquals("/data/donn\uFFFD\uFFFDes", Main.undecodedArgument(new String[] {"--data", "/data/donn\uFFFD\uFFFDes"},
                "ANSI_X3.4-1968"));
        assertNull(Main.undecodedArgument(new String[] {"--data", "/data/plain"}, "ANSI_X3.4-1968"));
        assertNull(Main.undecodedArgument(new String[] {"--data", "/data/donn\uFFFDes"}, "UTF-8"), "UTF-8 decoded it as typed");
    }

    /** The real harness from the test class path, started by make under LC_ALL=C. */
    private static Map<String, String> real(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("JAVA_OPTS", "-Xmx2g");
        env.put("SSLBENCH_CLASSPATH", System.getProperty("java.class.path"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void realHarnessUnderTheCLocaleReadsNonAsciiPathsAndValidateChecksTheDataBenchWouldRead() throws Exception {
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 4, 2, 1), true);
        org.sslbench.testing.PluginJars.build(plugins, "nan.jar", Map.of("ext.nan.NanMethod", RobustnessTest.NAN_METHOD),
                "org.sslbench.method.Method", "ext.nan.NanMethod");
        Files.writeString(spec, """
                name: tiny
                datasets: [fashion-mnist]
                backbone: small-cnn
                methods: [supervised, nan]
                labels: {per_class: [1]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 16}
                protocols:
                  knn: {k: 3}
                """);
        if (!utf8LocaleAvailable()) {
            Result r = make(real(), "validate", var("SPEC", spec), var("DATA", data), var("PLUGINS", plugins));
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.stderr().contains("cannot represent"), "no UTF-8 locale here: a clear message instead: " + r);
            return;
        }
        Result list = make(real(), "list", var("PLUGINS", plugins));
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.stdout().contains("from " + plugins.resolve("nan.jar")), list.stdout());

        Result ok = make(real(), "validate", var("SPEC", spec), var("DATA", data), var("PLUGINS", plugins), var("OUT", out));
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.stdout().contains(spec + ": ok (1 datasets"), ok.stdout());

        // make slurm writes a script whose tasks get the same paths, each as one argument.
        Result slurm = make(real(), "slurm", var("SPEC", spec), "SHARDS=2", var("DATA", data), var("PLUGINS", plugins),
                var("OUT", out));
        assertEquals(0, slurm.code(), slurm.toString());
        String script = Files.readString(out.resolve("slurm.sh"), StandardCharsets.UTF_8);
        Path fakeCheckout = Files.createDirectories(tmp.resolve("fake checkout"));
        Path record = tmp.resolve("args-slurm-task");
        Files.writeString(fakeCheckout.resolve("sslbench"), "#!/bin/bash\nprintf '%s\\n' \"$@\" > '" + record + "'\n");
        assertTrue(fakeCheckout.resolve("sslbench").toFile().setExecutable(true));
        String cd = "\ncd '" + ROOT + "'\n";
        assertTrue(script.contains(cd), script);
        Path task = tmp.resolve("task.sh");
        Files.writeString(task, script.replace(cd, "\ncd '" + fakeCheckout + "'\n"));
        Result ran = run(Map.of("SLURM_ARRAY_TASK_ID", "1"), "bash", task.toString());
        assertEquals(0, ran.code(), ran.toString());
        assertEquals(List.of("bench", "--spec", spec.toString(), "--out", out.toString(), "--data", data.toString(),
                "--plugins", plugins.toString(), "--shard", "1/2", "--quiet"), Files.readAllLines(record, StandardCharsets.UTF_8));
        assertTrue(script.contains("#SBATCH --output=\"" + out + "/slurm-%A_%a.out\"\n"), "sbatch reads a quoted path: " + script);

        // DATA is what validate checks: a missing dataset directory is reported exactly as bench reports it.
        Path missing = data.resolveSibling("no such dir ü");
        Result validate = make(real(), "validate", var("SPEC", spec), var("DATA", missing), var("PLUGINS", plugins));
        Result bench = run(real(), "./sslbench", "bench", "--spec", spec.toString(), "--data", missing.toString(), "--plugins",
                plugins.toString(), "--out", out.toString());
        assertEquals(Main.BAD_INPUT, bench.code(), bench.toString());
        String reason = bench.stderr().lines().filter(l -> l.startsWith("sslbench: ")).findFirst().orElse(null);
        assertNotNull(reason, bench.toString());
        assertTrue(reason.contains(missing + ": directory does not exist"), reason);
        assertEquals(2, validate.code(), validate.toString());
        assertTrue(validate.stderr().startsWith(reason + "\n"), "validate says what bench says:\n" + reason + "\n" + validate);
        assertFalse(Files.exists(out.resolve("cells.csv")) || Files.exists(out.resolve("spec.yaml")), "nothing written by failed checks");

        // OUT is checked by validate as bench checks it before any work: a results directory under a file.
        Path under = Files.writeString(tmp.resolve("a file é"), "x").resolve("results");
        Result validateOut = make(real(), "validate", var("SPEC", spec), var("DATA", data), var("PLUGINS", plugins),
                var("OUT", under));
        Result benchOut = run(real(), "./sslbench", "bench", "--spec", spec.toString(), "--data", data.toString(), "--plugins",
                plugins.toString(), "--out", under.toString());
        for (Result r : List.of(validateOut, benchOut)) {
            assertEquals(Main.BAD_INPUT, r.code(), r.toString());
            assertTrue(r.stderr().contains("results directory " + under + " is not writable"), r.toString());
        }

        // Without the launcher's locale, Java cannot name the file: a clear message, exit 2.
        Result keep = make(real("SSLBENCH_LOCALE", "keep"), "validate", var("SPEC", spec), var("DATA", data));
        assertEquals(2, keep.code(), keep.toString());
        assertTrue(keep.stderr().contains("cannot represent") && keep.stderr().contains("LC_ALL=C.UTF-8"), keep.toString());
    }

    @Test
    void realRunWithADivergingCellExits1ThroughTheLauncherAndMakeSaysSo() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("run ü/data"));
        Path p = Files.createDirectories(tmp.resolve("run ü/plugins"));
        FormatWriters.writeFashionMnist(d, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 4, 2, 1), true);
        org.sslbench.testing.PluginJars.build(p, "nan.jar", Map.of("ext.nan.NanMethod", RobustnessTest.NAN_METHOD),
                "org.sslbench.method.Method", "ext.nan.NanMethod");
        Path s = tmp.resolve("run ü/nan spec.yaml");
        Files.writeString(s, """
                name: nan
                datasets: [fashion-mnist]
                backbone: small-cnn
                methods: [nan]
                labels: {per_class: [1]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 16}
                protocols:
                  knn: {k: 3}
                """);
        Result direct = run(real(), "./sslbench", "bench", "--spec", s.toString(), "--data", d.toString(), "--plugins",
                p.toString(), "--out", tmp.resolve("run ü/direct").toString(), "--quiet");
        assertEquals(Main.CELLS_FAILED, direct.code(), direct.toString());
        for (String noise : List.of("cpu_feature_guard", "absl::InitializeLog", "mlir_graph_optimization_pass", "port.cc")) {
            assertFalse(direct.stderr().contains(noise), "TensorFlow start-up line '" + noise + "' shown: " + direct.stderr());
        }
        Result viaMake = make(real(), "bench", var("SPEC", s), var("DATA", d), var("PLUGINS", p),
                var("OUT", tmp.resolve("run ü/make")), "ARGS=--quiet");
        assertEquals(2, viaMake.code(), viaMake.toString());
        assertTrue(viaMake.stderr().contains("sslbench: exit code 1: some cells diverged or failed"), viaMake.toString());
        assertTrue(Files.readString(tmp.resolve("run ü/make/cells.csv"), StandardCharsets.UTF_8).contains("diverged"));
    }
}
