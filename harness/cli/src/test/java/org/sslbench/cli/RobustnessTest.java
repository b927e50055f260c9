package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sslbench.testing.FormatWriters;

/** Divergence, determinism, SIGKILL at any moment, and an unwritable results directory. */
class RobustnessTest {
    static Path work;
    static Path data;
    static Path spec;

    /** Small but with several groups and cells, so kills land at different stages. */
    static final String SPEC = """
            name: robust
            datasets: [fashion-mnist]
            backbone: small-cnn
            methods:
              - supervised
              - name: rotation
                params: {all_four: true}
            labels: {per_class: [1, 2]}
            seeds: [0, 1]
            pretext: {epochs: 2, batch_size: 16}
            protocols:
              finetune: {epochs: 2, batch_size: 8}
              linear: {epochs: 2, batch_size: 8, selection: fixed}
              knn: {k: 3}
            """;

    @BeforeAll
    static void writeData() throws IOException {
        writeDataIfNeeded();
    }

    /** One temp directory with data and spec for this class and ShardTest, deleted at JVM exit. */
    static synchronized void writeDataIfNeeded() throws IOException {
        if (work != null) {
            return;
        }
        work = Files.createTempDirectory("sslbench-robust");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
        data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 8, 4, 1), true);
        spec = work.resolve("robust.yaml");
        Files.writeString(spec, SPEC);
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }

    static List<CSVRecord> rows(Path out) throws IOException {
        try (Reader r = Files.newBufferedReader(out.resolve("cells.csv"))) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    /** config_hash → the result columns that must not change between identical runs. */
    static Map<String, String> metrics(Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (CSVRecord r : rows(out)) {
            String previous = m.put(r.get("config_hash"), String.join("|", r.get("status"), r.get("test_accuracy"),
                    r.get("test_selected_max_accuracy"), r.get("test_loss"), r.get("pretext_loss"), r.get("collapse_std"), r.get("label_subset"),
                    r.get("selection"), r.get("selected"), r.get("precision")));
            assertEquals(null, previous, "duplicated cell " + r.get("config_hash"));
        }
        return m;
    }

    static int bench(Path out, String... extra) {
        String[] base = {"bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Main.run(args);
    }

    @Test
    void sameSpecAndSeedGiveIdenticalMetrics() throws IOException {
        assertEquals(Main.OK, bench(work.resolve("a")));
        assertEquals(Main.OK, bench(work.resolve("b")));
        Map<String, String> a = metrics(work.resolve("a"));
        assertEquals(24, a.size());
        // a spec without the precision key runs every cell in fp32 (issue 16), bit-identical on a rerun
        assertTrue(rows(work.resolve("a")).stream().allMatch(r -> r.get("precision").equals("fp32")));
        assertEquals(a, metrics(work.resolve("b")));
    }

    @Test
    void killedAtAnyMomentThenRerunEndsWithExactlyTheUninterruptedCells() throws Exception {
        Path reference = work.resolve("reference");
        assertEquals(Main.OK, bench(reference));
        Map<String, String> expected = metrics(reference);
        // Kill points spread over the run: during the first pretext, between cells, late.
        for (long delayMillis : new long[] {1500, 4000, 7000, 10000}) {
            Path out = work.resolve("killed-" + delayMillis);
            for (int attempt = 0; attempt < 2; attempt++) { // kill twice in a row at the same point
                Process p = child(out);
                if (!p.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly(); // SIGKILL on Linux
                    p.waitFor();
                }
                if (Files.exists(out.resolve("cells.csv"))) {
                    String text = Files.readString(out.resolve("cells.csv"));
                    assertTrue(text.isEmpty() || text.endsWith("\n"), "no half row after a kill");
                    metrics(out); // parses, no duplicates
                }
            }
            assertEquals(Main.OK, bench(out), "rerun after kill at " + delayMillis + " ms");
            assertEquals(expected, metrics(out), "kill at " + delayMillis + " ms");
        }
    }

    private static Process child(Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench",
                "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A method plugin whose loss is NaN from the first step (real divergence is not reliable on tiny data). */
    static final String NAN_METHOD = """
            package ext.nan;
            import java.util.List;
            import org.sslbench.method.*;
            import org.tensorflow.Operand;
            import org.tensorflow.types.TFloat32;
            public final class NanMethod implements Method {
              public String name() { return "nan"; }
              public String description() { return "a loss that is NaN from the first step"; }
              public List<Param> params() { return List.of(); }
              public int views(Params p) { return 1; }
              public Objective build(PretextContext ctx) {
                var tf = ctx.tf();
                Operand<TFloat32> f = ctx.encoder().apply(ctx.view(0), true);
                Operand<TFloat32> touchesWeights = tf.math.mul(tf.constant(0f), tf.math.mean(f, tf.constant(new int[] {0, 1})));
                return Objective.of(tf.math.add(touchesWeights, tf.math.log(tf.constant(-1f))));
              }
            }
            """;

    @Test
    void aDivergingCellIsRecordedAndTheMatrixContinues() throws IOException {
        Path plugins = Files.createDirectories(work.resolve("nan-plugins"));
        org.sslbench.testing.PluginJars.build(plugins, "nan.jar", Map.of("ext.nan.NanMethod", NAN_METHOD),
                "org.sslbench.method.Method", "ext.nan.NanMethod");
        Path diverging = work.resolve("diverging.yaml");
        String nanSpec = SPEC.replace("  - name: rotation\n    params: {all_four: true}\n", "  - nan\n");
        assertTrue(nanSpec.contains("  - nan\n"), nanSpec);
        Files.writeString(diverging, nanSpec);
        Path out = work.resolve("diverged");
        int code = Main.run("bench", "--spec", diverging.toString(), "--data", data.toString(), "--out", out.toString(),
                "--plugins", plugins.toString(), "--quiet");
        assertEquals(Main.CELLS_FAILED, code);
        List<CSVRecord> rows = rows(out);
        assertEquals(24, rows.size(), "every cell has a row");
        for (CSVRecord r : rows) {
            if (r.get("method").equals("nan")) {
                assertEquals("diverged", r.get("status"));
                assertTrue(r.get("status_detail").contains("epoch 1"), r.get("status_detail"));
            } else {
                assertEquals("ok", r.get("status"), r.toString());
            }
        }
        Path failFast = work.resolve("fail-fast");
        int ff = Main.run("bench", "--spec", diverging.toString(), "--data", data.toString(), "--out", failFast.toString(),
                "--plugins", plugins.toString(), "--quiet", "--fail-fast");
        assertEquals(Main.CELLS_FAILED, ff);
        long diverged = rows(failFast).stream().filter(r -> r.get("status").equals("diverged")).count();
        assertTrue(diverged >= 1 && diverged <= 6, "fail-fast stops within the first diverging group: " + diverged);
        assertTrue(rows(failFast).size() < 24);
    }

    @Test
    void unwritableResultsDirectoryIsReportedBeforeTraining() throws IOException {
        Path file = Files.writeString(work.resolve("a-file"), "x");
        Path out = file.resolve("results");
        assertEquals(Main.BAD_INPUT, bench(out));
        assertFalse(Files.exists(out));
    }
}
