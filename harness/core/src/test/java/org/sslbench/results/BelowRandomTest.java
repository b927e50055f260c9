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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Checkpoint;

/**
 * "Below the random encoder? why" from a hand-made results directory (cells.csv, pretext logs,
 * checkpoint headers): no training.
 */
class BelowRandomTest {
    @TempDir
    Path dir;

    private static final String COLLAPSE = "collapsed: encoder RankMe 2.0 < 6.4 = 0.05 x min(1000 images, 128 dims)"
            + " on the monitor images; monitor kNN 12.0% <= the untrained encoder's 35.0%";

    /** A kNN cell on cifar10 / small-cnn; a pretraining method's pretext hash is {@code <method>-s<seed>}. */
    static CellResult cell(String method, String protocol, int nLabels, int seed, double acc, Status status,
                           String detail) {
        boolean pretext = !method.equals("supervised");
        String config = String.join("|", method, protocol, "" + nLabels);
        return new CellResult("spec-b", method, "cifar10", "small-cnn", protocol, nLabels, seed, pretext ? 4 : 0,
                0, acc, Double.NaN, 1 - acc, pretext ? 3.2 : Double.NaN, pretext ? 0.1 : Double.NaN, 2.0,
                pretext ? 40.0 : 0.0, 1500.0, status, detail, "", "subset-" + nLabels + "-" + seed,
                CellResult.STRATIFIED, -1, config, config + "|" + seed, pretext ? method + "-s" + seed : "", "", "",
                TestCells.PROVENANCE);
    }

    @Test
    void abovePerSeedPairsTheSeedsBothSidesHave() {
        List<CellResult> random = List.of(cell("supervised", "knn", 100, 0, 0.25, Status.OK, ""),
                cell("supervised", "knn", 100, 1, 0.24, Status.OK, ""));
        assertTrue(BelowRandom.abovePerSeed(List.of(cell("simclr", "knn", 100, 0, 0.29, Status.OK, ""),
                cell("simclr", "knn", 100, 1, 0.32, Status.OK, "")), random));
        assertFalse(BelowRandom.abovePerSeed(List.of(cell("simclr", "knn", 100, 0, 0.29, Status.OK, ""),
                cell("simclr", "knn", 100, 1, 0.23, Status.OK, "")), random), "one seed below");
        assertFalse(BelowRandom.abovePerSeed(List.of(cell("simclr", "knn", 100, 0, 0.29, Status.COLLAPSED, "x")), random),
                "no ok pair");
        assertFalse(BelowRandom.abovePerSeed(List.of(cell("simclr", "knn", 100, 0, 0.25, Status.OK, "")), random),
                "a tie is not above");
    }

    /** The pretext log of a run whose monitor kNN per epoch is {@code knn} (fractions; null: no monitor column). */
    private void log(String hash, double[] knn) throws IOException {
        Path pretext = Files.createDirectories(dir.resolve("pretext"));
        StringBuilder s = new StringBuilder("epoch,loss,lr,images_per_second,collapse_std"
                + (knn == null ? "" : ",monitor_knn") + "\n");
        for (int e = 0; e < 4; e++) {
            s.append(e + 1).append(',').append(4.0 - 0.25 * e).append(",0.06,1000.0,0.1");
            if (knn != null) {
                s.append(',').append(knn[e]);
            }
            s.append('\n');
        }
        Files.writeString(pretext.resolve(hash + ".log.csv"), s.toString());
    }

    /** A checkpoint with the metadata the bench stores (no tensors): the report reads its header only. */
    private void checkpoint(String hash) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epochs", "4");
        meta.put("monitor_knn_untrained", "0.35");
        meta.put("monitor_rankme", "25.25");
        meta.put("monitor_rows", "1000");
        meta.put("monitor_dim", "128");
        meta.put("pool_images", "10000");
        new Checkpoint(meta, Map.of("w", new float[] {1f, 2f})).write(dir.resolve("pretext").resolve(hash + ".ckpt"));
    }

    /**
     * supervised (the random encoder) at n = 100 and 1000 on knn and linear; at n = 1000:
     * simclr clearly above (+10 points), byol below with a rising monitor curve, rotation level with a flat
     * one, simsiam collapsed in every seed, vicreg below with no monitor column. At n = 100 byol is above:
     * only the largest label count is judged.
     */
    private Report.Inputs write() throws IOException {
        List<CellResult> cells = new ArrayList<>();
        double[] random = {0.50, 0.51, 0.52};
        Map<String, double[]> methods = new LinkedHashMap<>();
        methods.put("simclr", new double[] {0.60, 0.62, 0.61});
        methods.put("byol", new double[] {0.45, 0.47, 0.44});
        methods.put("rotation", new double[] {0.50, 0.52, 0.51});
        methods.put("simsiam", new double[] {0.10, 0.10, 0.10});
        methods.put("vicreg", new double[] {0.49, 0.50, 0.50});
        for (String protocol : List.of("knn", "linear")) {
            for (int s = 0; s < 3; s++) {
                cells.add(cell("supervised", protocol, 100, s, 0.30 + s / 100.0, Status.OK, ""));
                cells.add(cell("supervised", protocol, 1000, s, random[s], Status.OK, ""));
                cells.add(cell("byol", protocol, 100, s, 0.40 + s / 100.0 + (s == 1 ? 0.01 : 0), Status.OK, ""));
                for (Map.Entry<String, double[]> m : methods.entrySet()) {
                    boolean collapsed = m.getKey().equals("simsiam");
                    cells.add(cell(m.getKey(), protocol, 1000, s, m.getValue()[s], collapsed ? Status.COLLAPSED : Status.OK,
                            collapsed ? COLLAPSE : ""));
                }
            }
        }
        CellsCsv csv = CellsCsv.open(dir);
        for (CellResult c : cells) {
            csv.append(c);
        }
        Files.writeString(dir.resolve("spec.yaml"), "name: below-random-check\n");
        for (int s = 0; s < 3; s++) {
            log("simclr-s" + s, new double[] {0.50, 0.55, 0.58, 0.60});
            // byol: still rising in seeds 0 and 1, flat in seed 2 (majority rising)
            log("byol-s" + s, s < 2 ? new double[] {0.40, 0.44, 0.46, 0.48 + s / 100.0}
                    : new double[] {0.45, 0.46, 0.46, 0.46});
            log("rotation-s" + s, new double[] {0.50, 0.52, 0.51, 0.51});
            log("simsiam-s" + s, new double[] {0.30, 0.20, 0.12, 0.12});
            log("vicreg-s" + s, null);
            for (String m : methods.keySet()) {
                checkpoint(m + "-s" + s);
            }
        }
        return Report.load(dir, null);
    }

    private static BelowRandom.Finding finding(List<BelowRandom.Finding> all, String method) {
        return all.stream().filter(f -> f.method().equals(method)).findFirst().orElseThrow(() ->
                new AssertionError(method + " not judged: " + all));
    }

    @Test
    void risingCurveIsBudgetFlatIsNotExplainedRisingOnlyAfterAnEarlierHighIsNot() {
        // last half (epochs 3, 4): slope 2 pts/epoch; last 48 − best of the first half 44 = 4 pts
        BelowRandom.Trend rising = BelowRandom.trend(List.of(1, 2, 3, 4), List.of(40.0, 44.0, 46.0, 48.0));
        assertEquals(2.0, rising.slope(), 1e-9);
        assertEquals(44.0, rising.firstHalfBest(), 1e-9);
        assertEquals(2, rising.lastHalf());
        assertTrue(rising.rising());
        BelowRandom.Trend flat = BelowRandom.trend(List.of(1, 2, 3, 4), List.of(50.0, 52.0, 51.0, 51.0));
        assertEquals(0.0, flat.slope(), 1e-9);
        assertEquals(2, flat.bestEpoch());
        assertFalse(flat.rising());
        // a rise at the end that stays under an earlier high (noise around a plateau) is not "still improving"
        BelowRandom.Trend dip = BelowRandom.trend(List.of(1, 2, 3, 4), List.of(50.0, 55.0, 48.0, 51.0));
        assertEquals(3.0, dip.slope(), 1e-9);
        assertFalse(dip.rising());
        // 5 measurements: the slope is fitted on the last 3 (epochs 3, 4, 5: 50, 51, 52 → 1 pt/epoch)
        BelowRandom.Trend five = BelowRandom.trend(List.of(1, 2, 3, 4, 5), List.of(40.0, 49.0, 50.0, 51.0, 52.0));
        assertEquals(3, five.lastHalf());
        assertEquals(1.0, five.slope(), 1e-9);
        assertEquals(49.0, five.firstHalfBest(), 1e-9);
        assertTrue(five.rising());
        // a slope under 0.5 pt/epoch is flat even when the margin is met
        assertFalse(BelowRandom.trend(List.of(2, 4, 6, 8), List.of(40.0, 41.0, 41.4, 41.8)).rising());
        assertNull(BelowRandom.trend(List.of(4), List.of(50.0)), "one measurement is no curve");
    }

    @Test
    void eachMethodNotAboveTheRandomEncoderIsExplainedWithItsEvidence() throws IOException {
        Report.Inputs in = write();
        List<BelowRandom.Finding> all = BelowRandom.findings(in.cells(), in.board(), in.pretext());
        assertEquals(5, all.size(), "one finding per SSL method (knn and linear share a pretext): " + all);
        // knn and linear at the largest label count only
        for (BelowRandom.Finding f : all) {
            assertEquals(List.of("knn", "linear"), f.deltas().stream().map(SslVersusScratch.Row::protocol).toList());
            assertTrue(f.deltas().stream().allMatch(r -> r.nLabels() == 1000), f.toString());
        }
        assertEquals(BelowRandom.Diagnosis.ABOVE, finding(all, "simclr").diagnosis());
        BelowRandom.Finding byol = finding(all, "byol");
        assertEquals(BelowRandom.Diagnosis.BUDGET, byol.diagnosis());
        String why = BelowRandom.explanation(byol);
        assertTrue(why.contains("still improving when the budget ended (4 epochs × 10,000 images = 40,000 images seen)"
                + ": expect more epochs to help (2 of 3 seeds rising)"), why);
        String seed0 = BelowRandom.evidence(byol.curves().get(0));
        assertTrue(seed0.contains("monitor kNN 40.0 → 44.0 → 46.0 → 48.0 % (epochs 1, 2, 3, 4; untrained encoder 35.0 %)"),
                seed0);
        assertTrue(seed0.contains("slope over the last 2 measured epochs +2.00 pts/epoch, last − best of the first half"
                + " +4.0 pts: rising; loss 4.000 → 3.250"), seed0);
        assertTrue(seed0.contains("encoder RankMe 25.3 (collapse threshold 6.4)"), seed0);

        BelowRandom.Finding rotation = finding(all, "rotation");
        assertEquals(BelowRandom.Diagnosis.NOT_EXPLAINED, rotation.diagnosis());
        assertTrue(BelowRandom.explanation(rotation).contains("defaults, budget or a fault: the curve stopped improving"
                + " at epoch 2 of 4 (seed 0, best monitor kNN 52.0 %, last 51.0 %)"), BelowRandom.explanation(rotation));
        assertTrue(BelowRandom.explanation(rotation).contains("check the method's preset (`make list`) and the views"
                + " (`make views`)"));

        BelowRandom.Finding simsiam = finding(all, "simsiam");
        assertEquals(BelowRandom.Diagnosis.COLLAPSED, simsiam.diagnosis());
        assertEquals(3, simsiam.collapsed());
        assertTrue(BelowRandom.explanation(simsiam).contains("collapsed in 3 of 3 seeds (" + COLLAPSE + ")"),
                BelowRandom.explanation(simsiam));

        BelowRandom.Finding vicreg = finding(all, "vicreg");
        assertEquals(BelowRandom.Diagnosis.NO_CURVE, vicreg.diagnosis());
        assertTrue(BelowRandom.explanation(vicreg).contains("set `monitor_every: 1`"), BelowRandom.explanation(vicreg));
        assertTrue(BelowRandom.evidence(vicreg.curves().get(0)).contains("no monitor kNN in its log"));
    }

    @Test
    void theAnswerTheCsvAndTheConsoleCarryTheSection() throws IOException {
        Report.Inputs in = write();
        String md = Answer.markdown(in.cells(), in.board(), in.pretext());
        int at = md.indexOf("### cifar10 / small-cnn: below the random encoder? why");
        assertTrue(at > 0, md);
        String section = md.substring(at);
        assertTrue(section.contains("- Above the random encoder: simclr."), section);
        assertTrue(section.contains("- **byol**: budget too small: still improving"), section);
        assertTrue(section.contains("knn n=1000 Δ -5.67 "), section);
        assertFalse(section.contains("**simclr**"), "a method above is not explained: " + section);
        assertTrue(Answer.rulesMarkdown(in.cells(), in.board()).contains("**Below the random encoder? why**"));

        List<BelowRandom.Finding> all = BelowRandom.findings(in.cells(), in.board(), in.pretext());
        BelowRandom.write(dir.resolve(BelowRandom.FILE_NAME), all);
        List<String> lines = Files.readAllLines(dir.resolve(BelowRandom.FILE_NAME));
        assertEquals(String.join(",", BelowRandom.COLUMNS), lines.get(0));
        assertEquals(1 + 5 * 3, lines.size(), "one row per method × pretext seed");
        String byol0 = lines.stream().filter(l -> l.contains(",byol-s0,")).findFirst().orElseThrow();
        assertTrue(byol0.contains(",budget too small,"), byol0);
        assertTrue(byol0.contains(",1;2;3;4,40.00;44.00;46.00;48.00,40.00,48.00,4,48.00,35.00,2.000,4.00,true,4.0,3.25,4,10000,"
                + "40000,25.25,6.40"), byol0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Answer.print(in.cells(), in.board(), in.pretext(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String console = bytes.toString(StandardCharsets.UTF_8);
        List<String> below = console.lines().filter(l -> l.contains("not above the random encoder")).toList();
        assertEquals(4, below.size(), console);
        assertTrue(console.contains("cifar10 / small-cnn byol not above the random encoder (knn n=1000 Δ"), console);
    }

    private static BelowRandom.Curve curve(int seed, List<Double> knn, String collapse) {
        List<Integer> epochs = List.of(1, 2, 3, 4).subList(0, knn.size());
        return new BelowRandom.Curve(seed, "h" + seed, epochs, knn, BelowRandom.trend(epochs, knn), Double.NaN, 4, 3,
                4, -1, Double.NaN, Double.NaN, collapse);
    }

    /** The order of the rule: collapse of most seeds, no ok cell, no curve, a rising majority, else not explained. */
    @Test
    void diagnosisOrder() {
        List<Double> rising = List.of(40.0, 44.0, 46.0, 48.0);
        List<Double> flat = List.of(50.0, 52.0, 51.0, 51.0);
        // one collapsed seed of three is left out of Δ; the other two seeds' curves decide
        List<BelowRandom.Curve> oneCollapsed = List.of(curve(0, flat, "collapsed: x"), curve(1, rising, ""),
                curve(2, rising, ""));
        assertEquals(BelowRandom.Diagnosis.BUDGET, BelowRandom.diagnose(false, oneCollapsed, 1, 4));
        assertEquals(BelowRandom.Diagnosis.COLLAPSED, BelowRandom.diagnose(false, List.of(curve(0, flat, "collapsed: x"),
                curve(1, flat, "collapsed: y"), curve(2, rising, "")), 2, 2));
        assertEquals(BelowRandom.Diagnosis.COLLAPSED, BelowRandom.diagnose(false, oneCollapsed, 1, 0),
                "no ok cell and a collapse: collapsed, not failed");
        assertEquals(BelowRandom.Diagnosis.FAILED, BelowRandom.diagnose(false, List.of(curve(0, rising, "")), 0, 0));
        assertEquals(BelowRandom.Diagnosis.NO_CURVE, BelowRandom.diagnose(false, List.of(curve(0, List.of(50.0), "")), 0, 2));
        assertEquals(BelowRandom.Diagnosis.NOT_EXPLAINED, BelowRandom.diagnose(false, List.of(curve(0, rising, ""),
                curve(1, flat, "")), 0, 4), "1 of 2 rising is no majority");
        assertEquals(BelowRandom.Diagnosis.ABOVE, BelowRandom.diagnose(true, oneCollapsed, 1, 4));
        // Above in every seed but the interval too wide (2 seeds): "add seeds", never "not explained".
        assertEquals(BelowRandom.Diagnosis.EVERY_SEED, BelowRandom.diagnose(false, true, List.of(curve(0, flat, ""),
                curve(1, flat, "")), 0, 4));
        assertEquals(BelowRandom.Diagnosis.COLLAPSED, BelowRandom.diagnose(false, true, List.of(curve(0, flat, "collapsed: x"),
                curve(1, flat, "collapsed: y"), curve(2, flat, "")), 2, 2), "a collapse majority still decides");
        BelowRandom.Curve one = new BelowRandom.Curve(0, "h0", List.of(1), List.of(50.0), null, Double.NaN, 4, 3, 1, 500,
                Double.NaN, Double.NaN, "");
        BelowRandom.Finding f = new BelowRandom.Finding("d", "b", "m", "m", List.of(), BelowRandom.Diagnosis.NO_CURVE,
                List.of(one), 0, "");
        assertTrue(BelowRandom.explanation(f).contains("1 pretext epoch"), BelowRandom.explanation(f));
        assertTrue(BelowRandom.evidence(one).contains("1 epoch × 500 images = 500 images seen"), BelowRandom.evidence(one));
    }

    @Test
    void whenEveryMethodIsAboveTheSectionSaysSo() throws IOException {
        List<CellResult> cells = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            cells.add(cell("supervised", "knn", 1000, s, 0.50 + s / 100.0, Status.OK, ""));
            cells.add(cell("simclr", "knn", 1000, s, 0.60 + (s == 1 ? 0.02 : s / 100.0), Status.OK, ""));
            cells.add(cell("supervised", "finetune", 1000, s, 0.70 + s / 100.0, Status.OK, ""));
            cells.add(cell("simclr", "finetune", 1000, s, 0.60 + s / 100.0, Status.OK, ""));
        }
        Leaderboard board = Leaderboard.aggregate(cells);
        List<BelowRandom.Finding> all = BelowRandom.findings(cells, board, List.of());
        assertEquals(1, all.size(), "fine-tuning's supervised trains its encoder: not judged: " + all);
        String md = BelowRandom.markdown(all);
        assertTrue(md.contains("All SSL methods beat the random encoder at knn n=1000: simclr."), md);
        assertEquals(List.of("cifar10 / small-cnn: all SSL methods beat the random encoder at knn n=1000"),
                BelowRandom.consoleLines(all));
    }
}
