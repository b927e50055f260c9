package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

/** The CLI on a tiny spec over generated Fashion-MNIST-format files: rows, resume, errors. */
class EndToEndTest {
    @TempDir
    static Path work;
    static Path data;
    static Path spec;

    @BeforeAll
    static void writeDataAndSpec() throws IOException {
        data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 8, 4, 1), true);
        spec = work.resolve("tiny.yaml");
        Files.writeString(spec, """
                name: tiny
                datasets: [fashion-mnist]
                backbone: small-cnn
                methods:
                  - supervised
                  - name: rotation
                    params: {all_four: true}
                labels: {per_class: [1, 2]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 16}
                protocols:
                  finetune: {epochs: 1, batch_size: 8}
                  linear: {}
                  knn: {k: 3}
                """);
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    @Test
    void tinySpecWritesOneRowPerCellAndARerunAddsNone() throws IOException {
        Path out = work.resolve("out");
        int code = Main.run("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, code);

        List<CSVRecord> rows = csv(out.resolve("cells.csv"));
        // 2 methods x 2 label counts x 3 protocols x 1 seed
        assertEquals(12, rows.size());
        Set<String> cells = rows.stream()
                .map(r -> r.get("method") + "/" + r.get("protocol") + "/" + r.get("n_labels") + "/" + r.get("seed"))
                .collect(Collectors.toSet());
        for (String method : List.of("supervised", "rotation")) {
            for (String protocol : List.of("finetune", "linear", "knn")) {
                for (String n : List.of("10", "20")) {
                    assertTrue(cells.contains(method + "/" + protocol + "/" + n + "/0"), "missing " + method + "/" + protocol + "/" + n);
                }
            }
        }
        for (CSVRecord r : rows) {
            assertEquals("ok", r.get("status"), r.toString());
            double acc = Double.parseDouble(r.get("test_accuracy"));
            assertTrue(acc >= 0 && acc <= 1, r.toString());
            assertEquals("tiny", r.get("spec"));
            assertEquals("fashion-mnist", r.get("dataset"));
            assertFalse(r.get("tf_version").isEmpty());
            assertFalse(r.get("label_subset").isEmpty());
            // selection labelled everywhere: the test split is scored once, so no test-selected maximum
            assertEquals("", r.get("test_selected_max_accuracy"), r.toString());
            // the linear probe's L2 is chosen by k-fold on the subset (k = labels of the smallest
            // class, at most 5); 1 label per class has no validation data and takes the grid's middle
            if (r.get("protocol").equals("linear")) {
                boolean one = r.get("n_labels").equals("10");
                assertEquals(one ? "fixed (1 label per class: middle of the l2 grid)" : "2-fold", r.get("selection"), r.toString());
                assertTrue(one ? r.get("selected").equals("l2=0.1")
                        : r.get("selected").matches("l2=[0-9.eE-]+;cv_accuracy=[01]\\.\\d{4}"), r.toString());
            }
            // selection: labelled (the default): the fine-tune epoch is chosen on a held-out part of
            // the subset when every class has 2 labels; 1 label per class keeps the fixed epochs.
            if (r.get("protocol").equals("finetune")) {
                boolean one = r.get("n_labels").equals("10");
                assertEquals(one ? "fixed (1 label per class: nothing to hold out)" : "holdout 20%", r.get("selection"));
                assertTrue(one ? r.get("selected").equals("epochs=1")
                        : r.get("selected").matches("epochs=1;holdout_accuracy=[01]\\.\\d{4}"), r.toString());
            }
            if (r.get("method").equals("rotation")) {
                assertFalse(r.get("pretext_loss").isEmpty(), "rotation rows carry the pretext loss");
            } else {
                assertTrue(r.get("pretext_loss").isEmpty(), "supervised has no pretext");
            }
        }
        assertEquals(12, rows.stream().map(r -> r.get("config_hash")).distinct().count());
        // one pretext run, shared by all 6 rotation cells
        assertEquals(1, rows.stream().filter(r -> r.get("method").equals("rotation")).map(r -> r.get("pretext_hash")).distinct().count());
        List<Path> checkpoints;
        try (Stream<Path> s = Files.list(out.resolve("pretext"))) {
            checkpoints = s.filter(p -> p.toString().endsWith(".ckpt")).toList();
        }
        assertEquals(1, checkpoints.size());
        List<CSVRecord> board = csv(out.resolve("leaderboard.csv"));
        assertEquals(12, board.size(), "one leaderboard row per method x protocol x n_labels");
        assertTrue(Files.exists(out.resolve("subsets/fashion-mnist-seed0-n10.txt")));
        // TensorBoard: one event directory per downstream cell, read back; the fine-tune's per-epoch
        // loss and its test accuracy (one point, the number in cells.csv as float32)
        Path downstream = out.resolve("tensorboard/downstream");
        try (Stream<Path> s = Files.list(downstream)) {
            assertEquals(12, s.count());
        }
        CSVRecord ft = rows.stream().filter(r -> r.get("method").equals("rotation") && r.get("protocol").equals("finetune")
                && r.get("n_labels").equals("20")).findFirst().orElseThrow();
        var scalars = org.sslbench.results.TensorBoardScalars.read(downstream.resolve(
                "rotation-fashion-mnist-small-cnn-finetune-n20-seed0-" + ft.get("config_hash")));
        assertEquals(List.of("1=" + (float) Double.parseDouble(ft.get("test_accuracy"))), scalars.get("finetune/test_accuracy"));
        assertEquals(1, scalars.get("finetune/loss").size(), "one epoch: " + scalars);

        // The rerun reuses everything: no new rows, the checkpoint untouched.
        FileTime before = Files.getLastModifiedTime(checkpoints.get(0));
        String cellsBefore = Files.readString(out.resolve("cells.csv"));
        assertEquals(Main.OK, Main.run("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet"));
        assertEquals(cellsBefore, Files.readString(out.resolve("cells.csv")));
        assertEquals(before, Files.getLastModifiedTime(checkpoints.get(0)));
    }

    @Test
    void nestedSubsetsAcrossLabelCounts() throws IOException {
        Path out = work.resolve("out-nested");
        assertEquals(Main.OK, Main.run("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet"));
        Set<String> small = new HashSet<>(Files.readAllLines(out.resolve("subsets/fashion-mnist-seed0-n10.txt")));
        Set<String> large = new HashSet<>(Files.readAllLines(out.resolve("subsets/fashion-mnist-seed0-n20.txt")));
        assertEquals(10, small.size());
        assertEquals(20, large.size());
        assertTrue(large.containsAll(small), "the 10-label subset must lie inside the 20-label one");
    }

    @Test
    void benchWritesReportAndPlotsAndTheVerbsReadTheResults() throws IOException {
        Path out = work.resolve("out-report");
        assertEquals(Main.OK, Main.run("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet"));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.startsWith("# tiny\n"), report);
        for (String plot : List.of("accuracy-fashion-mnist-small-cnn-finetune.png", "accuracy-fashion-mnist-small-cnn-knn.png",
                "pretext-loss-fashion-mnist-small-cnn.png", "collapse-fashion-mnist-small-cnn.png")) {
            assertTrue(Files.size(out.resolve("plots").resolve(plot)) > 0, plot);
            assertTrue(report.contains("(plots/" + plot + ")"), plot + " not linked from report.md");
        }
        Files.delete(out.resolve("report.md"));
        assertEquals(Main.OK, Main.run("report", out.toString()));
        assertTrue(Files.exists(out.resolve("report.md")));

        Path csv = work.resolve("self.csv");
        assertEquals(Main.OK, Main.run("compare", out.toString(), out.resolve("leaderboard.csv").toString(), "--out", csv.toString()));
        List<CSVRecord> rows = csv(csv);
        assertEquals(12, rows.size());
        // One seed per side: the difference (zero) is shown, not judged.
        assertTrue(rows.stream().allMatch(r -> r.get("verdict").equals("no spread") && r.get("delta_points").equals("0.0")), rows.toString());
    }

    @Test
    void compareAndReportRejectWhatTheyCannotRead() throws IOException {
        Path bad = Files.writeString(work.resolve("not-a-table.csv"), "x,y\n1,2\n");
        Path reference = Path.of("../../results/reference/rotation-cifar10.csv");
        var captured = new java.io.ByteArrayOutputStream();
        var previous = System.err;
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertEquals(Main.BAD_INPUT, Main.run("compare", bad.toString(), reference.toString()));
            assertEquals(Main.BAD_INPUT, Main.run("compare", work.resolve("missing.csv").toString(), reference.toString()));
            assertEquals(Main.BAD_INPUT, Main.run("report", work.resolve("no-results").toString()));
        } finally {
            System.setErr(previous);
        }
        String err = captured.toString();
        assertTrue(err.contains("not-a-table.csv") && err.contains("found:       x,y"), err);
        assertTrue(err.contains("missing.csv"), err);
        assertTrue(err.contains("cells.csv"), err);
    }

    @Test
    void badSpecExitsWithTwoAndCreatesNothing() throws IOException {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(spec).replace("backbone: small-cnn", "backbone: resnet21"));
        Path out = work.resolve("never");
        assertEquals(Main.BAD_INPUT, Main.run("bench", "--spec", bad.toString(), "--data", data.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out), "nothing may be created for an invalid spec");
    }

    @Test
    void missingDataExitsWithTwoBeforeTraining() {
        Path out = work.resolve("never-data");
        assertEquals(Main.BAD_INPUT, Main.run("bench", "--spec", spec.toString(), "--data", work.resolve("nowhere").toString(),
                "--out", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void listShowsBuiltInsAndAPluginJarFromADirectory() throws IOException {
        Path plugins = Files.createDirectory(work.resolve("plugins"));
        org.sslbench.testing.PluginJars.build(plugins, "echo.jar",
                Map.of("ext.Echo", org.sslbench.testing.PluginJars.methodSource("ext.Echo", "echo", false)),
                "org.sslbench.method.Method", "ext.Echo");
        var captured = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = Main.run("list", "--plugins", plugins.toString());
        } finally {
            System.setOut(previous);
        }
        assertEquals(Main.OK, code);
        String text = captured.toString();
        for (String name : List.of("supervised", "rotation", "echo", "resnet20", "small-cnn", "resnet18",
                "fashion-mnist-embedded", "cifar10", "stl10", "finetune", "linear", "knn")) {
            assertTrue(text.contains(name), name + " missing from:\n" + text);
        }
        assertTrue(text.contains("echo.jar"), text);
        assertTrue(text.contains("selection (spec key, top level or per protocol block)"), text);
        assertTrue(text.contains("labelled") && text.contains("(default) settings chosen on the labelled subset only"), text);
        // the pretext monitor's keys with their defaults (tester F12)
        for (String key : List.of("monitor_every: 1", "monitor_labels: 50", "monitor_queries: 50", "monitor_stop: false")) {
            assertTrue(text.contains(key), key + " missing from:\n" + text);
        }
        assertTrue(text.contains("pixels"), text);
    }

    /** validate warns about the data as bench does before it trains (issue 10, commands that disagree). */
    @Test
    void validateGivesTheDataWarningsBenchGives() {
        CliRun validate = CliRun.of("validate", "--spec", spec.toString(), "--data", data.toString());
        assertEquals(Main.OK, validate.code(), validate.err());
        String warning = "warning: fashion-mnist: " + data + " has no .sslbench-verified record";
        assertTrue(validate.out().contains(warning), validate.out());
        // which selection each protocol runs with
        assertTrue(validate.out().contains("protocols [finetune (selection labelled), linear (selection labelled),"
                + " knn (k 3: nothing to select)]"), validate.out());
        CliRun bench = CliRun.of("bench", "--spec", spec.toString(), "--data", data.toString(), "--out",
                work.resolve("out-validate-warnings").toString(), "--quiet");
        assertTrue(bench.out().contains(warning), bench.out());
    }
}
