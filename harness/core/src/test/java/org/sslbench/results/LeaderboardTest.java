package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.results.TestCells.cell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderboardTest {
    @TempDir
    Path dir;

    private static final double[] ROTATION_ACC = {0.40, 0.45, 0.47};
    private static final double[] SUPERVISED_ACC = {0.50, 0.56};

    /** mnist n=100: rotation 3 ok seeds; supervised 2 ok + 1 failed + 1 diverged; simclr only failed. */
    private static List<CellResult> cells() {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < ROTATION_ACC.length; s++) {
            cells.add(cell("rotation", "mnist", 100, s, Status.OK, ROTATION_ACC[s]));
        }
        cells.add(cell("supervised", "mnist", 100, 2, Status.OK, SUPERVISED_ACC[1]));
        cells.add(cell("supervised", "mnist", 100, 0, Status.OK, SUPERVISED_ACC[0]));
        // Accuracies that would move the mean if they were (wrongly) averaged in.
        cells.add(cell("supervised", "mnist", 100, 1, Status.FAILED, 0.99));
        cells.add(cell("supervised", "mnist", 100, 3, Status.DIVERGED, Double.NaN));
        cells.add(cell("simclr", "mnist", 100, 0, Status.FAILED, Double.NaN));
        // Another board: one seed only, and an earlier sort key (n=10 before n=100, cifar before mnist).
        cells.add(cell("rotation", "mnist", 10, 0, Status.OK, 0.30));
        cells.add(cell("rotation", "cifar", 100, 0, Status.OK, 0.20));
        return cells;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    private static double sampleStd(double[] v) {
        double m = mean(v);
        double sq = 0;
        for (double x : v) {
            sq += (x - m) * (x - m);
        }
        return Math.sqrt(sq / (v.length - 1));
    }

    private static LeaderboardRow find(Leaderboard board, String method, String dataset, int nLabels) {
        return board.rows().stream()
                .filter(r -> r.method().equals(method) && r.dataset().equals(dataset) && r.nLabels() == nLabels)
                .findFirst().orElseThrow();
    }

    @Test
    void meansAndSampleStdOverOkSeeds() {
        Leaderboard board = Leaderboard.aggregate(cells());
        LeaderboardRow rotation = find(board, "rotation", "mnist", 100);
        assertEquals(3, rotation.nSeeds());
        assertEquals(0, rotation.nFailed());
        assertEquals(List.of(0, 1, 2), rotation.seeds());
        assertEquals(mean(ROTATION_ACC), rotation.meanTestAccuracy(), 1e-12);
        assertEquals(sampleStd(ROTATION_ACC), rotation.stdTestAccuracy(), 1e-12);
        // TestCells: max accuracy = acc + 0.01, test loss = 1 - acc, pretext loss = 2 - acc.
        assertEquals(mean(ROTATION_ACC) + 0.01, rotation.meanMaxTestAccuracy(), 1e-12);
        assertEquals(1 - mean(ROTATION_ACC), rotation.meanTestLoss(), 1e-12);
        assertEquals(2 - mean(ROTATION_ACC), rotation.meanPretextLoss(), 1e-12);
    }

    @Test
    void failedAndDivergedAreCountedNotAveraged() {
        LeaderboardRow supervised = find(Leaderboard.aggregate(cells()), "supervised", "mnist", 100);
        assertEquals(2, supervised.nSeeds());
        assertEquals(2, supervised.nFailed());
        assertEquals(List.of(0, 2), supervised.seeds());
        assertEquals(mean(SUPERVISED_ACC), supervised.meanTestAccuracy(), 1e-12);
        assertEquals(sampleStd(SUPERVISED_ACC), supervised.stdTestAccuracy(), 1e-12);

        LeaderboardRow simclr = find(Leaderboard.aggregate(cells()), "simclr", "mnist", 100);
        assertEquals(0, simclr.nSeeds());
        assertEquals(1, simclr.nFailed());
        assertTrue(Double.isNaN(simclr.meanTestAccuracy()));
        assertEquals(LeaderboardRow.UNRANKED, simclr.rank());
    }

    @Test
    void oneSeedHasZeroStd() {
        LeaderboardRow single = find(Leaderboard.aggregate(cells()), "rotation", "mnist", 10);
        assertEquals(1, single.nSeeds());
        assertEquals(0.0, single.stdTestAccuracy());
        assertEquals(0.30, single.meanTestAccuracy(), 1e-12);
    }

    @Test
    void rankedByMeanAccuracyAndSortedDeterministically() {
        Leaderboard board = Leaderboard.aggregate(cells());
        assertTrue(mean(SUPERVISED_ACC) > mean(ROTATION_ACC), "fixture: supervised should win");
        List<String> order = board.rows().stream()
                .map(r -> r.dataset() + " " + r.nLabels() + " " + r.method() + " #" + r.rank()).toList();
        assertEquals(List.of(
                "cifar 100 rotation #1",
                "mnist 10 rotation #1",
                "mnist 100 supervised #1",
                "mnist 100 rotation #2",
                "mnist 100 simclr #0"), order);

        List<CellResult> shuffled = new ArrayList<>(cells());
        java.util.Collections.reverse(shuffled);
        assertEquals(board, Leaderboard.aggregate(shuffled));
    }

    @Test
    void equalMeansShareARank() {
        Leaderboard board = Leaderboard.aggregate(List.of(
                cell("a", "mnist", 100, 0, Status.OK, 0.5),
                cell("b", "mnist", 100, 0, Status.OK, 0.5),
                cell("c", "mnist", 100, 0, Status.OK, 0.4)));
        assertEquals(List.of(1, 1, 3), board.rows().stream().map(LeaderboardRow::rank).toList());
        assertEquals(List.of("a", "b", "c"), board.rows().stream().map(LeaderboardRow::method).toList());
    }

    @Test
    void protocolsAndBackbonesAreSeparateBoards() {
        Leaderboard board = Leaderboard.aggregate(List.of(
                cell("a", "mnist", "small-cnn", "finetune", 100, 0, Status.OK, 0.5),
                cell("b", "mnist", "small-cnn", "linear", 100, 0, Status.OK, 0.4),
                cell("c", "mnist", "resnet18", "finetune", 100, 0, Status.OK, 0.3)));
        assertEquals(List.of(1, 1, 1), board.rows().stream().map(LeaderboardRow::rank).toList());
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Leaderboard board = Leaderboard.aggregate(cells());
        Path file = dir.resolve(Leaderboard.FILE_NAME);
        board.write(file);
        assertEquals(board, Leaderboard.read(file));
        String text = Files.readString(file);
        assertTrue(text.startsWith(String.join(",", LeaderboardRow.COLUMNS) + "\n"));
        assertTrue(text.contains(",0;2,"), "seeds as a ;-list: " + text);
        assertTrue(!text.contains("null") && !text.contains("NaN"), text);
    }

    @Test
    void readingAFileOfAnotherKindIsAHeaderError() throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        cells.append(TestCells.ok("h0", 0));
        assertThrows(ResultsFileException.class, () -> Leaderboard.read(cells.file()));
    }

    // --- issue 10 case 2: rows of different configurations never pool ---

    private static final double[] FOLD_ACC = {0.50, 0.52, 0.54, 0.56, 0.58, 0.60, 0.62, 0.64, 0.66, 0.68};

    /** STL-10, labels {counts: [1000], folds: true}, seeds [0]: one stratified cell and ten fold cells. */
    private static List<CellResult> stl10FoldsAndStratified() {
        List<CellResult> cells = new ArrayList<>();
        cells.add(TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.30), "cfg-strat", "temperature=0.1", -1));
        for (int f = 0; f < FOLD_ACC.length; f++) {
            cells.add(TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, FOLD_ACC[f]), "cfg-fold",
                    "temperature=0.1", f));
        }
        return cells;
    }

    @Test
    void stratifiedSubsetsAndPredefinedFoldsAreTwoRows() throws IOException {
        Leaderboard board = Leaderboard.aggregate(stl10FoldsAndStratified());
        assertEquals(2, board.rows().size(), board.rows().toString());
        LeaderboardRow stratified = board.rows().get(0);
        assertEquals(CellResult.STRATIFIED, stratified.subsetKind());
        assertEquals(1, stratified.nSeeds());
        assertEquals(List.of(0), stratified.seeds());
        assertEquals("", stratified.folds());
        assertEquals(0.30, stratified.meanTestAccuracy(), 1e-12);
        assertEquals("cfg-strat", stratified.configId());
        LeaderboardRow folds = board.rows().get(1);
        assertEquals(CellResult.FOLD, folds.subsetKind());
        assertEquals(10, folds.nSeeds());
        assertEquals(List.of(0), folds.seeds(), "seed 0 once, not ten times");
        assertEquals("0;1;2;3;4;5;6;7;8;9", folds.folds());
        assertEquals(mean(FOLD_ACC), folds.meanTestAccuracy(), 1e-12);
        assertEquals(sampleStd(FOLD_ACC), folds.stdTestAccuracy(), 1e-12);
        // Ranked apart: each is the best (only) row of its subset kind.
        assertEquals(1, stratified.rank());
        assertEquals(1, folds.rank());
        // Different kinds of one method are not a configuration clash.
        assertEquals(List.of(), board.warnings());

        Path file = dir.resolve(Leaderboard.FILE_NAME);
        board.write(file);
        assertEquals(board.rows(), Leaderboard.read(file).rows());
        assertTrue(Files.readString(file).contains(",fold,10,0,0,0;1;2;3;4;5;6;7;8;9,"), Files.readString(file));
    }

    @Test
    void foldsOverSeveralSeedsNameEachSeedFoldPair() {
        List<CellResult> cells = new ArrayList<>();
        for (int seed = 0; seed < 2; seed++) {
            for (int f = 0; f < 2; f++) {
                cells.add(TestCells.configured(cell("simclr", "stl10", 1000, seed, Status.OK, 0.5 + seed * 0.1 + f * 0.01),
                        "cfg-fold", "", f));
            }
        }
        LeaderboardRow row = Leaderboard.aggregate(cells).rows().get(0);
        assertEquals(4, row.nSeeds());
        assertEquals(List.of(0, 1), row.seeds());
        assertEquals("0:0;0:1;1:0;1:1", row.folds());
    }

    /** A spec rerun into its directory after temperature 0.1 → 0.5: the old and the new configuration. */
    private static List<CellResult> temperatureChange(Status newStatus) {
        return List.of(
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.40), "cfg-old", "temperature=0.1;x=1", -1),
                TestCells.configured(cell("simclr", "stl10", 1000, 0, newStatus, 0.60), "cfg-new", "temperature=0.5;x=1", -1));
    }

    /**
     * Rows computed by other code than current-configs.csv records for their configuration are
     * counted in n_stale (still averaged and ranked), round-trip through leaderboard.csv, and
     * nothing is marked when the current code is unknown (case 14).
     */
    @Test
    void staleCellsAreCountedPerRow(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        String h1 = "1".repeat(64);
        String h2 = "2".repeat(64);
        CellResult base = cell("simclr", "stl10", 1000, 0, Status.OK, 0.40);
        CellResult seed0 = withCode(TestCells.configured(base, "cfg", "", -1), h1);
        CellResult seed1 = withCode(TestCells.configured(cell("simclr", "stl10", 1000, 1, Status.OK, 0.50), "cfg", "", -1), h2);
        CodeIdentity now = new CodeIdentity(base.provenance().sslbenchVersion(), base.provenance().gitCommit(), "m.jar",
                h2, "b.jar", h2, "d.jar", h2, "");
        Leaderboard board = Leaderboard.aggregate(List.of(seed0, seed1), java.util.Set.of("cfg"), Map.of(), Map.of("cfg", now));
        LeaderboardRow row = board.rows().get(0);
        assertEquals(2, row.nSeeds());
        assertEquals(1, row.nStale());
        assertEquals(1, row.rank(), "stale rows are still ranked, marked by n_stale");
        assertEquals(0, Leaderboard.aggregate(List.of(seed0, seed1), java.util.Set.of("cfg")).rows().get(0).nStale());
        Path file = tmp.resolve("leaderboard.csv");
        board.write(file);
        assertEquals(1, Leaderboard.read(file).rows().get(0).nStale());
        // The printed table and report.md mark it too, not only the CSV column.
        assertEquals("45.00 ± 7.07 * (1 stale)", ResultTable.cell(row));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        ResultTable.print(board, new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains("stale = computed by other code"),
                printed.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static CellResult withCode(CellResult c, String hash) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(),
                c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), "m.jar", hash, "b.jar", hash, "d.jar", hash, "", c.provenance());
    }

    @Test
    void aChangedParamGivesTwoRowsOneSeedEachAndAWarning() {
        Leaderboard board = Leaderboard.aggregate(temperatureChange(Status.OK), java.util.Set.of("cfg-new"));
        assertEquals(2, board.rows().size(), board.rows().toString());
        LeaderboardRow current = board.rows().get(0);
        LeaderboardRow old = board.rows().get(1);
        assertEquals("cfg-new", current.configId());
        assertEquals(1, current.nSeeds());
        assertEquals(List.of(0), current.seeds());
        assertEquals(0.60, current.meanTestAccuracy(), 1e-12);
        assertEquals("temperature=0.5;x=1", current.methodParams());
        assertEquals(LeaderboardRow.CURRENT, current.current());
        assertEquals(1, current.rank());
        assertEquals("cfg-old", old.configId());
        assertEquals(1, old.nSeeds());
        assertEquals(0.40, old.meanTestAccuracy(), 1e-12);
        assertEquals(LeaderboardRow.NOT_CURRENT, old.current());
        assertEquals(LeaderboardRow.UNRANKED, old.rank(), "a configuration no longer in the spec does not compete");
        assertEquals(1, board.warnings().size(), board.warnings().toString());
        String w = board.warnings().get(0);
        assertTrue(w.startsWith("results hold 2 configurations of stl10 small-cnn finetune n=1000 simclr: rows not pooled;"
                + " the current spec's is config_id cfg-new;"), w);
        assertTrue(w.contains("cfg-old (temperature=0.1, not in the current spec, 1 ok, 0 failed)"), w);

        // Without knowing the current spec the rows are still apart, and both ranked.
        Leaderboard unknown = Leaderboard.aggregate(temperatureChange(Status.OK));
        assertEquals(List.of(1, 2), unknown.rows().stream().map(LeaderboardRow::rank).toList());
        assertEquals(List.of("", ""), unknown.rows().stream().map(LeaderboardRow::current).toList());
        assertEquals(1, unknown.warnings().size());
    }

    @Test
    void aFailedRerunDoesNotMixWithTheOldOkRow() {
        Leaderboard board = Leaderboard.aggregate(temperatureChange(Status.FAILED), java.util.Set.of("cfg-new"));
        assertEquals(2, board.rows().size(), board.rows().toString());
        LeaderboardRow old = board.rows().stream().filter(r -> r.configId().equals("cfg-old")).findFirst().orElseThrow();
        LeaderboardRow failed = board.rows().stream().filter(r -> r.configId().equals("cfg-new")).findFirst().orElseThrow();
        assertEquals(1, old.nSeeds());
        assertEquals(0, old.nFailed());
        assertEquals(0.40, old.meanTestAccuracy(), 1e-12);
        assertEquals(0, failed.nSeeds());
        assertEquals(1, failed.nFailed());
        assertTrue(Double.isNaN(failed.meanTestAccuracy()));
        assertTrue(board.warnings().get(0).contains("cfg-new (temperature=0.5, current, 0 ok, 1 failed)"),
                board.warnings().toString());
    }

    @Test
    void legacyRowsWithoutConfigIdAreToldApartByWhatTheyRecord() {
        CellResult a = TestCells.configured(cell("simclr", "mnist", 100, 0, Status.OK, 0.40), "", "temperature=0.1", -1);
        CellResult b = TestCells.configured(cell("simclr", "mnist", 100, 0, Status.OK, 0.60), "", "temperature=0.5", -1);
        Leaderboard board = Leaderboard.aggregate(List.of(a, b));
        assertEquals(2, board.rows().size());
        assertTrue(board.rows().stream().allMatch(r -> r.nSeeds() == 1 && r.configId().startsWith("legacy-")));

        // Same recorded params, same seed (a protocol setting changed, which old rows did not record):
        // split in file order, never "seeds 0;0".
        CellResult c = TestCells.configured(cell("simclr", "mnist", 100, 0, Status.OK, 0.70), "", "temperature=0.1", -1);
        Leaderboard split = Leaderboard.aggregate(List.of(a, c));
        assertEquals(2, split.rows().size(), split.rows().toString());
        assertEquals(List.of(0.70, 0.40), split.rows().stream().map(LeaderboardRow::meanTestAccuracy).toList());
        assertTrue(split.rows().stream().allMatch(r -> r.seeds().equals(List.of(0))));
        assertTrue(split.warnings().get(0).contains("a seed/fold repeats within one configuration"), split.warnings().toString());
    }

    @Test
    void aLeaderboardInTheOldLayoutIsReadWithAWarning() throws IOException {
        Path file = dir.resolve(Leaderboard.FILE_NAME);
        Files.writeString(file, String.join(",", LeaderboardRow.LEGACY_COLUMNS) + "\n"
                + "stl10,small-cnn,finetune,1000,1,simclr,11,0,0;0;1;2,0.5,0.1,0.51,1.2,3.4\n");
        Leaderboard board = Leaderboard.read(file);
        assertEquals(11, board.rows().get(0).nSeeds());
        assertEquals("", board.rows().get(0).subsetKind());
        assertTrue(board.warnings().get(0).contains("may pool configurations"), board.warnings().toString());
    }

    /** Issue 13: mean_max_test_accuracy is now mean_test_selected_max_accuracy; files before it are read. */
    @Test
    void aLeaderboardWithTheOldTestSelectedNameIsRead() throws IOException {
        assertTrue(LeaderboardRow.COLUMNS.contains("mean_test_selected_max_accuracy"));
        assertTrue(LeaderboardRow.LEGACY_HEADERS.stream().allMatch(h -> h.contains("mean_max_test_accuracy")
                && !h.contains(LeaderboardRow.TEST_SELECTED)));
        Leaderboard board = Leaderboard.aggregate(List.of(cell("simclr", "mnist", 100, 0, Status.OK, 0.70)));
        Path current = dir.resolve("current.csv");
        board.write(current);
        String text = Files.readString(current);
        assertTrue(text.startsWith(String.join(",", LeaderboardRow.COLUMNS) + "\n"), text);
        Path old = dir.resolve(Leaderboard.FILE_NAME);
        Files.writeString(old, text.replaceFirst("mean_test_selected_max_accuracy", "mean_max_test_accuracy"));
        assertEquals(LeaderboardRow.BEFORE_TEST_SELECTED, CsvTable.header(old));
        LeaderboardRow read = Leaderboard.read(old).rows().get(0);
        assertEquals(0.71, read.meanMaxTestAccuracy(), 1e-12);
        assertEquals(board.rows().get(0).meanMaxTestAccuracy(), Leaderboard.read(current).rows().get(0).meanMaxTestAccuracy());
    }
}
