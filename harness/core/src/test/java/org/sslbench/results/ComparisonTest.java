package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.results.TestCells.cell;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {
    @TempDir
    Path dir;

    private static final String REFERENCE_HEADER =
            "dataset,backbone,protocol,n_labels,method,metric,test_accuracy,n_seeds,source,note\n";

    /** A results directory with cells.csv and the leaderboard aggregated from it. */
    private Path run(String name, List<CellResult> cells) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        CellsCsv csv = CellsCsv.open(out);
        for (CellResult c : cells) {
            csv.append(c);
        }
        Leaderboard.aggregate(csv.rows()).write(out.resolve(Leaderboard.FILE_NAME));
        return out.resolve(Leaderboard.FILE_NAME);
    }

    private Path reference(String name, String rows) throws IOException {
        return Files.writeString(dir.resolve(name), REFERENCE_HEADER + rows);
    }

    private static CellResult c(String method, String backbone, String protocol, int n, int seed, double acc) {
        return cell(method, "cifar10", backbone, protocol, n, seed, Status.OK, acc);
    }

    private static List<CellResult> seeds(String method, int n, double... accuracies) {
        List<CellResult> cells = new java.util.ArrayList<>();
        for (int s = 0; s < accuracies.length; s++) {
            cells.add(c(method, "resnet20", "finetune", n, s, accuracies[s]));
        }
        return cells;
    }

    private static ComparisonRow only(Comparison c) {
        assertEquals(1, c.rows().size(), c.rows().toString());
        return c.rows().get(0);
    }

    private static ResultKey key(String backbone, String protocol, int n, String method) {
        return new ResultKey("cifar10", backbone, protocol, n, method);
    }

    @Test
    void joinsOnAllFiveKeyColumnsAndListsRowsOnOneSide() throws IOException {
        Path a = run("a", List.of(
                c("rotation", "resnet20", "finetune", 100, 0, 0.40),
                c("rotation", "resnet20", "finetune", 250, 0, 0.50),    // n_labels differs from B
                c("rotation", "resnet20", "linear", 100, 0, 0.30),      // protocol differs
                c("rotation", "small-cnn", "finetune", 100, 0, 0.35),   // backbone differs
                cell("rotation", "mnist", "resnet20", "finetune", 100, 0, Status.OK, 0.9)));  // dataset differs
        Path b = reference("b.csv", """
                cifar10,resnet20,finetune,100,rotation,final,0.45,1,paper,
                cifar10,resnet20,finetune,100,supervised,final,0.30,1,paper,
                cifar10,resnet20,finetune,500,rotation,final,0.55,1,paper,
                """);
        Comparison cmp = Comparison.of(a, b);
        assertEquals(key("resnet20", "finetune", 100, "rotation"), only(cmp).key().scope());
        assertEquals(List.of(key("resnet20", "finetune", 250, "rotation"), key("resnet20", "linear", 100, "rotation"),
                        key("small-cnn", "finetune", 100, "rotation"), new ResultKey("mnist", "resnet20", "finetune", 100, "rotation")),
                cmp.onlyInA().stream().map(e -> e.key().scope()).toList());
        assertEquals(List.of(key("resnet20", "finetune", 100, "supervised"), key("resnet20", "finetune", 500, "rotation")),
                cmp.onlyInB().stream().map(ComparisonSide.Entry::key).toList());

        String text = ComparisonTable.text(cmp);
        assertTrue(text.contains("only in A (4):"), text);
        assertTrue(text.contains("only in B (2):"), text);
        assertTrue(text.contains("cifar10 resnet20 finetune n=500 rotation: final 55.00 (1) [paper]"), text);
        // The CSV keeps them too: 1 joined + 4 + 2.
        List<CSVRecord> csv = parse(ComparisonTable.csv(cmp));
        assertEquals(7, csv.size());
        assertEquals(4, csv.stream().filter(r -> r.get("verdict").equals("only in A")).count());
        assertEquals(2, csv.stream().filter(r -> r.get("verdict").equals("only in B")).count());
    }

    @Test
    void maxOverEpochsReferenceRowsUseTheRunsMaxTestAccuracy() throws IOException {
        // TestCells: max_test_accuracy = test_accuracy + 0.01.
        Path a = run("a", seeds("rotation", 100, 0.40, 0.44));
        Path b = reference("b.csv", """
                cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.4661,1,rotation table,
                cifar10,resnet20,finetune,100,rotation,final,0.45,1,other source,
                """);
        Comparison cmp = Comparison.of(a, b);
        assertEquals(2, cmp.rows().size());
        ComparisonRow max = cmp.rows().get(0);
        assertEquals("max_over_epochs", max.metric());
        assertEquals(0.43, max.a().mean(), 1e-12);
        assertEquals(List.of(0.40 + 0.01, 0.44 + 0.01), max.a().values());
        assertEquals("rotation table", max.sourceB());
        ComparisonRow fin = cmp.rows().get(1);
        assertEquals("final", fin.metric());
        assertEquals(0.42, fin.a().mean(), 1e-12);
        assertEquals("other source", fin.sourceB());
        assertTrue(ComparisonTable.text(cmp).contains("max_over_epochs"));
    }

    @Test
    void aLeaderboardWithoutCellsUsesMeanMaxTestAccuracyWithUnknownSpread() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.40, 0.44));
        Path alone = Files.createDirectories(dir.resolve("alone")).resolve(Leaderboard.FILE_NAME);
        Files.copy(a, alone);
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.40,1,t,\n");
        ComparisonRow row = only(Comparison.of(alone, b));
        assertEquals(0.43, row.a().mean(), 1e-12);
        assertTrue(Double.isNaN(row.a().std()));
        assertEquals(2, row.a().n());
        // Neither side has a known spread: shown, not judged.
        assertEquals(Verdict.NO_SPREAD, row.judgement().verdict());
        assertEquals(0.03, row.judgement().delta(), 1e-12);
    }

    @Test
    void aClearWinIsBetterAndTheReverseIsWorse() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.70, 0.71, 0.72));
        Path b = run("b", seeds("rotation", 100, 0.50, 0.52, 0.51));
        assertEquals(Verdict.BETTER, only(Comparison.of(a, b)).judgement().verdict());
        assertEquals(Verdict.WORSE, only(Comparison.of(b, a)).judgement().verdict());
    }

    @Test
    void aSmallDifferenceInsideTheSeedsSpreadIsWithinNoise() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.50, 0.60, 0.55));
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,final,0.54,1,t,\n");
        ComparisonRow row = only(Comparison.of(a, b));
        assertEquals(NoiseTest.UNPAIRED, row.judgement().test());
        // threshold = 2 · 0.05/√3 (B, one value, contributes 0)
        assertEquals(2 * 0.05 / Math.sqrt(3), row.judgement().threshold(), 1e-12);
        assertEquals(Verdict.WITHIN_NOISE, row.judgement().verdict());
    }

    @Test
    void pairingOverSeedsFindsWhatTheSeedsSpreadHides() throws IOException {
        // Seeds move both sides alike (spread 10 points); A is ahead by ~2 points on every seed.
        Path a = run("a", seeds("rotation", 100, 0.50, 0.60, 0.70));
        Path b = run("b", seeds("rotation", 100, 0.48, 0.585, 0.675));
        ComparisonRow row = only(Comparison.of(a, b));
        assertEquals(NoiseTest.PAIRED, row.judgement().test());
        assertEquals(0.02, row.judgement().delta(), 1e-12);
        assertEquals(Verdict.BETTER, row.judgement().verdict());
        // The same numbers without seeds: unpaired, and within noise.
        Sample sa = Sample.summary(row.a().mean(), row.a().std(), 3);
        Sample sb = Sample.summary(row.b().mean(), row.b().std(), 3);
        assertEquals(Verdict.WITHIN_NOISE, NoiseTest.judge(sa, sb).verdict());
    }

    @Test
    void pairingNeedsTwoCommonSeeds() {
        Sample a = Sample.ofSeeds(List.of(0, 1), List.of(0.50, 0.60));
        Sample b = Sample.ofSeeds(List.of(1, 2), List.of(0.58, 0.49));
        NoiseTest.Judgement j = NoiseTest.judge(a, b);
        assertEquals(NoiseTest.UNPAIRED, j.test());
        assertEquals(0.55 - 0.535, j.delta(), 1e-12);
    }

    /** Issue 10: two seeds that both moved by exactly 0.01 points have sd(d) = 0, which estimates no noise. */
    @Test
    void pairedDifferencesWithZeroSpreadAreNotJudged() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.4501, 0.5001));
        Path b = run("b", seeds("rotation", 100, 0.45, 0.50));
        ComparisonRow row = only(Comparison.of(a, b));
        assertEquals(NoiseTest.PAIRED, row.judgement().test());
        assertEquals(Verdict.NO_SPREAD, row.judgement().verdict());
        assertEquals(0.0001, row.judgement().delta(), 1e-9);
        String text = ComparisonTable.text(cmpOf(a, b));
        assertTrue(text.contains("+0.01") && text.contains("paired sd 0  no spread"), text);
        // The unpaired rule likewise: spreads of exactly 0 on both sides are no noise estimate.
        assertEquals(Verdict.NO_SPREAD, NoiseTest.judge(Sample.summary(0.5001, 0.0, 3), Sample.summary(0.5, 0.0, 3)).verdict());
        // Equal differences that floating point makes unequal in the last bits (0.6005 - 0.6 is
        // 5.00000000000056E-4, 0.4505 - 0.45 is 5.000000000000004E-4) are still no noise estimate.
        assertEquals(Verdict.NO_SPREAD, NoiseTest.judge(Sample.ofSeeds(List.of(0, 1), List.of(0.4505, 0.6005)),
                Sample.ofSeeds(List.of(0, 1), List.of(0.45, 0.60))).verdict());
        // A non-zero spread still decides.
        assertEquals(Verdict.BETTER, NoiseTest.judge(Sample.ofSeeds(List.of(0, 1), List.of(0.60, 0.71)),
                Sample.ofSeeds(List.of(0, 1), List.of(0.50, 0.60))).verdict());
    }

    /**
     * Issue 10: a run that scored only the final epoch (eval_every 0) has no max over epochs; it
     * used to record the final accuracy as the max and be compared with a best-epoch number.
     */
    @Test
    void aRunWithoutABestEpochHasNoMaxOverEpochsValueAndSaysWhy() throws IOException {
        List<CellResult> cells = seeds("rotation", 100, 0.45, 0.50).stream().map(c -> TestCells.withMax(c, Double.NaN)).toList();
        Path a = run("a", cells);
        assertEquals("", CsvTable.read(a, LeaderboardRow.COLUMNS, r -> r.get("mean_test_selected_max_accuracy")).rows().get(0));
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.70,1,paper,\n");
        Comparison cmp = Comparison.of(a, b);
        ComparisonRow row = only(cmp);
        assertEquals("max_over_epochs", row.metric());
        assertEquals(Verdict.NO_VALUE, row.judgement().verdict());
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.contains("no max_over_epochs value: the run scored the test"
                + " split only once")), cmp.warnings().toString());
        String text = ComparisonTable.text(cmp);
        assertTrue(text.contains("no value") && !text.contains("45.00"), text);
        // The leaderboard alone (no cells.csv) says the same.
        Files.delete(a.resolveSibling(CellsCsv.FILE_NAME));
        assertEquals(Verdict.NO_VALUE, only(Comparison.of(a, b)).judgement().verdict());

        // Old results where the max was recorded as the final accuracy: warned about.
        Path old = run("old", seeds("rotation", 100, 0.45, 0.50).stream()
                .map(c -> TestCells.withMax(c, c.testAccuracy())).toList());
        Comparison withOld = Comparison.of(old, b);
        assertTrue(withOld.warnings().stream().anyMatch(w -> w.contains("test_selected_max_accuracy equals test_accuracy on every seed")),
                withOld.warnings().toString());
        // A real max over epochs draws no such warning.
        assertTrue(Comparison.of(run("real", seeds("rotation", 100, 0.45, 0.50)), b).warnings().isEmpty());
    }

    /** A key published with one metric on each side is not compared, and the output says why. */
    @Test
    void aReferenceMetricWithoutCounterpartIsNoted() throws IOException {
        Path a = reference("a.csv", "cifar10,resnet20,finetune,100,rotation,final,0.60,1,paper A,\n");
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.70,1,paper B,\n");
        Comparison cmp = Comparison.of(a, b);
        assertEquals(List.of(), cmp.rows());
        assertEquals(1, cmp.onlyInA().size());
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.contains("A reports final [paper A], B max_over_epochs [paper B]:"
                + " different metrics, not compared")), cmp.warnings().toString());
    }

    @Test
    void oneValueOnEachSideIsNotJudged() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.70));
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,final,0.50,1,t,\n");
        ComparisonRow row = only(Comparison.of(a, b));
        assertEquals(Verdict.NO_SPREAD, row.judgement().verdict());
        assertEquals(0.20, row.judgement().delta(), 1e-12);
        assertTrue(ComparisonTable.text(cmpOf(a, b)).contains("+20.00"));
    }

    @Test
    void aKeyWhoseSeedsAllFailedHasNoValue() throws IOException {
        Path a = run("a", List.of(cell("rotation", "cifar10", "resnet20", "finetune", 100, 0, Status.FAILED, Double.NaN)));
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,final,0.50,1,t,\n");
        assertEquals(Verdict.NO_VALUE, only(Comparison.of(a, b)).judgement().verdict());
    }

    @Test
    void csvHasTheTableColumnsAndFractions() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.70, 0.71, 0.72));
        Path b = run("b", seeds("rotation", 100, 0.50, 0.52, 0.51));
        Path out = dir.resolve("cmp.csv");
        ComparisonTable.writeCsv(Comparison.of(a, b), out);
        List<CSVRecord> rows = parse(Files.readString(out));
        assertEquals(ComparisonTable.CSV_COLUMNS, rows.get(0).getParser().getHeaderNames());
        CSVRecord r = rows.get(0);
        assertEquals("0.71", r.get("a_mean"));
        assertEquals("3", r.get("b_n"));
        assertEquals("20.0", r.get("delta_points"));
        assertEquals("paired", r.get("test"));
        assertEquals("better", r.get("verdict"));
    }

    @Test
    void aFileThatIsNeitherIsRejectedWithItsHeader() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "method,accuracy\nrotation,0.5\n");
        Path b = reference("b.csv", "");
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> Comparison.of(bad, b));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("found:       method,accuracy"), e.getMessage());
        // cells.csv is not a leaderboard either
        Path a = run("a", seeds("rotation", 100, 0.7));
        assertThrows(ResultsFileException.class, () -> Comparison.of(a.resolveSibling(CellsCsv.FILE_NAME), b));
    }

    @Test
    void aResultsDirectoryStandsForItsLeaderboard() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.70, 0.71));
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,final,0.50,1,t,\n");
        assertEquals(Verdict.BETTER, only(Comparison.of(a.getParent(), b)).judgement().verdict());
    }

    /** A results directory whose leaderboard.csv is missing is read from its cells.csv, with a warning. */
    @Test
    void aResultsDirectoryWithoutItsLeaderboardIsReadFromItsCells() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.70, 0.72));
        Files.delete(a);
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,final,0.50,1,t,\n");
        Comparison cmp = Comparison.of(a.getParent(), b);
        ComparisonRow row = only(cmp);
        assertEquals(0.71, row.a().mean(), 1e-12);
        assertEquals(Verdict.BETTER, row.judgement().verdict());
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.contains("has no leaderboard.csv; compared from its cells.csv")),
                cmp.warnings().toString());
    }

    /** A missing path or a directory with no results is bad input naming the path, never a bare NoSuchFileException. */
    @Test
    void aMissingPathOrAnEmptyDirectoryIsRefusedByName() throws IOException {
        Path b = reference("b.csv", "");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> Comparison.of(empty, b));
        assertEquals(empty, e.file());
        assertTrue(e.getMessage().contains("holds cells.csv (and leaderboard.csv, built from it); this one has neither"),
                e.getMessage());
        Path missing = dir.resolve("nope.csv");
        e = assertThrows(ResultsFileException.class, () -> Comparison.of(b, missing));
        assertEquals(missing, e.file());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    /** Each side's mean is over all its seeds; a paired Δ over fewer says over which (else the columns do not add up). */
    @Test
    void aPairedDeltaOverFewerSeedsThanASideHasSaysSo() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.70, 0.72, 0.90));
        Path b = run("b", seeds("rotation", 100, 0.60, 0.63));
        Comparison cmp = Comparison.of(a, b);
        assertEquals(NoiseTest.PAIRED, only(cmp).judgement().test());
        assertEquals(0.095, only(cmp).judgement().delta(), 1e-12); // (0.10 + 0.09) / 2, seed 2 left out
        String text = ComparisonTable.text(cmp);
        assertTrue(text.contains("+9.50 (paired over 2 common seeds)"), text);
        String same = ComparisonTable.text(Comparison.of(a, run("c", seeds("rotation", 100, 0.60, 0.63, 0.80))));
        assertFalse(same.contains("(paired over"), same);
    }

    private static Comparison cmpOf(Path a, Path b) throws IOException {
        return Comparison.of(a, b);
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        try (Reader r = new java.io.StringReader(csv)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    // --- issue 10 case 2: a comparison never pools configurations ---

    private static CellResult folded(int seed, int fold, double acc, String configId) {
        return TestCells.configured(c("simclr", "resnet20", "finetune", 1000, seed, acc), configId, "t=0.1", fold);
    }

    private static final String REFERENCE_HEADER_WITH_KIND =
            "dataset,backbone,protocol,n_labels,method,subset_kind,metric,test_accuracy,n_seeds,source,note\n";

    /** Issue 10: a reference row tagged subset_kind fold meets only the run's fold rows; empty meets both. */
    @Test
    void aReferenceSubsetKindSelectsTheRunRowsOfThatKind() throws IOException {
        List<CellResult> cells = new java.util.ArrayList<>();
        cells.add(TestCells.configured(c("simclr", "resnet20", "finetune", 1000, 0, 0.30), "cfg-s", "t=0.1", -1));
        for (int f = 0; f < 3; f++) {
            cells.add(folded(0, f, 0.50 + f * 0.02, "cfg-f"));
        }
        Path a = run("a", cells);
        Path b = Files.writeString(dir.resolve("b.csv"), REFERENCE_HEADER_WITH_KIND
                + "cifar10,resnet20,finetune,1000,simclr,fold,final,0.45,10,paper,\"mean over the folds\"\n");
        Comparison cmp = Comparison.of(a, b);
        ComparisonRow row = only(cmp);
        assertEquals(CellResult.FOLD, row.subsetKind());
        assertEquals(0.52, row.a().mean(), 1e-12);
        assertEquals(CellResult.FOLD, ReferenceRow.read(b).get(0).subsetKind());
        // An empty subset_kind in the new layout is unspecified, as in the old one: both rows compared.
        Path both = Files.writeString(dir.resolve("both.csv"), REFERENCE_HEADER_WITH_KIND
                + "cifar10,resnet20,finetune,1000,simclr,,final,0.45,10,paper,\n");
        assertEquals(2, Comparison.of(a, both).rows().size());
        Path bad = Files.writeString(dir.resolve("bad.csv"), REFERENCE_HEADER_WITH_KIND
                + "cifar10,resnet20,finetune,1000,simclr,folds,final,0.45,10,paper,\n");
        String m = assertThrows(ResultsFileException.class, () -> ReferenceRow.read(bad)).getMessage();
        assertTrue(m.contains("bad.csv") && m.contains("line 2: subset_kind: 'folds' is not one of stratified"), m);
    }

    /** Issue 10: two numbers for one key, metric and source were both compared; now refused naming both lines. */
    @Test
    void aReferenceWithTwoNumbersForOneKeyMetricAndSourceIsRefused() throws IOException {
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,rotation,final,0.60,1,paper,\n"
                + "cifar10,resnet20,finetune,250,rotation,final,0.65,1,paper,\n"
                + "cifar10,resnet20,finetune,100,rotation,final,0.70,1,paper,\n");
        String m = assertThrows(ResultsFileException.class, () -> ReferenceRow.read(b)).getMessage();
        assertTrue(m.contains(b.toString()) && m.contains("lines 2 and 4: two rows for cifar10 resnet20 finetune n=100"
                + " rotation, metric final, source 'paper' with different values: 0.6 vs 0.7"), m);
        Path a = run("a", seeds("rotation", 100, 0.5));
        assertThrows(ResultsFileException.class, () -> Comparison.of(a, b));
        // Other sources, metrics or subset kinds are different numbers, not duplicates.
        Path ok = Files.writeString(dir.resolve("ok.csv"), REFERENCE_HEADER_WITH_KIND
                + "cifar10,resnet20,finetune,100,rotation,,final,0.60,1,paper,\n"
                + "cifar10,resnet20,finetune,100,rotation,,final,0.70,1,rerun,\n"
                + "cifar10,resnet20,finetune,100,rotation,,max_over_epochs,0.72,1,paper,\n"
                + "cifar10,resnet20,finetune,100,rotation,fold,final,0.66,10,paper,\n");
        assertEquals(4, ReferenceRow.read(ok).size());
    }

    /** Issue 10: `STL10` for `stl10` silently moved the row to "only in B"; now a did-you-mean warning. */
    @Test
    void aKeyThatDiffersOnlyInCaseGetsADidYouMean() throws IOException {
        Path a = run("a", seeds("rotation", 100, 0.5, 0.6));
        Path b = reference("b.csv", "CIFAR10,resnet20,Finetune,100,rotation,final,0.45,1,paper,\n");
        Comparison cmp = Comparison.of(a, b);
        assertEquals(List.of(), cmp.rows());
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.startsWith("B has CIFAR10 resnet20 Finetune n=100 rotation [paper],"
                + " which matches no key of the other side exactly: did you mean cifar10 resnet20 finetune n=100 rotation?")),
                cmp.warnings().toString());
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.startsWith("A has cifar10 resnet20 finetune n=100 rotation,"
                + " which matches no key")), cmp.warnings().toString());
        // Different n_labels is a different key, not a typo.
        Path other = reference("c.csv", "CIFAR10,resnet20,finetune,250,rotation,final,0.45,1,paper,\n");
        assertTrue(Comparison.of(a, other).warnings().stream().noneMatch(w -> w.contains("did you mean")));
    }

    @Test
    void foldsAndStratifiedUnderAReferenceThatDoesNotSayAreComparedSeparately() throws IOException {
        List<CellResult> cells = new java.util.ArrayList<>();
        cells.add(TestCells.configured(c("simclr", "resnet20", "finetune", 1000, 0, 0.30), "cfg-s", "t=0.1", -1));
        for (int f = 0; f < 3; f++) {
            cells.add(folded(0, f, 0.50 + f * 0.02, "cfg-f"));
        }
        Path a = run("a", cells);
        Path b = reference("b.csv", "cifar10,resnet20,finetune,1000,simclr,final,0.45,10,paper,\n");
        Comparison cmp = Comparison.of(a, b);
        assertEquals(2, cmp.rows().size(), cmp.rows().toString());
        ComparisonRow stratified = cmp.rows().get(0);
        ComparisonRow folds = cmp.rows().get(1);
        assertEquals(CellResult.STRATIFIED, stratified.subsetKind());
        assertEquals(1, stratified.a().n());
        assertEquals(0.30, stratified.a().mean(), 1e-12);
        assertEquals(CellResult.FOLD, folds.subsetKind());
        assertEquals(3, folds.a().n());
        assertEquals(0.52, folds.a().mean(), 1e-12);
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.startsWith("A holds 2 configurations of cifar10 resnet20 "
                + "finetune n=1000 simclr: compared separately, not pooled: config_id cfg-s (stratified")), cmp.warnings().toString());
        List<CSVRecord> csv = parse(ComparisonTable.csv(cmp));
        assertEquals(List.of("stratified", "fold"), csv.stream().map(r -> r.get("subset_kind")).toList());
        assertEquals(List.of("cfg-s", "cfg-f"), csv.stream().map(r -> r.get("a_config_id")).toList());
    }

    @Test
    void foldRowsPairOverTheSameFoldsAndNeverMeetStratifiedRows() throws IOException {
        List<CellResult> cellsA = new java.util.ArrayList<>();
        List<CellResult> cellsB = new java.util.ArrayList<>();
        double[] foldB = {0.40, 0.55, 0.47, 0.62};
        for (int f = 0; f < foldB.length; f++) {
            cellsA.add(folded(0, f, foldB[f] + 0.02 + (f % 2) * 0.001, "cfg-a"));
            cellsB.add(folded(0, f, foldB[f], "cfg-b"));
        }
        cellsB.add(TestCells.configured(c("simclr", "resnet20", "finetune", 1000, 0, 0.9), "cfg-bs", "t=0.1", -1));
        Comparison cmp = Comparison.of(run("a", cellsA), run("b", cellsB));
        ComparisonRow row = only(cmp);
        assertEquals(CellResult.FOLD, row.subsetKind());
        // Paired fold by fold (all seed 0): the folds' spread does not hide a steady 2 points.
        assertEquals(NoiseTest.PAIRED, row.judgement().test());
        assertEquals(0.0205, row.judgement().delta(), 1e-12);
        assertEquals(Verdict.BETTER, row.judgement().verdict());
        assertEquals(List.of("cfg-bs"), cmp.onlyInB().stream().map(e -> e.key().configId()).toList());
    }

    @Test
    void twoConfigurationsOfARunAreTwoRowsNamedByConfig() throws IOException {
        Path a = run("a", List.of(
                TestCells.configured(c("simclr", "resnet20", "finetune", 100, 0, 0.40), "cfg-old", "temperature=0.1", -1),
                TestCells.configured(c("simclr", "resnet20", "finetune", 100, 0, 0.60), "cfg-new", "temperature=0.5", -1)));
        // Written in the first layout (no series_id, settings or code): still read.
        Files.writeString(a.resolveSibling(CurrentConfigs.FILE_NAME), String.join(",", CurrentConfigs.BASE)
                + "\ncfg-new,simclr,cifar10,resnet20,finetune,100,stratified,temperature=0.5\n");
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,simclr,final,0.50,1,paper,\n");
        Comparison cmp = Comparison.of(a.getParent(), b);
        assertEquals(2, cmp.rows().size());
        assertEquals(List.of(0.60, 0.40), cmp.rows().stream().map(r -> r.a().mean()).toList(), "never their mean 0.50");
        assertEquals(List.of(1, 1), cmp.rows().stream().map(r -> r.a().n()).toList());
        String text = ComparisonTable.text(cmp);
        assertTrue(text.contains("config_id cfg-old (stratified, temperature=0.1, not in the current spec)"), text);
        assertTrue(text.contains("config_id cfg-new (stratified, temperature=0.5, current)"), text);
    }

    @Test
    void aStaleLeaderboardBesideItsCellsIsRebuiltFromThem() throws IOException {
        Path a = run("a", List.of(
                TestCells.configured(c("simclr", "resnet20", "finetune", 100, 0, 0.40), "cfg-old", "t=0.1", -1),
                TestCells.configured(c("simclr", "resnet20", "finetune", 100, 0, 0.60), "cfg-new", "t=0.5", -1)));
        // The layout of earlier versions: one pooled row, "seeds 0;0".
        Files.writeString(a, String.join(",", LeaderboardRow.LEGACY_COLUMNS)
                + "\ncifar10,resnet20,finetune,100,1,simclr,2,0,0;0,0.5,0.1,0.51,0.5,1.5\n");
        Path b = reference("b.csv", "cifar10,resnet20,finetune,100,simclr,final,0.50,1,paper,\n");
        Comparison cmp = Comparison.of(a, b);
        assertEquals(List.of(0.40, 0.60), cmp.rows().stream().map(r -> r.a().mean()).sorted().toList());
        assertTrue(cmp.warnings().stream().anyMatch(w -> w.contains("does not match its cells.csv")), cmp.warnings().toString());
    }

    /** The leaderboard of {@code run} alone (no cells.csv beside it): values from its mean columns. */
    private Path leaderboardOnly(Path leaderboard, String name) throws IOException {
        Path alone = Files.createDirectories(dir.resolve(name)).resolve(Leaderboard.FILE_NAME);
        return Files.copy(leaderboard, alone);
    }

    @Test
    void aMaxOverEpochsReferenceIsComparedWithMeanMaxTestAccuracyAndAFinalOneWithMeanTestAccuracy() throws IOException {
        // TestCells: max_test_accuracy = test_accuracy + 0.01, so the two leaderboard columns differ.
        Path board = leaderboardOnly(run("a", seeds("rotation", 100, 0.40, 0.44)), "alone");
        LeaderboardRow row = Leaderboard.read(board).rows().get(0);
        assertEquals(0.42, row.meanTestAccuracy(), 1e-12);
        assertEquals(0.43, row.meanMaxTestAccuracy(), 1e-12);
        Path b = reference("b.csv", """
                cifar10,resnet20,finetune,100,rotation,final,0.30,1,last epoch,
                cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.35,1,best epoch,
                """);
        Comparison cmp = Comparison.of(board, b);
        assertEquals(2, cmp.rows().size(), cmp.rows().toString());
        ComparisonRow fin = cmp.rows().get(0);
        assertEquals("final", fin.metric());
        assertEquals("last epoch", fin.sourceB());
        assertEquals(row.meanTestAccuracy(), fin.a().mean(), 1e-12);
        assertEquals(0.42 - 0.30, fin.judgement().delta(), 1e-12);
        ComparisonRow max = cmp.rows().get(1);
        assertEquals("max_over_epochs", max.metric());
        assertEquals("best epoch", max.sourceB());
        assertEquals(row.meanMaxTestAccuracy(), max.a().mean(), 1e-12);
        assertEquals(0.43 - 0.35, max.judgement().delta(), 1e-12);
        // The same with the sides swapped: the reference fixes the metric on either side.
        Comparison swapped = Comparison.of(b, board);
        assertEquals(List.of("final", "max_over_epochs"), swapped.rows().stream().map(ComparisonRow::metric).toList());
        assertEquals(0.42, swapped.rows().get(0).b().mean(), 1e-12);
        assertEquals(0.43, swapped.rows().get(1).b().mean(), 1e-12);
        assertTrue(cmp.onlyInA().isEmpty() && cmp.onlyInB().isEmpty());
    }

    @Test
    void twoReferenceNumbersOfDifferentMetricsAreNeverCompared() throws IOException {
        Path a = reference("a.csv", "cifar10,resnet20,finetune,100,rotation,final,0.40,1,paper A,\n");
        Path b = reference("b.csv", """
                cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.47,1,paper B,
                cifar10,resnet20,finetune,100,rotation,final,0.41,1,paper C,
                """);
        Comparison cmp = Comparison.of(a, b);
        ComparisonRow row = only(cmp);
        assertEquals("final", row.metric());
        assertEquals("paper C", row.sourceB());
        assertEquals(0.41, row.b().mean(), 1e-12);
        // The best-epoch number has no counterpart of its metric in A: listed, not compared.
        assertEquals(1, cmp.onlyInB().size());
        assertEquals("paper B", cmp.onlyInB().get(0).source());
        assertTrue(ComparisonTable.text(cmp).contains("n=100 rotation: max_over_epochs 47.00 (1) [paper B]"),
                ComparisonTable.text(cmp));
        // Asking an entry for a metric it lacks fails instead of answering with another metric.
        ComparisonSide.Entry published = cmp.onlyInB().get(0);
        assertThrows(IllegalArgumentException.class, () -> published.sample(Metric.FINAL));
    }

    @Test
    void aReferenceRowWithAnUnknownMetricIsRefusedWithFileLineAndField() throws IOException {
        Path b = reference("b.csv", """
                cifar10,resnet20,finetune,100,rotation,final,0.45,1,paper,
                cifar10,resnet20,finetune,250,rotation,best,0.55,1,paper,
                """);
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ReferenceRow.read(b));
        assertTrue(e.getMessage().startsWith(b + ": line 3: metric: 'best' is not one of final"), e.getMessage());
        assertTrue(e.getMessage().contains("max_over_epochs"), e.getMessage());
        Path run = run("a", seeds("rotation", 100, 0.40));
        assertThrows(ResultsFileException.class, () -> Comparison.of(run, b));
        // An empty metric is no default either.
        Path empty = reference("empty.csv", "cifar10,resnet20,finetune,100,rotation,,0.45,1,paper,\n");
        assertTrue(assertThrows(ResultsFileException.class, () -> ReferenceRow.read(empty)).getMessage()
                .contains("line 2: metric: '' is not one of"));
    }

    @Test
    void aReferenceAccuracyInPercentOrAnEmptyKeyIsRefused() throws IOException {
        Path percent = reference("p.csv", "cifar10,resnet20,finetune,100,rotation,final,61.30,1,paper,\n");
        String m = assertThrows(ResultsFileException.class, () -> ReferenceRow.read(percent)).getMessage();
        assertTrue(m.contains("line 2: test_accuracy: '61.30' is not a fraction in [0, 1]"), m);
        Path noSeeds = reference("s.csv", "cifar10,resnet20,finetune,100,rotation,final,0.6,0,paper,\n");
        assertTrue(assertThrows(ResultsFileException.class, () -> ReferenceRow.read(noSeeds)).getMessage()
                .contains("line 2: n_seeds: 0"));
        Path noMethod = reference("m.csv", "cifar10,resnet20,finetune,100,,final,0.6,1,paper,\n");
        assertTrue(assertThrows(ResultsFileException.class, () -> ReferenceRow.read(noMethod)).getMessage()
                .contains("line 2: method: empty"));
    }

    /** The shipped tables (repository root, two levels above this module) read and carry the metric of their source. */
    @Test
    void theShippedReferenceTablesTagEachNumberWithTheMetricItsSourceReports() throws IOException {
        Path refs = Path.of("../../results/reference").toAbsolutePath().normalize();
        List<ReferenceRow> keras = ReferenceRow.read(refs.resolve("stl10-keras.csv"));
        // The SimCLR example prints the best epoch's accuracy; its last epoch is a separate row.
        assertEquals(List.of(0.6130, 0.5699, 0.6432, 0.6005, 0.5624, 0.6699), values(keras, "simclr|supervised",
                Metric.MAX_OVER_EPOCHS, "SimCLR"));
        assertEquals(List.of(0.6008, 0.5581, 0.6375, 0.5851, 0.5624, 0.6644), values(keras, "simclr|supervised",
                Metric.FINAL, "SimCLR"));
        assertEquals(List.of(0.6245), values(keras, "nnclr", Metric.MAX_OVER_EPOCHS, "NNCLR"));
        assertEquals(List.of(0.6033), values(keras, "nnclr", Metric.FINAL, "NNCLR"));
        List<ReferenceRow> rotation = ReferenceRow.read(refs.resolve("rotation-cifar10.csv"));
        assertEquals(12, rotation.size());
        assertTrue(rotation.stream().allMatch(r -> r.metric() == Metric.MAX_OVER_EPOCHS));
    }

    private static List<Double> values(List<ReferenceRow> rows, String methods, Metric metric, String source) {
        return rows.stream().filter(r -> r.method().matches(methods) && r.metric() == metric
                && r.source().contains(source)).map(ReferenceRow::testAccuracy).toList();
    }
}
