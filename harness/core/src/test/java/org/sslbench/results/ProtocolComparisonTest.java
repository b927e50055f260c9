package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Which protocol uses the labels best?" across protocols, from hand-built cells: no training. */
class ProtocolComparisonTest {
    @TempDir
    Path dir;

    private static void add(List<CellResult> cells, String method, String protocol, double... accuracies) {
        for (int s = 0; s < accuracies.length; s++) {
            cells.add(TestCells.cell(method, "cifar10", "small-cnn", protocol, 100, s, Status.OK, accuracies[s]));
        }
    }

    /**
     * n = 100, seeds 0-2 (label subset {@code subset-<seed>} whatever the protocol): simclr + linear
     * 60/62/64 % is the best; simclr + fixmatch has one ok seed (61 %) and a collapsed one; dino +
     * linear collapsed on every seed (at 90 %, which must not win); byol + linear is not linear's best SSL.
     */
    private static List<CellResult> matrix() {
        List<CellResult> cells = new ArrayList<>();
        add(cells, "simclr", "linear", 0.60, 0.62, 0.64);
        add(cells, "byol", "linear", 0.50, 0.50, 0.50);
        add(cells, "simclr", "finetune", 0.55, 0.58, 0.58);
        add(cells, "supervised", "finetune", 0.40, 0.42, 0.47);
        add(cells, "supervised", "fixmatch", 0.30, 0.35, 0.34);
        add(cells, "supervised", "linear", 0.20, 0.20, 0.20);
        add(cells, "pixels", "linear", 0.25, 0.26, 0.24);
        cells.add(TestCells.cell("simclr", "cifar10", "small-cnn", "fixmatch", 100, 0, Status.OK, 0.61));
        cells.add(TestCells.cell("simclr", "cifar10", "small-cnn", "fixmatch", 100, 1, Status.COLLAPSED, 0.99));
        for (int s = 0; s < 3; s++) {
            cells.add(TestCells.cell("dino", "cifar10", "small-cnn", "linear", 100, s, Status.COLLAPSED, 0.90));
        }
        return cells;
    }

    @Test
    void theBestCombinationMeetsEachProtocolsSslScratchAndPixelsRows() {
        List<CellResult> cells = matrix();
        List<ProtocolComparison.Group> groups = ProtocolComparison.groups(cells, Leaderboard.aggregate(cells));
        assertEquals(1, groups.size());
        List<ProtocolComparison.Entry> e = groups.get(0).entries();
        assertEquals(List.of("simclr + linear", "simclr + fixmatch", "simclr + finetune",
                "supervised + finetune (from scratch)", "supervised + fixmatch (from scratch)",
                "pixels + linear (raw pixels)", "supervised + linear (frozen random encoder)"),
                e.stream().map(ProtocolComparison.Entry::name).toList());
        assertNull(e.get(0).vsBest());
        assertEquals(62.0, e.get(0).mean(), 1e-9);
        assertEquals(3, e.get(0).row().nSeeds());
        // supervised + fixmatch − simclr + linear per seed: -30, -27, -30: mean -29, sd √3, half t(0.975, 2)·√3/√3.
        SslVersusScratch.Row fix = e.get(4).vsBest();
        double half = SslVersusScratch.tQuantile(2);
        assertEquals(3, fix.nPairs());
        assertEquals(-29.0, fix.meanDeltaPoints(), 1e-9);
        assertEquals(-29.0 - half, fix.ciLow(), 1e-9);
        assertEquals(-29.0 + half, fix.ciHigh(), 1e-9);
        assertEquals("worse", fix.answer());
        // finetune from scratch: -20, -20, -17 → -19 ± the same half-width.
        assertEquals(-19.0, e.get(3).vsBest().meanDeltaPoints(), 1e-9);
        assertEquals(-19.0 + half, e.get(3).vsBest().ciHigh(), 1e-9);
        // simclr + fixmatch: only seed 0 is ok (seed 1 collapsed, excluded): one pair, no interval.
        SslVersusScratch.Row one = e.get(1).vsBest();
        assertEquals(1, e.get(1).row().nSeeds());
        assertEquals(1, one.nPairs());
        assertEquals(1.0, one.meanDeltaPoints(), 1e-9);
        assertTrue(Double.isNaN(one.ciLow()));
        assertEquals("too few seeds", one.answer());
        assertEquals(ProtocolComparison.Role.RANDOM_ENCODER, e.get(6).role());
        assertEquals(ProtocolComparison.Role.SCRATCH, e.get(4).role());
    }

    @Test
    void theAnswerShowsTheTableAndTheVerdictLine() {
        List<CellResult> cells = matrix();
        String md = Answer.markdown(cells, Leaderboard.aggregate(cells), List.of());
        int at = md.indexOf("### Which protocol uses the labels best?");
        assertTrue(at > 0, md);
        String part = md.substring(at, md.indexOf("below the random encoder? why", at));
        double half = SslVersusScratch.tQuantile(2);
        assertTrue(part.contains(String.format(Locale.ROOT, "**cifar10 / small-cnn n=100**: best: simclr + linear 62.00 %%;"
                + " supervised + finetune (from scratch) 43.00 %% (-19.00 [%+.2f, %+.2f] worse (3));"
                + " supervised + fixmatch (from scratch) 33.00 %% (-29.00 [%+.2f, %+.2f] worse (3))\n",
                -19 - half, -19 + half, -29 - half, -29 + half)), part);
        assertTrue(part.contains("| simclr + linear | 62.00 | 3 | best |"), part);
        assertTrue(part.contains("| simclr + fixmatch | 61.00 | 1 | +1.00 too few seeds (1) |"), part);
        assertTrue(part.contains(String.format(Locale.ROOT,
                "| supervised + linear (frozen random encoder) | 20.00 | 3 | -42.00 [%+.2f, %+.2f] worse (3) |",
                -42 - half * 2 / Math.sqrt(3), -42 + half * 2 / Math.sqrt(3))), part);
        assertFalse(part.contains("dino"), "collapsed on every seed: left out: " + part);
        assertFalse(part.contains("byol"), "not linear's best SSL: " + part);
    }

    /** When from-scratch training wins, the verdict names the best SSL combination against it. */
    @Test
    void aWinningScratchRowIsComparedWithTheBestSsl() {
        List<CellResult> cells = new ArrayList<>();
        add(cells, "supervised", "fixmatch", 0.70, 0.72);
        add(cells, "simclr", "linear", 0.60, 0.61);
        List<ProtocolComparison.Group> groups = ProtocolComparison.groups(cells, Leaderboard.aggregate(cells));
        // d = -10, -11: mean -10.5, sd 1/√2, half t(0.975, 1)·0.5 = 6.35: the interval excludes 0 even with 2 pairs.
        assertEquals("best: supervised + fixmatch (from scratch) 71.00 %"
                + "; simclr + linear 60.50 % (-10.50 [-16.85, -4.15] worse (2))", ProtocolComparison.verdict(groups.get(0)));
    }

    @Test
    void aSingleProtocolRunHasNoTableAndAHeaderOnlyCsv() throws IOException {
        List<CellResult> cells = new ArrayList<>();
        add(cells, "simclr", "linear", 0.60, 0.62, 0.64);
        add(cells, "supervised", "linear", 0.20, 0.20, 0.20);
        Leaderboard board = Leaderboard.aggregate(cells);
        assertTrue(ProtocolComparison.groups(cells, board).isEmpty());
        assertFalse(Answer.markdown(cells, board, List.of()).contains("Which protocol uses the labels best?"));
        writeCells(cells);
        Report.write(dir, null);
        assertEquals(List.of(String.join(",", ProtocolComparison.COLUMNS)),
                Files.readAllLines(dir.resolve(ProtocolComparison.FILE_NAME)));
    }

    @Test
    void reportWritesTheCsvAndTheConsoleGetsTheVerdict() throws IOException {
        List<CellResult> cells = matrix();
        writeCells(cells);
        Report.write(dir, null);
        List<String> lines = Files.readAllLines(dir.resolve(ProtocolComparison.FILE_NAME));
        assertEquals(String.join(",", ProtocolComparison.COLUMNS), lines.get(0));
        assertEquals(8, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("cifar10,small-cnn,100,stratified,linear,simclr,ssl,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(",3,62.0,yes,,,,,"), lines.get(1));
        String fix = lines.stream().filter(l -> l.contains(",fixmatch,supervised,")).findFirst().orElseThrow();
        assertTrue(fix.contains(",from_scratch,"), fix);
        List<String> f = List.of(fix.split(",", -1));
        assertEquals("from_scratch", f.get(ProtocolComparison.COLUMNS.indexOf("role")), fix);
        assertEquals(33.0, Double.parseDouble(f.get(ProtocolComparison.COLUMNS.indexOf("mean_test_accuracy"))), 1e-9);
        assertEquals("3", f.get(ProtocolComparison.COLUMNS.indexOf("n_pairs")), fix);
        assertEquals(-29.0, Double.parseDouble(f.get(ProtocolComparison.COLUMNS.indexOf("mean_delta_points"))), 1e-9);
        assertEquals(-29.0 - SslVersusScratch.tQuantile(2),
                Double.parseDouble(f.get(ProtocolComparison.COLUMNS.indexOf("ci_low"))), 1e-9);
        assertEquals("worse", f.get(ProtocolComparison.COLUMNS.indexOf("answer")), fix);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Answer.print(cells, Leaderboard.aggregate(cells), dir, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                "  cifar10 / small-cnn n=100 protocols: best: simclr + linear 62.00 %; supervised + finetune"),
                out.toString(StandardCharsets.UTF_8));
    }

    private void writeCells(List<CellResult> cells) throws IOException {
        CellsCsv csv = CellsCsv.open(dir);
        for (CellResult c : cells) {
            csv.append(c);
        }
        Files.writeString(dir.resolve("spec.yaml"), "name: protocol-check\n");
    }
}
