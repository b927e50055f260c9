package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Checkpoint;

/**
 * Collapse caught end to end: VICReg with only its invariance term (mu = nu = 0) collapses; its
 * cells are evaluated but marked collapsed, kept out of the leaderboard's means and ranks and of
 * the SSL-vs-scratch verdicts, listed in report.md, and a reused checkpoint keeps the verdict.
 * And the kNN monitor: logged, and without changing the training by a bit.
 */
class CollapseAndMonitorTest {
    @TempDir
    Path work;

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    private Path spec(String name, String methods, String pretext) throws IOException {
        Path spec = work.resolve(name + ".yaml");
        Files.writeString(spec, """
                name: %s
                datasets: [{name: fashion-mnist-embedded, unlabeled_limit: 1000}]
                backbone: small-cnn
                methods: %s
                labels: {per_class: [5]}
                seeds: [0]
                pretext: %s
                protocols:
                  knn: {k: 5}
                """.formatted(name, methods, pretext));
        return spec;
    }

    private static Path onlyFile(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(suffix)).toList();
            assertEquals(1, files.size(), files.toString());
            return files.get(0);
        }
    }

    @Test
    void invarianceOnlyVicregIsCollapsedEvaluatedAndLeftOutOfRanksAndVerdicts() throws IOException {
        Path spec = spec("collapse", "[supervised, {name: vicreg, params: {mu: 0, nu: 0, proj_hidden_dim: 64, proj_output_dim: 64}}]",
                "{epochs: 2, batch_size: 100, optimizer: {name: adam, lr: 0.003}}");
        Path out = work.resolve("out");
        CliRun run = CliRun.of("bench", "--spec", spec.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.CELLS_FAILED, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("1 collapsed"), run.err());

        List<CSVRecord> cells = csv(out.resolve("cells.csv"));
        CSVRecord vicreg = cells.stream().filter(r -> r.get("method").equals("vicreg")).findFirst().orElseThrow();
        assertEquals("collapsed", vicreg.get("status"), vicreg.toString());
        assertTrue(vicreg.get("status_detail").contains("encoder RankMe"), vicreg.toString());
        double acc = Double.parseDouble(vicreg.get("test_accuracy")); // evaluated all the same
        assertTrue(acc >= 0 && acc <= 1, vicreg.toString());
        assertEquals("ok", cells.stream().filter(r -> r.get("method").equals("supervised")).findFirst().orElseThrow()
                .get("status"));

        // Leaderboard: counted as not ok, never averaged or ranked.
        CSVRecord board = csv(out.resolve("leaderboard.csv")).stream().filter(r -> r.get("method").equals("vicreg"))
                .findFirst().orElseThrow();
        assertEquals("0", board.get("n_seeds"), board.toString());
        assertEquals("1", board.get("n_failed"), board.toString());
        assertEquals("", board.get("mean_test_accuracy"), board.toString());
        assertEquals("", board.get("rank"), board.toString());
        // SSL vs scratch: no verdict from a collapsed run.
        csv(out.resolve("ssl-vs-scratch.csv")).stream().filter(r -> r.get("method").equals("vicreg")).forEach(r -> {
            assertEquals("0", r.get("n_pairs"), r.toString());
            assertFalse(List.of("better", "worse", "within noise").contains(r.get("verdict")), r.toString());
            // named as collapsed, not as missing seeds (tester F3)
            assertEquals("collapsed", r.get("verdict"), r.toString());
            assertEquals("collapsed (excluded; see the cells left out)", r.get("answer"), r.toString());
        });
        String report = Files.readString(out.resolve("report.md"));
        int section = report.indexOf("## Cells left out: failed, diverged, collapsed");
        assertTrue(section >= 0, report);
        String listed = report.substring(section);
        assertTrue(listed.contains("| vicreg ") && listed.contains("| collapsed |") && listed.contains("encoder RankMe"),
                listed);
        assertTrue(listed.contains(String.format(java.util.Locale.ROOT, "%.2f", 100 * acc)), "its accuracy: " + listed);

        // The verdict lives in the checkpoint: a run that reuses it (cells.csv gone) marks the cells again.
        Path ckpt = onlyFile(out.resolve("pretext"), ".ckpt");
        Map<String, String> meta = Checkpoint.read(ckpt).metadata();
        assertFalse(meta.get("monitor_rankme").isEmpty(), meta.toString());
        Files.delete(out.resolve("cells.csv"));
        CliRun again = CliRun.of("bench", "--spec", spec.toString(), "--out", out.toString(), "--quiet");
        assertTrue(again.out().contains("reusing pretext"), again.out());
        assertEquals("collapsed", csv(out.resolve("cells.csv")).stream().filter(r -> r.get("method").equals("vicreg"))
                .findFirst().orElseThrow().get("status"));
    }

    /**
     * monitor_stop: the invariance-only VICReg run is stopped at the first measurement that shows
     * collapse (encoder RankMe under the threshold after epoch 1 of 4), its cells are collapsed with
     * the reason, and the stop is part of the pretext's identity (another hash than without it).
     */
    @Test
    void monitorStopEndsACollapsingRunEarlyAndSaysWhy() throws IOException {
        String methods = "[{name: vicreg, params: {mu: 0, nu: 0, proj_hidden_dim: 64, proj_output_dim: 64}}]";
        Path out = work.resolve("stop");
        CliRun run = CliRun.of("bench", "--spec", spec("stop", methods,
                "{epochs: 4, batch_size: 100, optimizer: {name: adam, lr: 0.003}, monitor_stop: true}").toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(Main.CELLS_FAILED, run.code(), run.out() + run.err());
        List<CSVRecord> log = csv(onlyFile(out.resolve("pretext"), ".log.csv"));
        assertTrue(log.size() < 4, "stopped before the 4th epoch: " + log.size() + " epochs logged");
        CSVRecord cell = csv(out.resolve("cells.csv")).get(0);
        assertEquals("collapsed", cell.get("status"), cell.toString());
        assertTrue(cell.get("status_detail").contains("monitor_stop after epoch " + log.size()), cell.toString());

        Path full = work.resolve("nostop");
        CliRun without = CliRun.of("bench", "--spec", spec("nostop", methods,
                "{epochs: 4, batch_size: 100, optimizer: {name: adam, lr: 0.003}}").toString(),
                "--out", full.toString(), "--quiet");
        assertEquals(Main.CELLS_FAILED, without.code(), without.out() + without.err());
        assertEquals(4, csv(onlyFile(full.resolve("pretext"), ".log.csv")).size());
        assertFalse(onlyFile(full.resolve("pretext"), ".ckpt").getFileName()
                .equals(onlyFile(out.resolve("pretext"), ".ckpt").getFileName()), "monitor_stop enters the pretext hash");
    }

    /** The monitor reads weights in its own graph with its own RNG: on or off, the same weights and losses. */
    @Test
    void theMonitorLeavesTrainingBitIdenticalAndIsLogged() throws IOException {
        String pretext = "{epochs: 2, batch_size: 100, monitor_every: %d}";
        Path off = work.resolve("off");
        Path on = work.resolve("on");
        CliRun first = CliRun.of("bench", "--spec", spec("m", "[rotation]", pretext.formatted(0)).toString(),
                "--out", off.toString(), "--quiet");
        assertEquals(Main.OK, first.code(), first.out() + first.err());
        CliRun second = CliRun.of("bench", "--spec", spec("m", "[rotation]", pretext.formatted(1)).toString(),
                "--out", on.toString(), "--quiet");
        assertEquals(Main.OK, second.code(), second.out() + second.err());
        Path a = onlyFile(off.resolve("pretext"), ".ckpt");
        Path b = onlyFile(on.resolve("pretext"), ".ckpt");
        assertEquals(a.getFileName(), b.getFileName(), "monitor settings without monitor_stop keep the pretext hash");
        // What the report's "below the random encoder? why" reads from the checkpoint header: the pool
        // size (unlabeled_limit 1000) and the untrained encoder's monitor kNN, recorded for a healthy run too.
        Map<String, String> meta = Checkpoint.readMetadata(b);
        assertEquals("1000", meta.get("pool_images"), meta.toString());
        double untrained = Double.parseDouble(meta.get("monitor_knn_untrained"));
        assertTrue(untrained > 0 && untrained <= 1, meta.toString());
        assertEquals(Checkpoint.read(b).metadata(), meta, "the header alone gives the same metadata");
        Map<String, float[]> wa = Checkpoint.read(a).tensors();
        Map<String, float[]> wb = Checkpoint.read(b).tensors();
        assertEquals(wa.keySet(), wb.keySet());
        wa.forEach((k, v) -> assertArrayEquals(v, wb.get(k), k));
        List<CSVRecord> la = csv(onlyFile(off.resolve("pretext"), ".log.csv"));
        List<CSVRecord> lb = csv(onlyFile(on.resolve("pretext"), ".log.csv"));
        for (int e = 0; e < 2; e++) {
            assertEquals(la.get(e).get("loss"), lb.get(e).get("loss"));
        }
        assertEquals("", la.get(0).get("monitor_knn"), "monitor_every 0: not measured after epoch 1");
        assertFalse(lb.get(0).get("monitor_knn").isEmpty(), "monitor_every 1: measured after epoch 1");
        assertFalse(la.get(1).get("monitor_knn").isEmpty(), "always measured after the last epoch (collapse check)");
        assertEquals(la.get(1).get("monitor_knn"), lb.get(1).get("monitor_knn"));
        double knn = Double.parseDouble(lb.get(1).get("monitor_knn"));
        assertTrue(knn > 0.1 && knn <= 1, "above chance on Fashion-MNIST: " + knn);
        var events = org.sslbench.results.TensorBoardScalars.read(on.resolve("tensorboard"));
        assertTrue(events.toString().contains("pretext/monitor_knn"), events.toString());
    }
}
