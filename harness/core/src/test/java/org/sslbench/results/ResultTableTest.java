package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.results.TestCells.cell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static String render(Leaderboard board) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(board, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String table, String startsWith) {
        return table.lines().filter(l -> l.startsWith(startsWith)).findFirst().orElseThrow(
                () -> new AssertionError("no line starting with '" + startsWith + "' in\n" + table));
    }

    private static String expectedCell(LeaderboardRow r) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * r.meanTestAccuracy(), 100 * r.stdTestAccuracy());
    }

    @Test
    void blocksRowsColumnsAndBestMarked() {
        Leaderboard board = Leaderboard.aggregate(List.of(
                cell("rotation", "mnist", 100, 0, Status.OK, 0.4561),
                cell("rotation", "mnist", 100, 1, Status.OK, 0.4761),
                cell("supervised", "mnist", 100, 0, Status.OK, 0.40),
                cell("supervised", "mnist", 100, 1, Status.FAILED, 0.90),
                cell("rotation", "mnist", 1000, 0, Status.OK, 0.80),
                cell("supervised", "mnist", 1000, 0, Status.OK, 0.85),
                cell("rotation", "mnist", "small-cnn", "linear", 100, 0, Status.OK, 0.3)));
        String table = render(board);

        assertTrue(table.contains("mnist / small-cnn / finetune"), table);
        assertTrue(table.contains("mnist / small-cnn / linear"), table);
        String header = line(table, "method");
        assertTrue(header.indexOf("n=100") < header.indexOf("n=1000"), header);

        LeaderboardRow rot100 = board.rows().stream()
                .filter(r -> r.method().equals("rotation") && r.nLabels() == 100 && r.protocol().equals("finetune"))
                .findFirst().orElseThrow();
        String rotation = line(table, "rotation");
        assertTrue(rotation.contains(expectedCell(rot100) + " *"), rotation);
        assertEquals("46.61 ± 1.41", expectedCell(rot100), "fixture: mean 46.61%, std of two seeds 1.41");

        String supervised = line(table, "supervised");
        assertTrue(supervised.contains("40.00 ± 0.00 (1 not ok)"), supervised);
        assertTrue(supervised.contains("85.00 ± 0.00 *"), supervised);
        assertFalse(supervised.substring(0, supervised.indexOf("(1 not ok)")).contains("*"), supervised);
        // Columns line up: the n=1000 column starts at the same offset in every row of the block.
        assertEquals(header.indexOf("n=1000"), supervised.indexOf("85.00"), table);
    }

    @Test
    void missingCombinationShowsDash() {
        String table = render(Leaderboard.aggregate(List.of(
                cell("rotation", "mnist", 100, 0, Status.OK, 0.5),
                cell("supervised", "mnist", 1000, 0, Status.OK, 0.6))));
        assertTrue(line(table, "rotation").trim().endsWith("-"), table);
    }

    @Test
    void summaryLineForAnOkCell() {
        CellResult c = new CellResult("s", "rotation", "fashion-mnist-embedded", "small-cnn", "finetune", 100, 0, 5,
                10, 0.7123, 0.73, 0.812, 1.2, 0.3, 34.2, 0, 900, Status.OK, "", "", "",
                CellResult.STRATIFIED, -1, "", "h", "", "", "", TestCells.PROVENANCE);
        assertEquals("[12/48] rotation fashion-mnist-embedded small-cnn finetune n=100 seed=0: "
                + "acc 71.23% loss 0.812 (pretext reused) 34.2s", ResultTable.summary(12, 48, c, true));
        CellResult blownUp = new CellResult("s", "rotation", "fashion-mnist-embedded", "small-cnn", "finetune", 100, 0,
                5, 10, 0.088, 0.088, 2.8058287551906490e25, 1.2, 0.3, 34.2, 0, 900, Status.OK, "", "", "",
                CellResult.STRATIFIED, -1, "", "h", "", "", "", TestCells.PROVENANCE);
        assertEquals("[1/2] rotation fashion-mnist-embedded small-cnn finetune n=100 seed=0: acc 8.80% loss 2.806e+25 34.2s",
                ResultTable.summary(1, 2, blownUp, false));
    }

    @Test
    void summaryLineForAFailedCellStaysOneLine() {
        CellResult c = new CellResult("s", "simclr", "mnist", "small-cnn", "knn", 10, 3, 5, 0,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1.04, 0, 0, Status.FAILED,
                "OutOfMemoryError: heap\n\tat Foo.bar", "", "", CellResult.STRATIFIED, -1, "", "h", "", "", "",
                TestCells.PROVENANCE);
        assertEquals("[1/2] simclr mnist small-cnn knn n=10 seed=3: FAILED (OutOfMemoryError: heap ...) 1.0s",
                ResultTable.summary(1, 2, c, false));
    }

    /** simclr at temperature 0.1 (an earlier run) and 0.5 (the current spec), plus predefined folds. */
    static List<CellResult> threeConfigurations() {
        return List.of(
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.40), "cfg-old", "temperature=0.1;x=1", -1),
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.60), "cfg-new", "temperature=0.5;x=1", -1),
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.50), "cfg-fold", "temperature=0.5;x=1", 0),
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.54), "cfg-fold", "temperature=0.5;x=1", 1));
    }

    @Test
    void eachConfigurationIsItsOwnLineNamedByWhatSetsItApart() {
        Leaderboard board = Leaderboard.aggregate(threeConfigurations(), java.util.Set.of("cfg-new", "cfg-fold"));
        // Board order: stratified rows (current first), then the folds.
        assertEquals(List.of("simclr {temperature=0.5}", "simclr {temperature=0.1} (not current)", "simclr (folds)"),
                ResultTable.lineLabels(board.rows()));
        String table = render(board);
        assertTrue(line(table, "simclr {temperature=0.5}").contains("60.00 ± 0.00 *"), table);
        assertTrue(line(table, "simclr (folds)").contains("52.00 ± 2.83 *"), table);
        assertTrue(line(table, "simclr {temperature=0.1} (not current)").contains("40.00 ± 0.00"), table);
        assertFalse(line(table, "simclr {temperature=0.1} (not current)").contains("*"), table);
        assertTrue(table.contains("warning: results hold 2 configurations of stl10 small-cnn finetune n=1000 simclr: "
                + "rows not pooled; the current spec's is config_id cfg-new;"), table);
    }

    @Test
    void configurationsThatDifferOnlyOutsideTheirParamsAreNamedByConfigId() {
        Leaderboard board = Leaderboard.aggregate(List.of(
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.40), "aaaaaaaa11", "t=1", -1),
                TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.60), "bbbbbbbb22", "t=1", -1)));
        assertEquals(List.of("simclr [config bbbbbbbb]", "simclr [config aaaaaaaa]"), ResultTable.lineLabels(board.rows()));
    }

    /** Two configurations that differ only in the knn temperature, each run at two label counts. */
    static java.util.Map<String, CurrentConfigs.Entry> knnTemperatureHistory() {
        java.util.Map<String, CurrentConfigs.Entry> known = new java.util.HashMap<>();
        for (String t : List.of("0.5", "0.07")) {
            for (int n : List.of(100, 1000)) {
                String settings = "method=simclr;n_labels=" + n + ";params.temperature=0.5;pretext.epochs=1;"
                        + "protocol.k=5;protocol.name=knn;protocol.temperature=" + t + ";subset_kind=stratified";
                known.put("cfg-" + t + "-" + n, new CurrentConfigs.Entry("cfg-" + t + "-" + n, "simclr", "stl10",
                        "small-cnn", "finetune", n, CellResult.STRATIFIED, "temperature=0.5", "series-" + t, settings));
            }
        }
        return known;
    }

    @Test
    void aConfigurationIsOneLineAcrossLabelCountsNamedByTheProtocolSettingThatDiffers() {
        List<CellResult> cells = new java.util.ArrayList<>();
        for (String t : List.of("0.5", "0.07")) {
            for (int n : List.of(100, 1000)) {
                cells.add(TestCells.configured(cell("simclr", "stl10", n, 0, Status.OK, t.equals("0.5") ? 0.4 : 0.5),
                        "cfg-" + t + "-" + n, "temperature=0.5", -1));
            }
        }
        Leaderboard board = Leaderboard.aggregate(cells, java.util.Set.of("cfg-0.07-100", "cfg-0.07-1000"),
                knnTemperatureHistory(), null);
        List<String> labels = ResultTable.lineLabels(board.rows());
        assertEquals(java.util.Set.of("simclr {finetune temperature 0.07}", "simclr {finetune temperature 0.5} (not current)"),
                new java.util.HashSet<>(labels), labels.toString());
        String table = render(board);
        // One line per configuration, a value at both label counts (no "-": not split per label count).
        assertTrue(line(table, "simclr {finetune temperature 0.07}").matches(".*50\\.00 ± 0\\.00 \\* +50\\.00 ± 0\\.00 \\*$"),
                table);
        assertTrue(line(table, "simclr {finetune temperature 0.5} (not current)").matches(".*40\\.00 ± 0\\.00 +40\\.00 ± 0\\.00$"),
                table);
        assertTrue(table.contains("cfg-0.5-100 (finetune temperature 0.5, not in the current spec, 1 ok, 0 failed)"), table);
        LeaderboardRow row = board.rows().get(0);
        assertEquals("series-0.07", row.seriesId());
        assertTrue(row.settings().contains("protocol.temperature=0.07"), row.settings());
    }

    @Test
    void summaryLineOfAFoldCellNamesItsFold() {
        CellResult c = TestCells.configured(cell("simclr", "stl10", 1000, 0, Status.OK, 0.5), "cfg", "", 7);
        assertTrue(ResultTable.summary(3, 11, c, true).startsWith("[3/11] simclr stl10 small-cnn finetune n=1000 seed=0 fold=7: "
                + "acc 50.00%"), ResultTable.summary(3, 11, c, true));
    }
}
