package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.Dataset;
import org.sslbench.testing.FormatWriters;

/**
 * Issue 10, case 2, end to end: results of different configurations never pool. Stratified
 * subsets and predefined folds of one label count, and a rerun after a method param changed,
 * each give their own leaderboard row, and bench and report say so.
 */
class ConfigurationsTest {
    @TempDir
    Path work;

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    private static String captured(Supplier<Integer> command, int expectedCode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedCode, command.get());
        } finally {
            System.setOut(previous);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
    }

    @Test
    void stl10StratifiedAndFoldsOfOneCountAreTwoRows() throws IOException {
        // Tiny STL-10 files: 10 classes x 2 train images, three predefined folds of 10 labels,
        // and a stratified 10-label subset: the same n_labels, two different protocols.
        Dataset tiny = FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 2, 1, 5);
        List<int[]> folds = List.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, new int[] {0, 2, 4, 6, 8, 11, 13, 15, 17, 19});
        Path data = work.resolve("data");
        FormatWriters.writeStl10(data.resolve("stl10_binary"), tiny, folds, true);
        Path spec = Files.writeString(work.resolve("folds.yaml"), """
                name: folds
                datasets: [stl10]
                backbone: small-cnn
                methods: [supervised]
                labels: {counts: [10], folds: true}
                seeds: [0]
                protocols:
                  knn: {k: 1}
                """);
        Path out = work.resolve("out");
        captured(() -> Main.run("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(),
                "--quiet"), Main.OK);

        List<CSVRecord> cells = csv(out.resolve("cells.csv"));
        assertEquals(4, cells.size(), "one stratified cell and three fold cells");
        List<CSVRecord> board = csv(out.resolve("leaderboard.csv"));
        assertEquals(2, board.size(), board.toString());
        CSVRecord stratified = board.get(0);
        CSVRecord fold = board.get(1);
        assertEquals("stratified", stratified.get("subset_kind"));
        assertEquals("1", stratified.get("n_seeds"));
        assertEquals("0", stratified.get("seeds"));
        assertEquals("", stratified.get("folds"));
        assertEquals("fold", fold.get("subset_kind"));
        assertEquals("3", fold.get("n_seeds"));
        assertEquals("0", fold.get("seeds"), "seed 0 once, not once per fold");
        assertEquals("0;1;2", fold.get("folds"));
        assertNotEquals(stratified.get("config_id"), fold.get("config_id"));
        List<Double> foldAcc = new ArrayList<>();
        double stratifiedAcc = Double.NaN;
        for (CSVRecord c : cells) {
            if (c.get("subset_kind").equals("fold")) {
                foldAcc.add(Double.parseDouble(c.get("test_accuracy")));
                assertEquals(fold.get("config_id"), c.get("config_id"));
            } else {
                stratifiedAcc = Double.parseDouble(c.get("test_accuracy"));
                assertEquals(stratified.get("config_id"), c.get("config_id"));
            }
        }
        assertEquals(stratifiedAcc, Double.parseDouble(stratified.get("mean_test_accuracy")), 1e-12);
        assertEquals(mean(foldAcc), Double.parseDouble(fold.get("mean_test_accuracy")), 1e-12);
        assertEquals("yes", stratified.get("current"));
        assertEquals("yes", fold.get("current"));
    }

    @Test
    void aRerunAfterAParamChangeKeepsBothConfigurationsApartAndSaysSo() throws IOException {
        Path data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 4, 2, 1), true);
        String text = """
                name: temp
                datasets: [fashion-mnist]
                backbone: small-cnn
                methods:
                  - name: simclr
                    params: {temperature: %s}
                labels: {per_class: [1]}
                seeds: [0]
                preset: none
                pretext: {epochs: 1, batch_size: 16}
                protocols:
                  knn: {k: 3}
                """;
        Path out = work.resolve("out");
        Path first = Files.writeString(work.resolve("t01.yaml"), text.formatted("0.1"));
        captured(() -> Main.run("bench", "--spec", first.toString(), "--data", data.toString(), "--out", out.toString(),
                "--quiet"), Main.OK);
        Path second = Files.writeString(work.resolve("t05.yaml"), text.formatted("0.5"));
        String log = captured(() -> Main.run("bench", "--spec", second.toString(), "--data", data.toString(), "--out",
                out.toString(), "--quiet"), Main.OK);

        List<CSVRecord> cells = csv(out.resolve("cells.csv"));
        assertEquals(2, cells.size());
        List<CSVRecord> board = csv(out.resolve("leaderboard.csv"));
        assertEquals(2, board.size(), "two configurations, two rows: " + board);
        CSVRecord current = board.get(0);
        CSVRecord old = board.get(1);
        assertEquals("yes", current.get("current"));
        assertTrue(current.get("method_params").contains("temperature=0.5"), current.toString());
        assertEquals("no", old.get("current"));
        assertTrue(old.get("method_params").contains("temperature=0.1"), old.toString());
        for (CSVRecord r : board) {
            assertEquals("1", r.get("n_seeds"));
            assertEquals("0", r.get("seeds"));
            CSVRecord cell = cells.stream().filter(c -> c.get("config_id").equals(r.get("config_id"))).findFirst()
                    .orElseThrow();
            assertEquals(Double.parseDouble(cell.get("test_accuracy")), Double.parseDouble(r.get("mean_test_accuracy")),
                    1e-12);
        }
        assertEquals("1", current.get("rank"));
        assertEquals("", old.get("rank"));
        String warning = "warning: results hold 2 configurations of fashion-mnist small-cnn knn n=10 simclr: rows not "
                + "pooled; the current spec's is config_id " + current.get("config_id") + ";";
        assertTrue(log.contains(warning), log);
        // Each configuration is named by what sets it apart from the other, not by all its params.
        assertTrue(log.contains(old.get("config_id") + " (temperature=0.1, not in the current spec"), log);
        assertTrue(log.contains(current.get("config_id") + " (temperature=0.5, current"), log);

        // report regenerates the same board from cells.csv and says the same.
        String report = captured(() -> Main.run("report", out.toString(), "--reference", work.resolve("none").toString()),
                Main.OK);
        assertTrue(report.contains(warning), report);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| simclr {temperature=0.5} |"), md);
        assertTrue(md.contains("| simclr {temperature=0.1} (not current) |"), md);

        // compare of the directory with itself: each configuration meets itself and the other, never a pool.
        Path cmp = work.resolve("cmp.csv");
        captured(() -> Main.run("compare", out.toString(), out.toString(), "--out", cmp.toString()), Main.OK);
        List<CSVRecord> rows = csv(cmp);
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.get("a_n").equals("1") && r.get("b_n").equals("1")), rows.toString());
    }
}
