package org.sslbench.results;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts of a results directory ({@code plots/}): accuracy vs label count per
 * (dataset, backbone, protocol), and per-epoch pretext loss, collapse monitor and kNN monitor per
 * (dataset, backbone). Drawn with XChart on headless AWT, so they work on servers without a display.
 */
final class Plots {
    static final String DIR = "plots";
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    // Beyond this many epochs markers would smear a curve into a thick band.
    private static final int MAX_MARKED_POINTS = 30;
    // e.g. Barlow Twins (thousands) next to rotation (about 1).
    private static final double LOG_SCALE_RATIO = 100;
    // Seeds of one method share its colour and differ in dash, so a method reads as one family.
    private static final BasicStroke[] SEED_STROKES = {
            SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};

    static {
        // Before the first AWT class loads; an explicit -Djava.awt.headless=false still wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Paths of the charts written, relative to the results directory (as Markdown links them). */
    record Written(Map<ResultTable.Block, String> accuracy, Map<DatasetBackbone, String> loss,
                   Map<DatasetBackbone, String> collapse, Map<DatasetBackbone, String> monitor) {
    }

    private Plots() {
    }

    /** Writes every chart that has data; a block whose seeds all failed gets none. */
    static Written write(Path resultsDir, Leaderboard board, List<PretextRun> pretext) throws IOException {
        return write(resultsDir, board, pretext, Map.of());
    }

    /**
     * {@link #write(Path, Leaderboard, List)}, naming each pretext curve by {@code pretextLabels}
     * (pretext hash → name, {@link ConfigNames#pretextLabels}); a run it lacks is named by method and seed.
     */
    static Written write(Path resultsDir, Leaderboard board, List<PretextRun> pretext, Map<String, String> pretextLabels)
            throws IOException {
        Map<ResultTable.Block, String> accuracy = new LinkedHashMap<>();
        for (Map.Entry<ResultTable.Block, List<LeaderboardRow>> e : ResultTable.blocks(board).entrySet()) {
            ResultTable.Block b = e.getKey();
            String name = "accuracy-" + slug(b.dataset()) + "-" + slug(b.backbone()) + "-" + slug(b.protocol()) + ".png";
            writeIfPresent(resultsDir, name, accuracyChart(b, e.getValue()), accuracy, b);
        }
        Map<DatasetBackbone, List<PretextRun>> byScope = new TreeMap<>();
        pretext.forEach(r -> byScope.computeIfAbsent(r.scope(), k -> new ArrayList<>()).add(r));
        Map<DatasetBackbone, String> loss = new LinkedHashMap<>();
        Map<DatasetBackbone, String> collapse = new LinkedHashMap<>();
        Map<DatasetBackbone, String> monitor = new LinkedHashMap<>();
        for (Map.Entry<DatasetBackbone, List<PretextRun>> e : byScope.entrySet()) {
            DatasetBackbone s = e.getKey();
            writeIfPresent(resultsDir, "pretext-loss-" + s.slug() + ".png", epochChart(s.title() + ": pretext loss",
                    "loss", e.getValue(), PretextLog.Epoch::loss, YScale.LOG_IF_SPREAD, pretextLabels), loss, s);
            writeIfPresent(resultsDir, "collapse-" + s.slug() + ".png",
                    epochChart(s.title() + ": collapse monitor (low = collapsed)", "std of normalised embedding",
                            e.getValue(), PretextLog.Epoch::collapseStd, YScale.LINEAR_FROM_ZERO, pretextLabels), collapse, s);
            // Epochs the monitor did not measure are NaN and left out of the curves (none at all: no chart).
            writeIfPresent(resultsDir, "monitor-knn-" + s.slug() + ".png",
                    epochChart(s.title() + ": kNN monitor on labelled training images", "kNN accuracy (fraction)",
                            e.getValue(), PretextLog.Epoch::monitorKnn, YScale.LINEAR_FROM_ZERO, pretextLabels), monitor, s);
        }
        return new Written(accuracy, loss, collapse, monitor);
    }

    private static <K> void writeIfPresent(Path resultsDir, String name, XYChart chart, Map<K, String> written, K key)
            throws IOException {
        if (chart != null) {
            AtomicFiles.write(resultsDir.resolve(DIR).resolve(name), BitmapEncoder.getBitmapBytes(chart,
                    BitmapEncoder.BitmapFormat.PNG));
            written.put(key, DIR + "/" + name);
        }
    }

    /** Mean test accuracy (%) vs label count, one series per configuration line, error bars = std over seeds; null if empty. */
    static XYChart accuracyChart(ResultTable.Block block, List<LeaderboardRow> rows) {
        XYChart chart = chart(block.title() + ": test accuracy", "labelled examples (log scale)",
                "test accuracy (%), mean ± std over seeds");
        XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        // Within one decade, ticks at every 1..9 x 10^k say where the counts are; across several,
        // those labels overlap (600 700 800 900 1,000), so only decades are labelled.
        int[] counts = rows.stream().mapToInt(LeaderboardRow::nLabels).toArray();
        styler.setXAxisLogarithmicDecadeOnly(counts.length > 0
                && Arrays.stream(counts).max().getAsInt() > 10 * Arrays.stream(counts).min().getAsInt());
        // Not a tick formatting function: with one, XChart places linear ticks on the log axis.
        styler.setXAxisDecimalPattern("#,##0");
        styler.setErrorBarsColorSeriesColor(true);
        // One series per configuration line (as the tables have), never one per method: two
        // configurations, or stratified subsets and predefined folds, must not share a curve.
        Map<String, List<LeaderboardRow>> byMethod = new TreeMap<>();
        List<String> labels = ResultTable.lineLabels(rows);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).nSeeds() > 0) {
                byMethod.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(rows.get(i));
            }
        }
        byMethod.forEach((method, points) -> {
            List<LeaderboardRow> sorted = points.stream().sorted(Comparator.comparingInt(LeaderboardRow::nLabels)).toList();
            double[] x = sorted.stream().mapToDouble(LeaderboardRow::nLabels).toArray();
            double[] y = sorted.stream().mapToDouble(r -> 100 * r.meanTestAccuracy()).toArray();
            double[] err = sorted.stream().mapToDouble(r -> Double.isNaN(r.stdTestAccuracy()) ? 0 : 100 * r.stdTestAccuracy()).toArray();
            chart.addSeries(method, x, y, err).setMarker(SeriesMarkers.CIRCLE);
        });
        return byMethod.isEmpty() ? null : chart;
    }

    /** How an epoch chart's y axis is scaled. */
    enum YScale {
        /** Log when positive values span two orders of magnitude (losses of different methods), else linear. */
        LOG_IF_SPREAD,
        /** Linear from 0: for the collapse monitor the distance from 0 is the point, and a cropped axis makes any dip look like collapse. */
        LINEAR_FROM_ZERO
    }

    /** One curve per pretext run (colour = method, dash = seed); null when no run has a logged value. */
    static XYChart epochChart(String title, String yTitle, List<PretextRun> runs, ToDoubleFunction<PretextLog.Epoch> value,
                              YScale scale) {
        return epochChart(title, yTitle, runs, value, scale, Map.of());
    }

    /** {@link #epochChart(String, String, List, ToDoubleFunction, YScale)} with curves named by {@code labels} (pretext hash → name). */
    static XYChart epochChart(String title, String yTitle, List<PretextRun> runs, ToDoubleFunction<PretextLog.Epoch> value,
                              YScale scale, Map<String, String> labels) {
        XYChart chart = chart(title, "epoch", yTitle);
        List<String> methods = runs.stream().map(PretextRun::method).distinct().sorted().toList();
        Map<String, Integer> seedIndex = new TreeMap<>();
        Set<String> names = new HashSet<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (PretextRun run : runs) {
            List<PretextLog.Epoch> epochs = run.log().epochs().stream()
                    .filter(e -> Double.isFinite(value.applyAsDouble(e))).toList();
            if (epochs.isEmpty()) {
                continue;
            }
            double[] x = epochs.stream().mapToDouble(PretextLog.Epoch::epoch).toArray();
            double[] y = epochs.stream().mapToDouble(value).toArray();
            for (double v : y) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            int seedRank = seedIndex.merge(run.method(), 1, Integer::sum) - 1;
            XYSeries series = chart.addSeries(uniqueName(run, labels, names), x, y);
            Color colour = chart.getStyler().getSeriesColors()[methods.indexOf(run.method())
                    % chart.getStyler().getSeriesColors().length];
            series.setLineColor(colour);
            series.setMarkerColor(colour);
            series.setLineStyle(SEED_STROKES[seedRank % SEED_STROKES.length]);
            series.setMarker(x.length <= MAX_MARKED_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        if (names.isEmpty()) {
            return null;
        }
        if (scale == YScale.LINEAR_FROM_ZERO) {
            chart.getStyler().setYAxisMin(0.0);
        } else {
            chart.getStyler().setYAxisLogarithmic(min > 0 && max / min >= LOG_SCALE_RATIO);
        }
        chart.getStyler().setYAxisDecimalPattern("#,##0.####");
        return chart;
    }

    // XChart rejects duplicate series names; two configurations of one method can share a seed.
    private static String uniqueName(PretextRun run, Map<String, String> labels, Set<String> names) {
        String name = labels.getOrDefault(run.hash(), run.method() + " seed " + run.seed());
        if (!names.add(name)) {
            name += " (" + run.hash().substring(0, Math.min(8, run.hash().length())) + ")";
            names.add(name);
        }
        return name;
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
        styler.setMarkerSize(7);
        return chart;
    }

    /** A name usable in a file name on any platform. */
    static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
