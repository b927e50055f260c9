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
}
