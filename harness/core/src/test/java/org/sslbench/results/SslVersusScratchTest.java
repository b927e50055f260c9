package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each method vs the supervised baseline of the same run, paired by seed: hand-built cells, no training. */
class SslVersusScratchTest {
    /** Student t 0.975 quantile, 2 degrees of freedom (tables: 4.303). */
    private static final double T_2 = 4.302652729911275;
    private static final double EPS = 1e-9;

    @TempDir
    Path dir;

    /** A stratified ok cell; label subset {@code subset-<seed>} (the same on both sides for one seed). */
    private static CellResult cell(String method, int nLabels, int seed, double acc, double max, int downstreamEpochs) {
        return cell(method, "finetune", nLabels, seed, -1, acc, max, downstreamEpochs, "subset-" + seed);
    }

    private static CellResult cell(String method, String protocol, int nLabels, int seed, int fold, double acc,
                                   double max, int downstreamEpochs, String labelSubset) {
        boolean pretext = !method.equals("supervised");
        String config = String.join("|", method, protocol, "" + nLabels, "" + downstreamEpochs, fold < 0 ? "s" : "f");
        return new CellResult("spec-a", method, "cifar10", "resnet20", protocol, nLabels, seed, pretext ? 5 : 0,
                downstreamEpochs, acc, max, 1 - acc, pretext ? 0.5 : Double.NaN, pretext ? 0.1 : Double.NaN, 12.5,
                pretext ? 30.0 : 0.0, 1500.0, Status.OK, "", pretext ? "all_four=false" : "", labelSubset,
                fold < 0 ? CellResult.STRATIFIED : CellResult.FOLD, fold, config,
                config + "|" + seed + "|" + fold, pretext ? method + "-s" + seed : "", "", "", TestCells.PROVENANCE);
    }

    /** Rotation and supervised at n=100 over seeds 0..2 with the given final (and max) accuracies. */
    private static List<CellResult> threeSeeds(double[] rotation, double[] supervised) {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < rotation.length; s++) {
            cells.add(cell("rotation", 100, s, rotation[s], rotation[s] + 0.02, 10));
        }
        for (int s = 0; s < supervised.length; s++) {
            cells.add(cell("supervised", 100, s, supervised[s], supervised[s] + 0.03, 10));
        }
        return cells;
    }

    private static List<SslVersusScratch.Row> rows(List<CellResult> cells) {
        return SslVersusScratch.rows(cells, Leaderboard.aggregate(cells));
    }

    private static SslVersusScratch.Row only(List<SslVersusScratch.Row> rows, Metric metric) {
        List<SslVersusScratch.Row> of = rows.stream().filter(r -> r.metric() == metric).toList();
        assertEquals(1, of.size(), of.toString());
        return of.get(0);
    }

    /** The pixels floor is no pretraining method: no SSL-vs-scratch row (it is only ranked). */
    @Test
    void thePixelsFloorIsNotJudgedAsPretraining() {
        List<CellResult> cells = new ArrayList<>(threeSeeds(new double[] {0.5, 0.52, 0.51}, new double[] {0.4, 0.41, 0.43}));
        for (int s = 0; s < 3; s++) {
            cells.add(cell("pixels", 100, s, 0.3, Double.NaN, 10));
        }
        List<SslVersusScratch.Row> rows = rows(cells);
        assertTrue(rows.stream().noneMatch(r -> r.method().equals("pixels")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.method().equals("rotation")), rows.toString());
    }

    @Test
    void tQuantileIsStudents() {
        assertEquals(T_2, SslVersusScratch.tQuantile(2), 1e-9);
        assertEquals(12.706204736174698, SslVersusScratch.tQuantile(1), 1e-8);
        assertEquals(2.2621571628, SslVersusScratch.tQuantile(9), 1e-8);
    }

    @Test
    void betterWithExactDeltaIntervalAndVerdict() {
        // d = +5, +7, +9 points: mean 7, sd 2, band 2·2/√3 = 2.31 < 7 → better.
        List<SslVersusScratch.Row> rows = rows(threeSeeds(new double[] {0.40, 0.45, 0.50},
                new double[] {0.35, 0.38, 0.41}));
        SslVersusScratch.Row r = only(rows, Metric.FINAL);
        assertEquals("rotation", r.method());
        assertEquals("rotation|finetune|100|10|s", r.configId());
        assertEquals("supervised|finetune|100|10|s", r.baselineConfigId());
        assertEquals(3, r.nPairs());
        assertEquals(7.0, r.meanDeltaPoints(), EPS);
        assertEquals(2.0, r.sdDelta(), EPS);
        double half = T_2 * 2.0 / Math.sqrt(3);
        assertEquals(7.0 - half, r.ciLow(), 1e-8);
        assertEquals(7.0 + half, r.ciHigh(), 1e-8);
        assertEquals(Verdict.BETTER, r.verdict());
        assertEquals(NoiseTest.PAIRED, r.test());
        assertEquals("", r.folds());
        // max over epochs: rotation +2, supervised +3 points on every seed → Δ 1 point less, same spread.
        SslVersusScratch.Row m = only(rows, Metric.MAX_OVER_EPOCHS);
        assertEquals(6.0, m.meanDeltaPoints(), 1e-8);
        assertEquals(2.0, m.sdDelta(), 1e-8);
        assertEquals(Verdict.BETTER, m.verdict());
        assertEquals("Δ +7.00 pts [+2.03, +11.97] better (paired, 3)", SslVersusScratch.verdictText(r));
    }

    @Test
    void worseIsTheMirror() {
        SslVersusScratch.Row r = only(rows(threeSeeds(new double[] {0.35, 0.38, 0.41},
                new double[] {0.40, 0.45, 0.50})), Metric.FINAL);
        assertEquals(-7.0, r.meanDeltaPoints(), EPS);
        assertEquals(-7.0 - T_2 * 2.0 / Math.sqrt(3), r.ciLow(), 1e-8);
        assertEquals(Verdict.WORSE, r.verdict());
    }

    @Test
    void withinNoiseWhenTheMeanIsInsideTheBand() {
        // d = +2, -1, +2 points: mean 1, sd √3 = 1.732, band 2·√3/√3 = 2 > 1 → within noise.
        SslVersusScratch.Row r = only(rows(threeSeeds(new double[] {0.42, 0.39, 0.52},
                new double[] {0.40, 0.40, 0.50})), Metric.FINAL);
        assertEquals(1.0, r.meanDeltaPoints(), EPS);
        assertEquals(Math.sqrt(3), r.sdDelta(), 1e-8);
        assertEquals(1.0 - T_2, r.ciLow(), 1e-8); // half = t·√3/√3
        assertEquals(1.0 + T_2, r.ciHigh(), 1e-8);
        assertEquals(Verdict.WITHIN_NOISE, r.verdict());
    }

    @Test
    void oneSeedGivesNoSpreadAndNoInterval() {
        SslVersusScratch.Row r = only(rows(threeSeeds(new double[] {0.40}, new double[] {0.35})), Metric.FINAL);
        assertEquals(1, r.nPairs());
        assertEquals(5.0, r.meanDeltaPoints(), 1e-8);
        assertEquals(Verdict.NO_SPREAD, r.verdict());
        assertTrue(Double.isNaN(r.ciLow()) && Double.isNaN(r.ciHigh()) && Double.isNaN(r.sdDelta()));
        assertEquals("", r.test());
        assertEquals("Δ +5.00 pts no spread (1 pair)", SslVersusScratch.verdictText(r));
    }

    @Test
    void seedsOnOneSideOnlyAreNotPaired() {
        // Rotation has seeds 0..2, supervised only 0 and 5: one common seed → no spread, not an unpaired verdict.
        List<CellResult> cells = new ArrayList<>(threeSeeds(new double[] {0.40, 0.45, 0.50}, new double[] {0.35}));
        cells.add(cell("supervised", 100, 5, 0.30, 0.31, 10));
        SslVersusScratch.Row r = only(rows(cells), Metric.FINAL);
        assertEquals(1, r.nPairs());
        assertEquals(Verdict.NO_SPREAD, r.verdict());
    }

    @Test
    void mismatchedLabelSubsetsAreNotPaired() {
        List<CellResult> cells = threeSeeds(new double[] {0.40, 0.45, 0.50}, new double[] {0.35, 0.38});
        // Seed 2 of supervised drew other labels (another subset fingerprint): not a pair.
        cells.add(cell("supervised", "finetune", 100, 2, -1, 0.10, 0.11, 10, "other-subset"));
        Leaderboard board = Leaderboard.aggregate(cells);
        SslVersusScratch.Row r = only(SslVersusScratch.rows(cells, board), Metric.FINAL);
        assertEquals(2, r.nPairs());
        assertEquals(6.0, r.meanDeltaPoints(), 1e-8); // (5 + 7) / 2, seed 2 left out
        assertEquals(Math.sqrt(2), r.sdDelta(), 1e-8);
        String md = SslVersusScratch.markdown(cells, board);
        assertTrue(md.contains("1 seed not paired: label subsets differ"), md);
    }

    @Test
    void emptyFingerprintsAreNotPaired() {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", "finetune", 100, s, -1, 0.4 + s / 100.0, Double.NaN, 10, ""));
            cells.add(cell("supervised", "finetune", 100, s, -1, 0.3, Double.NaN, 10, ""));
        }
        List<SslVersusScratch.Row> rows = rows(cells);
        assertEquals(1, rows.size(), "no max row when max_test_accuracy was not measured");
        assertEquals(0, rows.get(0).nPairs());
        assertEquals(Verdict.NO_VALUE, rows.get(0).verdict());
        assertEquals("no common seed", SslVersusScratch.verdictText(rows.get(0)));
    }

    @Test
    void differentProtocolSettingsAreNeverPaired() {
        // Same method pair, same n, but supervised fine-tuned 20 epochs and rotation 10: two configurations.
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", 100, s, 0.40 + s / 100.0, 0.5, 10));
            cells.add(cell("supervised", 100, s, 0.30, 0.4, 20));
        }
        Leaderboard board = Leaderboard.aggregate(cells);
        assertEquals(List.of(), SslVersusScratch.rows(cells, board));
        String md = SslVersusScratch.markdown(cells, board);
        assertTrue(md.contains("not compared: settings differ from supervised's: finetune epochs 10 vs finetune epochs 20"),
                md);
        // Another protocol (linear) is its own table, never paired with fine-tune's baseline.
        List<CellResult> linear = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            linear.add(cell("rotation", "linear", 100, s, -1, 0.40, 0.5, 10, "subset-" + s));
            linear.add(cell("supervised", "finetune", 100, s, -1, 0.30, 0.4, 10, "subset-" + s));
        }
        assertEquals(List.of(), rows(linear));
    }

    @Test
    void fullSettingsPairOnlyWhenTheyDifferInTheMethodAlone() {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", 100, s, 0.40 + s / 100.0, 0.5, 10));
            cells.add(cell("supervised", 100, s, 0.30, 0.4, 10));
        }
        String common = "backbone=resnet20;dataset.name=cifar10;n_labels=100;protocol.name=finetune;"
                + "protocol.train.epochs=10;subset_kind=stratified";
        String rotation = "method=rotation;params.all_four=false;pretext.epochs=5;" + common;
        for (String lr : List.of("0.001", "0.01")) {
            Map<String, CurrentConfigs.Entry> known = Map.of(
                    "rotation|finetune|100|10|s", new CurrentConfigs.Entry("rotation|finetune|100|10|s", "rotation",
                            "cifar10", "resnet20", "finetune", 100, "stratified", "all_four=false", "r",
                            rotation + ";protocol.train.optimizer.lr=0.001"),
                    "supervised|finetune|100|10|s", new CurrentConfigs.Entry("supervised|finetune|100|10|s",
                            "supervised", "cifar10", "resnet20", "finetune", 100, "stratified", "", "s",
                            "method=supervised;" + common + ";protocol.train.optimizer.lr=" + lr));
            Leaderboard board = Leaderboard.aggregate(cells, null, known, null);
            List<SslVersusScratch.Row> rows = SslVersusScratch.rows(cells, board);
            if (lr.equals("0.001")) {
                // params.* and pretext.* differ (they are the method): paired.
                assertEquals(3, only(rows, Metric.FINAL).nPairs());
            } else {
                assertEquals(List.of(), rows, "a fine-tune learning rate differs: not the same protocol");
                assertTrue(SslVersusScratch.markdown(cells, board).contains("finetune optimizer lr 0.001 vs "
                        + "finetune optimizer lr 0.01"));
            }
        }
    }

    /**
     * unlabeled_limit sizes only the pretext pool: a rotation row with any limit pairs with the
     * baseline, whether the baseline's settings lack the key (now) or carry another value (written
     * before the baseline's identity left it out).
     */
    @Test
    void thePretextPoolLimitNeverKeepsARowFromItsBaseline() {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", 100, s, 0.40 + s / 100.0, Double.NaN, 10));
            cells.add(cell("supervised", 100, s, 0.30, Double.NaN, 10));
        }
        String common = "backbone=resnet20;dataset.name=cifar10;n_labels=100;protocol.name=finetune;"
                + "protocol.train.epochs=10;subset_kind=stratified";
        for (String baselineLimit : List.of("", ";dataset.unlabeled_limit=10000", ";dataset.unlabeled_limit=0")) {
            Map<String, CurrentConfigs.Entry> known = Map.of(
                    "rotation|finetune|100|10|s", new CurrentConfigs.Entry("rotation|finetune|100|10|s", "rotation",
                            "cifar10", "resnet20", "finetune", 100, "stratified", "all_four=false", "r",
                            "method=rotation;params.all_four=false;pretext.epochs=5;" + common
                                    + ";dataset.unlabeled_limit=0"),
                    "supervised|finetune|100|10|s", new CurrentConfigs.Entry("supervised|finetune|100|10|s",
                            "supervised", "cifar10", "resnet20", "finetune", 100, "stratified", "", "s",
                            "method=supervised;" + common + baselineLimit));
            Leaderboard board = Leaderboard.aggregate(cells, null, known, null);
            assertEquals(3, only(SslVersusScratch.rows(cells, board), Metric.FINAL).nPairs(), baselineLimit);
            assertFalse(SslVersusScratch.markdown(cells, board).contains("not compared"), baselineLimit);
        }
    }

    @Test
    void predefinedFoldsPairPerFoldAndNeverWithStratifiedSubsets() {
        List<CellResult> cells = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            cells.add(cell("rotation", "finetune", 100, 0, f, 0.40 + f / 100.0, Double.NaN, 10, "fold" + f));
            cells.add(cell("supervised", "finetune", 100, 0, f, 0.30, Double.NaN, 10, "fold" + f));
            cells.add(cell("supervised", "finetune", 100, f, -1, 0.90, Double.NaN, 10, "subset-" + f));
        }
        SslVersusScratch.Row r = only(rows(cells), Metric.FINAL);
        assertEquals(CellResult.FOLD, r.subsetKind());
        assertEquals("0;1;2", r.folds());
        assertEquals(3, r.nPairs());
        assertEquals(11.0, r.meanDeltaPoints(), 1e-8); // +10, +11, +12: the stratified 90 % never enters
    }

    @Test
    void withoutSupervisedThereIsNoTableAndNoRow() {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", 100, s, 0.4, 0.5, 10));
            cells.add(cell("simclr", 100, s, 0.5, 0.6, 10));
        }
        Leaderboard board = Leaderboard.aggregate(cells);
        assertEquals(List.of(), SslVersusScratch.rows(cells, board));
        assertEquals("", SslVersusScratch.markdown(cells, board));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SslVersusScratch.print(cells, board, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), SslVersusScratch.rows(List.of(), Leaderboard.aggregate(List.of())));
    }

    @Test
    void csvRoundTrips() throws IOException {
        List<CellResult> cells = threeSeeds(new double[] {0.40, 0.45, 0.50}, new double[] {0.35, 0.38, 0.41});
        cells.add(cell("simclr", 100, 0, 0.5, Double.NaN, 10)); // one pair, no max: NaN columns, empty test
        List<SslVersusScratch.Row> rows = rows(cells);
        assertEquals(3, rows.size());
        Path file = dir.resolve(SslVersusScratch.FILE_NAME);
        SslVersusScratch.write(file, rows);
        assertEquals(rows, SslVersusScratch.read(file));
        assertTrue(Files.readString(file).startsWith(String.join(",", SslVersusScratch.COLUMNS) + "\n"));
        assertTrue(Files.readString(file).contains(",rotation|finetune|100|10|s,supervised|finetune|100|10|s,final,3,7.0"),
                Files.readString(file));
        // The answer column: the interval's verdict; "too few seeds" for simclr's one pair.
        assertTrue(Files.readString(file).contains(",paired,better\n"), Files.readString(file));
        assertTrue(Files.readString(file).contains(",simclr,") && Files.readString(file).contains(",,too few seeds\n"),
                Files.readString(file));
        SslVersusScratch.write(file, List.of());
        assertEquals(List.of(), SslVersusScratch.read(file));
        Files.writeString(file, String.join(",", SslVersusScratch.COLUMNS) + "\n"
                + "cifar10,resnet20,finetune,100,stratified,,rotation,a,b,final,3,7.0,2.0,12.0,2.0,great,paired,better\n");
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> SslVersusScratch.read(file));
        assertTrue(e.getMessage().contains("line 2: verdict: 'great' is not one of better, worse, within noise"),
                e.getMessage());
    }

    @Test
    void reportHasTheDetailsAfterTheLeaderboardAndTheCsvBesideIt() throws IOException {
        CellsCsv csv = CellsCsv.open(dir);
        for (CellResult c : threeSeeds(new double[] {0.40, 0.45, 0.50}, new double[] {0.35, 0.38, 0.41})) {
            csv.append(c);
        }
        Report.write(dir, null);
        String md = Files.readString(dir.resolve(Report.FILE_NAME));
        // The answer opens the report; these long tables follow the leaderboard.
        int section = md.indexOf("## Does pretraining beat supervised from scratch? (details)");
        assertTrue(md.indexOf("## Answer") < md.indexOf("## Provenance") && section > md.indexOf("## Leaderboard"), md);
        assertTrue(md.contains("| rotation | Δ +7.00 pts [+2.03, +11.97] better (paired, 3) |"), md);
        // The test-selected table in the same units as the final one, named as optimistic (issue 13).
        assertTrue(md.contains("| rotation | Δ +6.00 pts [+1.03, +10.97] better (paired, 3) |"), md);
        assertTrue(md.contains("Test-selected (optimistic) (`test_selected_max_accuracy`: each seed's best epoch, chosen"
                + " on the test split; a diagnostic, never the reported number)"), md);
        assertTrue(md.contains("mean Δ ± t(0.975, n−1)·sd(Δ)/√n (t = 4.30 at n = 3), wider"), md);
        assertTrue(md.contains("fewer than 2 paired seeds"), md);
        List<SslVersusScratch.Row> written = SslVersusScratch.read(dir.resolve(SslVersusScratch.FILE_NAME));
        assertEquals(SslVersusScratch.rows(csv.rows(), Leaderboard.aggregate(csv.rows())), written);
        assertEquals(2, written.size());
    }

    /** The footer names the t quantile of each number of pairs the section's intervals used, not always n = 3's. */
    @Test
    void theFooterGivesTheTOfEveryNumberOfPairsPresent() {
        List<CellResult> five = threeSeeds(new double[] {0.40, 0.45, 0.50, 0.47, 0.52}, new double[] {0.35, 0.38, 0.41, 0.40, 0.44});
        String md = SslVersusScratch.markdown(five, Leaderboard.aggregate(five));
        assertTrue(md.contains("sd(Δ)/√n (t = 2.78 at n = 5), wider"), md);
        assertFalse(md.contains("4.30"), md);
        List<CellResult> mixed = new ArrayList<>(five);
        for (int s = 0; s < 2; s++) {
            mixed.add(cell("rotation", 250, s, 0.5 + s / 100.0, Double.NaN, 10));
            mixed.add(cell("supervised", 250, s, 0.4, Double.NaN, 10));
        }
        md = SslVersusScratch.markdown(mixed, Leaderboard.aggregate(mixed));
        assertTrue(md.contains("(t = 12.71 at n = 2, 2.78 at n = 5)"), md);
        List<CellResult> one = threeSeeds(new double[] {0.40}, new double[] {0.35});
        md = SslVersusScratch.markdown(one, Leaderboard.aggregate(one));
        assertTrue(md.contains("sd(Δ)/√n, wider"), md); // one pair: no interval, so no t
    }

    @Test
    void reportWithoutSupervisedHasNoSectionAndAnEmptyCsv() throws IOException {
        CellsCsv csv = CellsCsv.open(dir);
        csv.append(cell("rotation", 100, 0, 0.4, 0.5, 10));
        Report.write(dir, null);
        assertFalse(Files.readString(dir.resolve(Report.FILE_NAME)).contains("Does pretraining beat"));
        assertEquals(List.of(), SslVersusScratch.read(dir.resolve(SslVersusScratch.FILE_NAME)));
    }

    @Test
    void consoleLinesPerMethodProtocolAndLabelCount() {
        List<CellResult> cells = threeSeeds(new double[] {0.40, 0.45, 0.50}, new double[] {0.35, 0.38, 0.41});
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", 250, s, 0.5, Double.NaN, 10));
            cells.add(cell("supervised", 250, s, 0.5, Double.NaN, 10));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SslVersusScratch.print(cells, Leaderboard.aggregate(cells), new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  rotation vs supervised, cifar10 resnet20 finetune n=100: Δ +7.00 pts [+2.03, +11.97]"
                + " better (paired, 3); test-selected (optimistic) Δ +6.00 pts [+1.03, +10.97] better (paired, 3)\n"), text);
        // Equal accuracies on every seed: Δ 0, no spread, and no max part (not measured).
        assertTrue(text.contains("  rotation vs supervised, cifar10 resnet20 finetune n=250: Δ +0.00 pts no spread"
                + " (paired, 3)\n"), text);
    }
}
