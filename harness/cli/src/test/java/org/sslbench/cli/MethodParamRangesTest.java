package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every built-in method's params have a declared range, which {@code validate} and {@code bench}
 * enforce before any work (file:line:field, exit 2) and {@code list} shows (issue 10, case 5).
 */
class MethodParamRangesTest {
    @TempDir
    Path tmp;

    /** The embedded dataset needs no files, so nothing but the param can be wrong; the param is on line 7. */
    private Path spec(String method, String param) throws IOException {
        return Files.writeString(tmp.resolve(method + ".yaml"), """
                name: ranges
                datasets: [fashion-mnist-embedded]
                backbone: small-cnn
                labels: [100]
                protocols: {knn: {k: 5}}
                methods:
                  - {name: %s, params: {%s}}
                """.formatted(method, param));
    }


    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            simclr  | temperature: 0        | simclr param 'temperature' must be >= 0.0001, got 0
            simclr  | temperature: 1.0e-46  | simclr param 'temperature' must be >= 0.0001, got 1.0E-46
            simclr  | proj_output_dim: 0    | simclr param 'proj_output_dim' must be in [1, 16384], got 0
            simclr  | proj_output_dim: 2000000000 | simclr param 'proj_output_dim' must be in [1, 16384], got 2000000000
            moco    | momentum: 1.5         | moco param 'momentum' must be in [0, 1], got 1.5
            moco    | queue_size: 0         | moco param 'queue_size' must be in [1, 100000], got 0
            moco    | queue_size: 2000000000 | moco param 'queue_size' must be in [1, 100000], got 2000000000
            moco    | temperature: -0.2     | moco param 'temperature' must be >= 0.0001, got -0.2
            moco    | temperature: 1.0e-46  | moco param 'temperature' must be >= 0.0001, got 1.0E-46
            byol    | tau: 1.01             | byol param 'tau' must be in [0, 1], got 1.01
            byol    | tau: 1.0e-300         | byol param 'tau' must be 0 or of magnitude between 1.17549435E-38 and 3.4028235E38
            byol    | proj_output_dim: 0    | byol param 'proj_output_dim' must be in [1, 16384], got 0
            byol    | projector_dim: 0      | byol param 'projector_dim' must be in [1, 16384], got 0
            simsiam | pred_hidden_dim: 0    | simsiam param 'pred_hidden_dim' must be in [1, 16384], got 0
            barlow  | lambda: -0.005        | barlow param 'lambda' must be >= 0, got -0.005
            barlow  | lambda: 1.0e-300      | barlow param 'lambda' must be 0 or of magnitude between 1.17549435E-38 and 3.4028235E38
            vicreg  | nu: -1                | vicreg param 'nu' must be >= 0, got -1
            vicreg  | nu: 1.0e+300          | vicreg param 'nu' must be 0 or of magnitude between 1.17549435E-38 and 3.4028235E38
            vicreg  | proj_output_dim: 65536 | vicreg param 'proj_output_dim' must be in [1, 16384], got 65536
            vicreg  | expander_dim: 65536   | vicreg param 'expander_dim' must be in [1, 16384], got 65536
            nnclr   | temperature: 0        | nnclr param 'temperature' must be >= 0.0001, got 0
            nnclr   | queue_size: -4        | nnclr param 'queue_size' must be in [1, 100000], got -4
            nnclr   | queue_size: 100001    | nnclr param 'queue_size' must be in [1, 100000], got 100001
            dino    | base_tau: 1.5         | dino param 'base_tau' must be in [0, 1], got 1.5
            dino    | teacher_temperature: 0 | dino param 'teacher_temperature' must be >= 0.0001, got 0
            dino    | center_momentum: -0.1 | dino param 'center_momentum' must be in [0, 1], got -0.1
            dino    | local_crops: -1       | dino param 'local_crops' must be >= 0, got -1
            dino    | num_prototypes: 0     | dino param 'num_prototypes' must be in [1, 16384], got 0
            swav    | sinkhorn_epsilon: 0   | swav param 'sinkhorn_epsilon' must be >= 0.0001, got 0
            swav    | sinkhorn_iterations: 0 | swav param 'sinkhorn_iterations' must be in [1, 100], got 0
            swav    | local_crops: -1       | swav param 'local_crops' must be in [0, 32], got -1
            swav    | queue_size: -1        | swav param 'queue_size' must be in [0, 100000], got -1
            """)
    void validateAndBenchRefuseAnOutOfRangeParamBeforeAnyWork(String method, String param, String message)
            throws IOException {
        Path spec = spec(method, param);
        String field = "methods[0].params." + param.substring(0, param.indexOf(':'));
        CliRun validate = CliRun.of("validate", "--spec", spec.toString());
        assertEquals(Main.BAD_INPUT, validate.code(), validate.err());
        assertTrue(validate.err().contains(spec + ":7: " + field + ": " + message), validate.err());
        Path out = tmp.resolve("out-" + method);
        CliRun bench = CliRun.of("bench", "--spec", spec.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.BAD_INPUT, bench.code(), bench.err());
        assertTrue(bench.err().contains(spec + ":7: " + field + ": " + message), bench.err());
        assertFalse(Files.exists(out.resolve("cells.csv")), "no work may start");
    }

    /**
     * Issue 15: the head widths' old names (before solo-learn's proj_hidden_dim / proj_output_dim /
     * pred_hidden_dim) still validate, with a note naming the new keys, and give the same settings
     * (hence the same cells) as the new names; writing both is refused naming both lines.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            byol    | projector_hidden: 64, projector_dim: 16, predictor_hidden: 32 | proj_hidden_dim: 64, proj_output_dim: 16, pred_hidden_dim: 32
            moco    | projector_hidden: 64, projector_dim: 16                       | proj_hidden_dim: 64, proj_output_dim: 16
            simsiam | projector_dim: 48, predictor_hidden: 12                       | proj_hidden_dim: 48, proj_output_dim: 48, pred_hidden_dim: 12
            barlow  | projector_dim: 48                                             | proj_hidden_dim: 48, proj_output_dim: 48
            vicreg  | expander_dim: 48                                              | proj_hidden_dim: 48, proj_output_dim: 48
            """)
    void oldHeadWidthNamesReadAsTheNewOnesWithANote(String method, String old, String renamed) throws IOException {
        CliRun before = CliRun.of("validate", "--spec", spec(method, old).toString());
        assertEquals(Main.OK, before.code(), before.err());
        String firstOld = old.substring(0, old.indexOf(':'));
        assertTrue(before.out().contains(" line 7: " + method + " param '" + firstOld + "' is now '"), before.out());
        Path renamedSpec = Files.move(spec(method, renamed), tmp.resolve(method + "-renamed.yaml"));
        CliRun after = CliRun.of("validate", "--spec", renamedSpec.toString());
        assertEquals(Main.OK, after.code(), after.err());
        assertFalse(after.out().contains("is now"), after.out());
        assertEquals(settings(after.out()), settings(before.out()));
        assertTrue(settings(before.out()).contains("params.proj_hidden_dim="), before.out());
    }

    private static String settings(String validateOut) {
        return validateOut.lines().filter(l -> l.startsWith("settings: ")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void anOldHeadWidthNameWithItsNewOneIsRefused() throws IOException {
        Path spec = Files.writeString(tmp.resolve("both.yaml"), """
                name: ranges
                datasets: [fashion-mnist-embedded]
                backbone: small-cnn
                labels: [100]
                protocols: {knn: {k: 5}}
                methods:
                  - name: byol
                    params:
                      proj_output_dim: 64
                      projector_dim: 32
                """);
        CliRun r = CliRun.of("validate", "--spec", spec.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.out());
        assertTrue(r.err().contains(spec + ":10: methods[0].params.projector_dim: byol param 'projector_dim' is the old"
                + " name of 'proj_output_dim', which line 9 also sets: keep only 'proj_output_dim'"), r.err());
    }

    @Test
    void inRangeValuesValidate() throws IOException {
        CliRun r = CliRun.of("validate", "--spec", spec("moco", "momentum: 1, temperature: 0.07, queue_size: 1").toString());
        assertEquals(Main.OK, r.code(), r.err());
        // The ends of the ranges themselves: the floor temperature, the largest queue and width.
        CliRun edges = CliRun.of("validate", "--spec",
                spec("moco", "temperature: 0.0001, queue_size: 100000, proj_output_dim: 16384").toString());
        assertEquals(Main.OK, edges.code(), edges.err());
    }

    @Test
    void listShowsEachParamsRange() {
        CliRun r = CliRun.of("list");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("temperature = 0.1 (>= 0.0001): softmax temperature tau of NT-Xent"), r.out());
        assertTrue(r.out().contains("momentum = 0.99 (in [0, 1]): EMA momentum m"), r.out());
        assertTrue(r.out().contains("queue_size = 4096 (in [1, 100000]): negative keys kept"), r.out());
        assertTrue(r.out().contains("proj_output_dim = 128 (in [1, 16384]): dimension of the projection"), r.out());
        assertTrue(r.out().contains("all_four = false: train on all four rotations"), r.out());
    }

    /** A method plugin whose one param has {@code declaration} (Java, e.g. a default outside its range). */
    private Path pluginWith(String jar, String name, String declaration) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        String cls = "org.example." + name.replace("-", "") + ".M";
        String src = org.sslbench.testing.PluginJars.methodSource(cls, name, false)
                .replace("new Param(\"scale\", 1.0, \"a number\")", declaration);
        org.sslbench.testing.PluginJars.build(tmp, jar, java.util.Map.of(cls, src), "org.sslbench.method.Method", cls);
        Files.move(tmp.resolve(jar), dir.resolve(jar));
        return dir;
    }

    /**
     * Issue 15: a typo in a plugin's own augmentations() ({@code blurr}) is refused like the same
     * typo in a spec: the plugin is skipped by jar name with the reason, the others still load.
     */
    @Test
    void aPluginWithATypoInItsAugmentationsIsSkippedByName() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        String cls = "org.example.typo.M";
        String src = org.sslbench.testing.PluginJars.methodSource(cls, "typo", false)
                .replace("  public int views(Params p)", "  public List<java.util.Map<String, Object>> augmentations() {"
                        + " return List.of(java.util.Map.of(\"blurr\", 0.5)); }\n  public int views(Params p)");
        org.sslbench.testing.PluginJars.build(tmp, "typo-1.0.jar", java.util.Map.of(cls, src), "org.sslbench.method.Method", cls);
        Files.move(tmp.resolve("typo-1.0.jar"), dir.resolve("typo-1.0.jar"));
        CliRun list = CliRun.of("list", "--plugins", dir.toString());
        assertEquals(Main.OK, list.code(), list.err());
        assertTrue(list.out().contains("typo-1.0.jar: method 'typo' (org.example.typo.M) has an invalid declaration and"
                + " was skipped: augmentations() pipeline: unknown augmentation 'blurr'; did you mean 'blur'?"), list.out());
        assertTrue(list.out().contains("  simclr "), "the built-in methods still load: " + list.out());
    }

    /**
     * Issue 10 follow-up: a plugin whose param default lies outside its own declared range (or is
     * not a float32) is reported by jar name and skipped; every other command and spec still works,
     * and a spec naming that method is refused with the reason (exit 2), not an internal error.
     */
    @Test
    void aPluginWithAnInvalidParamDeclarationIsSkippedByName() throws IOException {
        pluginWith("good-1.0.jar", "good", "new Param(\"p\", 0.5, \"ok\").between(0, 1)");
        Path dir = pluginWith("bad-1.0.jar", "bad", "new Param(\"p\", 2.0, \"outside\").between(0, 1)");
        pluginWith("tiny-1.0.jar", "tiny", "new Param(\"p\", 1.0e-40, \"not a float32\")");

        CliRun list = CliRun.of("list", "--plugins", dir.toString());
        assertEquals(Main.OK, list.code(), list.err());
        assertTrue(list.out().contains("bad-1.0.jar: method 'bad' (org.example.bad.M) has an invalid declaration and"
                + " was skipped: param p: default 2.0 is not in [0, 1]"), list.out());
        assertTrue(list.out().contains("tiny-1.0.jar: method 'tiny'"), list.out());
        assertTrue(list.out().contains("  good "), "the other plugins still load: " + list.out());
        assertFalse(list.err().contains("internal error"), list.err());

        CliRun unrelated = CliRun.of("validate", "--spec", spec("simclr", "temperature: 0.5").toString(),
                "--plugins", dir.toString());
        assertEquals(Main.OK, unrelated.code(), unrelated.err());
        assertTrue(unrelated.err().contains("warning: plugin " + dir.resolve("bad-1.0.jar")), unrelated.err());

        Path spec = Files.writeString(tmp.resolve("usesbad.yaml"), """
                name: usesbad
                datasets: [fashion-mnist-embedded]
                backbone: small-cnn
                labels: [100]
                protocols: {knn: {k: 5}}
                methods: [supervised, bad]
                """);
        for (String command : new String[] {"validate", "bench"}) {
            CliRun r = CliRun.of(command, "--spec", spec.toString(), "--plugins", dir.toString(),
                    "--out", tmp.resolve("out-bad").toString());
            assertEquals(Main.BAD_INPUT, r.code(), command + ": " + r.err());
            assertTrue(r.err().contains(spec + ":6: methods[1]: method 'bad' is unavailable: its plugin was skipped at load ("
                    + dir.resolve("bad-1.0.jar") + ": param p: default 2.0 is not in [0, 1])"), command + ": " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("out-bad").resolve("cells.csv")));
    }

    /** Issue 10 follow-up: a plugins directory that does not exist is the same exit 2 and message for every command. */
    @Test
    void aMissingPluginsDirectoryIsBadInputForEveryCommand() throws IOException {
        Path spec = spec("simclr", "temperature: 0.5");
        Path missing = tmp.resolve("no-such-plugins");
        String message = "sslbench: plugins directory " + missing + ": no such directory";
        String[][] commands = {
            {"list", "--plugins", missing.toString()},
            {"validate", "--spec", spec.toString(), "--plugins", missing.toString()},
            {"views", "--spec", spec.toString(), "--plugins", missing.toString()},
            {"merge", "--spec", spec.toString(), "--plugins", missing.toString()},
            {"slurm", "--spec", spec.toString(), "--shards", "2", "--plugins", missing.toString()},
            {"bench", "--spec", spec.toString(), "--plugins", missing.toString(), "--out", tmp.resolve("o").toString()},
        };
        for (String[] args : commands) {
            CliRun r = CliRun.of(args);
            assertEquals(Main.BAD_INPUT, r.code(), args[0] + ": " + r.err());
            assertTrue(r.err().startsWith(message), args[0] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), args[0] + " prints one line, no trace: " + r.err());
        }
        // The same directory named by the spec's plugins.dir, through the merge command (no flag check of its own).
        Path withDir = Files.writeString(tmp.resolve("withdir.yaml"), Files.readString(spec)
                + "plugins: {dir: " + missing + "}\n");
        CliRun merge = CliRun.of("merge", "--spec", withDir.toString());
        assertEquals(Main.BAD_INPUT, merge.code(), merge.err());
        assertFalse(merge.err().contains("internal error"), merge.err());
    }
}
