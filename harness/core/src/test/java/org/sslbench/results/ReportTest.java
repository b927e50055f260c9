package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report and plots from a hand-built results directory: no training involved. */
class ReportTest {
    @TempDir
    Path dir;
    Path references;

    private static CellResult cell(String method, int nLabels, int seed, Status status, double acc, int pretextEpochs,
                                   String detail) {
        String pretextHash = method + "-s" + seed;
        return new CellResult("spec-a", method, "cifar10", "resnet20", "finetune", nLabels, seed, pretextEpochs, 10,
                acc, acc + 0.01, 1 - acc, pretextEpochs > 0 ? 0.5 + seed / 10.0 : Double.NaN,
                pretextEpochs > 0 ? 0.1 : Double.NaN, 12.5, pretextEpochs > 0 ? 30.0 : 0.0, 1500.0, status, detail,
                "", "subset-" + seed, CellResult.STRATIFIED, -1, method + "|" + nLabels,
                method + "|" + nLabels + "|" + seed, pretextHash, "", "", TestCells.PROVENANCE);
    }

    @BeforeEach
    void resultsDir() throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        double[][] rotation = {{0.40, 0.42, 0.44}, {0.60, 0.61, 0.62}};
        double[][] supervised = {{0.30, 0.31, 0.35}, {0.50, 0.55, 0.60}};
        int[] counts = {100, 1000};
        for (int n = 0; n < counts.length; n++) {
            for (int s = 0; s < 3; s++) {
                cells.append(cell("rotation", counts[n], s, Status.OK, rotation[n][s], 3, ""));
                cells.append(cell("supervised", counts[n], s, Status.OK, supervised[n][s], 0, ""));
            }
        }
        cells.append(cell("rotation", 100, 3, Status.DIVERGED, Double.NaN, 3, "loss is NaN at epoch 2 | step 7"));
        Leaderboard.aggregate(cells.rows()).write(dir.resolve(Leaderboard.FILE_NAME));
        Files.writeString(dir.resolve("spec.yaml"), "name: rotation-check\ndescription: RotNet vs scratch, 3 seeds\n");
        Path pretext = Files.createDirectories(dir.resolve("pretext"));
        for (int s = 0; s < 3; s++) {
            Files.writeString(pretext.resolve("rotation-s" + s + ".log.csv"), """
                    epoch,loss,accuracy,lr,images_per_second,collapse_std
                    1,1.3,0.3,0.001,900.0,0.12
                    2,0.9,0.6,0.001,1100.0,0.10
                    3,%s,0.7,0.0005,1000.0,0.09
                    """.formatted(0.5 + s / 10.0));
        }
        references = Files.createDirectories(dir.resolve("reference"));
        Files.writeString(references.resolve("rotation-cifar10.csv"), """
                dataset,backbone,protocol,n_labels,method,metric,test_accuracy,n_seeds,source,note
                cifar10,resnet20,finetune,100,rotation,max_over_epochs,0.4661,1,rotation table,
                cifar10,resnet20,finetune,250,rotation,max_over_epochs,0.5598,1,rotation table,
                stl10,small-cnn,finetune,5000,simclr,final,0.64,1,Keras,
                """);
        Files.writeString(references.resolve("README.md"), "not a table");
        Files.writeString(references.resolve("other.csv"), "a,b\n1,2\n");
    }

    @Test
    void writesReadablePngsOfTheRightSize() throws IOException {
        Report.write(dir, references);
        for (String name : List.of("accuracy-cifar10-resnet20-finetune.png", "pretext-loss-cifar10-resnet20.png",
                "collapse-cifar10-resnet20.png")) {
            BufferedImage image = ImageIO.read(dir.resolve("plots").resolve(name).toFile());
            assertNotNull(image, name + " is not a decodable image");
            assertEquals(Plots.WIDTH, image.getWidth(), name);
            assertEquals(Plots.HEIGHT, image.getHeight(), name);
            assertTrue(nonWhiteFraction(image) > 0.02, name + " is (nearly) blank");
            assertTrue(distinctColours(image) > 20, name + " has no colour content");
        }
    }

    @Test
    void reportHasTablesLinksFailuresAndTheReferenceComparison() throws IOException {
        String md = Files.readString(Report.write(dir, references));
        assertTrue(md.startsWith("# rotation-check\n\nRotNet vs scratch, 3 seeds\n"), md);
        assertTrue(md.contains("| git commit | 0123456789ab |"), md);
        assertTrue(md.contains("| device / threads | cpu / 2 |"), md);
        // Leaderboard: methods x label counts, mean ± std in percent, the best in bold, failures noted.
        assertTrue(md.contains("### cifar10 / resnet20 / finetune"), md);
        assertTrue(md.contains("| method | n=100 | n=1000 |"), md);
        assertTrue(md.contains("| rotation | **42.00 ± 2.00** (1 not ok) | **61.00 ± 1.00** |"), md);
        assertTrue(md.contains("| supervised | 32.00 ± 2.65 | 55.00 ± 5.00 |"), md);
        assertTrue(md.contains("![accuracy vs labels, cifar10 / resnet20 / finetune](plots/accuracy-cifar10-resnet20-finetune.png)"), md);
        // Pretext: one row per run; img/s is the log's mean.
        assertTrue(md.contains("| rotation | 1 | - | rotation-s1 | 3 | 0.6000 | 0.1000 | 30.0 | 1000 |"), md);
        assertTrue(md.contains("![pretext loss, cifar10 / resnet20](plots/pretext-loss-cifar10-resnet20.png)"), md);
        assertTrue(md.contains("![collapse monitor, cifar10 / resnet20](plots/collapse-cifar10-resnet20.png)"), md);
        // The diverged cell, its detail escaped so it cannot split the table.
        assertTrue(md.contains("| rotation | cifar10 | resnet20 | finetune | 100 | 3 | - | rotation | diverged | - | loss is NaN at epoch 2 \\| step 7 |"), md);
        // The matching reference table, on max accuracy (acc + 0.01 in the cells above).
        assertTrue(md.contains("## Compared with `rotation-cifar10.csv`"), md);
        assertTrue(md.contains("| cifar10 | resnet20 | finetune | 100 | rotation | stratified | max_over_epochs | 43.00 ± 2.00 (3) | 46.61 (1) | -3.61 | unpaired ±2.31 | worse | rotation table | rotation | - |"), md);
        assertTrue(md.contains("only in A (3)"), md);
        assertTrue(md.contains("only in B (1)"), md);
        // stl10 is not a scope of this run.
        assertFalse(md.contains("stl10"), md);
        assertFalse(md.contains("other.csv"), md);
    }

    /**
     * The answer's "below the random encoder? why" part and below-random.csv come from the results
     * directory alone: rotation's knn cells level with the random encoder, its logs without a
     * monitor column, so it is explained as "no curve (monitor off)".
     */
    @Test
    void reportExplainsAMethodNotAboveTheRandomEncoder() throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        for (int s = 0; s < 3; s++) {
            for (String method : List.of("rotation", "supervised")) {
                CellResult c = cell(method, 1000, s, Status.OK, 0.50 + s / 100.0, method.equals("rotation") ? 3 : 0, "");
                cells.append(new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), "knn", c.nLabels(), c.seed(),
                        c.pretextEpochs(), 0, c.testAccuracy(), Double.NaN, c.testLoss(), c.pretextLoss(), c.collapseStd(),
                        c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(), "", "", c.labelSubset(),
                        c.subsetKind(), -1, method + "|knn|1000", method + "|knn|1000|" + s, c.pretextHash(), "", "",
                        TestCells.PROVENANCE));
            }
        }
        String md = Files.readString(Report.write(dir, references));
        String answer = md.substring(md.indexOf("## Answer"), md.indexOf("## Provenance"));
        assertTrue(answer.contains("### cifar10 / resnet20: below the random encoder? why"), answer);
        assertTrue(answer.contains("- **rotation**: no curve (monitor off): the kNN monitor measured fewer than 2 pretext epochs"),
                answer);
        List<String> csv = Files.readAllLines(dir.resolve(BelowRandom.FILE_NAME));
        assertEquals(1 + 3, csv.size(), "one row per pretext seed of rotation: " + csv);
        assertTrue(csv.get(1).startsWith("cifar10,resnet20,rotation,rotation,"), csv.get(1));
    }

    @Test
    void withoutLogsOrReferencesThereAreNoSuchPlotsOrSections() throws IOException {
        for (int s = 0; s < 3; s++) {
            Files.delete(dir.resolve("pretext").resolve("rotation-s" + s + ".log.csv"));
        }
        String md = Files.readString(Report.write(dir, dir.resolve("no-such-dir")));
        assertFalse(Files.exists(dir.resolve("plots").resolve("pretext-loss-cifar10-resnet20.png")));
        assertFalse(md.contains("pretext-loss"), md);
        assertFalse(md.contains("## Compared with"), md);
        // The summary still comes from cells.csv.
        assertTrue(md.contains("| rotation | 0 | - | rotation-s0 | 3 | 0.5000 | 0.1000 | 30.0 | - |"), md);
    }

    @Test
    void lossAxisIsLogarithmicOnlyWhenPositiveLossesSpanOrdersOfMagnitude() {
        PretextRun big = run("barlow", 0, 2000.0, 1500.0);
        PretextRun small = run("rotation", 0, 1.3, 0.9);
        PretextRun negative = run("simsiam", 0, -0.2, -0.9);
        assertTrue(Plots.epochChart("t", "loss", List.of(big, small), PretextLog.Epoch::loss, Plots.YScale.LOG_IF_SPREAD).getStyler().isYAxisLogarithmic());
        assertFalse(Plots.epochChart("t", "loss", List.of(small), PretextLog.Epoch::loss, Plots.YScale.LOG_IF_SPREAD).getStyler().isYAxisLogarithmic());
        assertFalse(Plots.epochChart("t", "loss", List.of(big, negative), PretextLog.Epoch::loss, Plots.YScale.LOG_IF_SPREAD).getStyler().isYAxisLogarithmic());
        assertNull(Plots.epochChart("t", "loss", List.of(run("x", 0)), PretextLog.Epoch::loss, Plots.YScale.LOG_IF_SPREAD));
        // The collapse monitor stays linear from 0 however far it falls.
        PretextRun collapsing = run("byol", 0, 0.05, 0.0001);
        var collapse = Plots.epochChart("t", "std", List.of(collapsing), PretextLog.Epoch::loss, Plots.YScale.LINEAR_FROM_ZERO);
        assertFalse(collapse.getStyler().isYAxisLogarithmic());
        assertEquals(0.0, collapse.getStyler().getYAxisMin());
        // Two configurations of one method with one seed still get two curves.
        assertEquals(2, Plots.epochChart("t", "loss", List.of(small, run("rotation", 0, 1.0)), PretextLog.Epoch::loss, Plots.YScale.LOG_IF_SPREAD)
                .getSeriesMap().size());
    }

    @Test
    void aSingleLabelCountStillDraws() throws IOException {
        Leaderboard board = Leaderboard.aggregate(List.of(cell("rotation", 100, 0, Status.OK, 0.4, 3, ""),
                cell("supervised", 100, 0, Status.OK, 0.3, 0, "")));
        var chart = Plots.accuracyChart(new ResultTable.Block("cifar10", "resnet20", "finetune"), board.rows());
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(
                org.knowm.xchart.BitmapEncoder.getBitmapBytes(chart, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG)));
        assertEquals(Plots.WIDTH, image.getWidth());
    }

    @Test
    void aDirectoryWithoutCellsIsRejectedAndARunOnlyWarns() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> Report.write(empty, references));
        assertTrue(e.getMessage().contains("cells.csv"), e.getMessage());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report.writeOrWarn(empty, references, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("warning: report not written"));
    }

    @Test
    void configurationsAreNotPooledInTheReportOrThePlots() throws IOException {
        Path two = Files.createDirectories(dir.resolve("two-configs"));
        CellsCsv cells = CellsCsv.open(two);
        for (CellResult c : ResultTableTest.threeConfigurations()) {
            cells.append(c);
        }
        CurrentConfigs.write(two, List.of(new CurrentConfigs.Entry("cfg-new", "simclr", "stl10", "small-cnn", "finetune",
                1000, CellResult.STRATIFIED, "temperature=0.5;x=1", "", ""), new CurrentConfigs.Entry("cfg-fold", "simclr",
                "stl10", "small-cnn", "finetune", 1000, CellResult.FOLD, "temperature=0.5;x=1", "", "")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String md = Files.readString(Report.write(two, null, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertTrue(md.contains("| simclr {temperature=0.5} | **60.00 ± 0.00** |"), md);
        assertTrue(md.contains("| simclr (folds) | **52.00 ± 2.83** |"), md);
        assertTrue(md.contains("| simclr {temperature=0.1} (not current) | 40.00 ± 0.00 |"), md);
        assertTrue(md.contains("**Warning:** results hold 2 configurations of stl10 small-cnn finetune n=1000 simclr"), md);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("warning: results hold 2 configurations"),
                bytes.toString(StandardCharsets.UTF_8));

        Leaderboard board = Report.load(two, null).board();
        var chart = Plots.accuracyChart(new ResultTable.Block("stl10", "small-cnn", "finetune"), board.rows());
        assertEquals(java.util.Set.of("simclr {temperature=0.5}", "simclr (folds)", "simclr {temperature=0.1} (not current)"),
                chart.getSeriesMap().keySet());
        assertEquals(List.of(52.0), java.util.Arrays.stream(chart.getSeriesMap().get("simclr (folds)").getYData())
                .map(y -> Math.round(y * 1e6) / 1e6).boxed().toList());
    }

    private static int counter;

    private static PretextRun run(String method, int seed, double... losses) {
        List<PretextLog.Epoch> epochs = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            epochs.add(new PretextLog.Epoch(i + 1, losses[i], 0.001, 1000, 0.1));
        }
        return new PretextRun("hash" + counter++, method, new DatasetBackbone("d", "b"), seed, losses.length,
                losses.length == 0 ? Double.NaN : losses[losses.length - 1], 0.1, 1.0, new PretextLog(epochs));
    }

    private static double nonWhiteFraction(BufferedImage image) {
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    nonWhite++;
                }
            }
        }
        return nonWhite / (double) (image.getWidth() * image.getHeight());
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
