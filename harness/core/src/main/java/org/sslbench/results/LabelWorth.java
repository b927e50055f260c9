package org.sslbench.results;

import static org.sslbench.results.CsvValues.number;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * "How many labels is a method worth?": the label count at which the run's own {@code supervised}
 * learning curve reaches a method's mean test accuracy ("rotation with 100 labels ≈ supervised with
 * 340 labels").
 *
 * <p><b>The curve.</b> The supervised configuration a method row is paired with by
 * {@link SslVersusScratch} (same settings but the method), at every label count it was run with
 * (its series), mean test accuracy over ok seeds. Means can dip as n grows (seed noise), so they are
 * first made non-decreasing by isotonic regression (pool-adjacent-violators, weighted by the number
 * of seeds), then interpolated piecewise-linearly in log(n) between measured label counts. The answer
 * is the smallest n at which the fitted curve reaches the method's mean: a method above the curve's
 * top is worth {@code > n_max} labels, one below its bottom {@code < n_min} ("beyond the measured
 * range"; nothing is extrapolated).
 *
 * <p><b>Interval.</b> 95 % percentile bootstrap: each row's seeds (the method's, and the supervised
 * row's at each label count) are resampled with replacement, independently,
 * {@value #RESAMPLES} times with a fixed RNG seed ({@value #RNG_SEED}, Well19937c), and the label
 * count recomputed; a replicate beyond the range counts as 0 (below) or ∞ (above), so an end beyond
 * the range is shown as {@code < n_min} / {@code > n_max}. Only when the method and every supervised
 * point have at least 2 ok seeds.
 */
public final class LabelWorth {
    /** File name of the CSV beside report.md. */
    public static final String FILE_NAME = "label-worth.csv";
    /** Bootstrap replicates of the interval. */
    public static final int RESAMPLES = 2000;
    /** Seed of the bootstrap's RNG: a report rendered twice from the same cells is identical. */
    public static final long RNG_SEED = 13L;

    /** label-worth.csv header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "dataset", "backbone", "protocol", "subset_kind", "method", "config_id", "n_labels",
            "mean_test_accuracy", "n_seeds", "baseline_series_id", "supervised_n_labels", "supervised_mean",
            "supervised_fit", "relation", "equivalent_labels", "ratio", "ci_low", "ci_high");

    /** Where the method's accuracy meets the supervised curve. */
    public enum Relation {
        /** Reached within the measured label counts: {@code labels} is the interpolated count. */
        WITHIN("="),
        /** Above the curve's top: worth more than the largest measured count ({@code labels}). */
        ABOVE(">"),
        /** Below the curve's bottom: worth fewer than the smallest measured count ({@code labels}). */
        BELOW("<"),
        /** No supervised point to compare with. */
        NONE("");

        private final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        /** {@code =}, {@code >}, {@code <}, or empty: the CSV's {@code relation}. */
        public String symbol() {
            return symbol;
        }
    }

    /**
     * A label count on the supervised curve.
     *
     * @param labels the interpolated count for {@link Relation#WITHIN}; the bound of the measured
     *               range for ABOVE (largest n) and BELOW (smallest n); NaN for NONE
     */
    public record Estimate(Relation relation, double labels) {
        /** As a number for resampling: the count, 0 below the range, ∞ above it. */
        double asNumber() {
            return switch (relation) {
                case WITHIN -> labels;
                case ABOVE -> Double.POSITIVE_INFINITY;
                case BELOW -> 0.0;
                case NONE -> Double.NaN;
            };
        }
    }

    /**
     * One method row: a line of label-worth.csv. Accuracies in percent.
     *
     * @param supervisedNLabels the supervised curve's label counts, ascending
     * @param supervisedMean    its mean test accuracy at each, percent
     * @param supervisedFit     the isotonic fit of those means, percent
     * @param ratio             {@code equivalent_labels / n_labels} for {@link Relation#WITHIN}; the bound's ratio otherwise
     * @param ciLow             lower end of the bootstrap interval of the label count; 0 when it is below the
     *                          measured range; NaN without an interval
     * @param ciHigh            upper end; {@code Infinity} when above the range; NaN without an interval
     */
    public record Row(String dataset, String backbone, String protocol, String subsetKind, String method,
                      String configId, int nLabels, double meanTestAccuracy, int nSeeds, String baselineSeriesId,
                      List<Integer> supervisedNLabels, List<Double> supervisedMean, List<Double> supervisedFit,
                      Estimate estimate, double ratio, double ciLow, double ciHigh) {
        List<String> toRecord() {
            return List.of(dataset, backbone, protocol, subsetKind, method, configId, number(nLabels),
                    number(meanTestAccuracy), number(nSeeds), baselineSeriesId, CsvValues.intList(supervisedNLabels),
                    doubles(supervisedMean), doubles(supervisedFit), estimate.relation().symbol(),
                    number(estimate.labels()), number(ratio), number(ciLow), number(ciHigh));
        }
    }

    private LabelWorth() {
    }

    /**
     * Weighted isotonic (non-decreasing) regression by pool-adjacent-violators: the non-decreasing
     * sequence closest to {@code y} in weighted least squares. Adjacent values that decrease are
     * pooled into their weighted mean until none does.
     *
     * @param y values in order of the x they belong to
     * @param w positive weights, same length
     * @return the fitted values, same length
     * @throws IllegalArgumentException on different lengths or a weight ≤ 0
     */
    public static double[] isotonic(double[] y, double[] w) {
        if (y.length != w.length) {
            throw new IllegalArgumentException(y.length + " values for " + w.length + " weights");
        }
        int n = y.length;
        double[] level = new double[n];
        double[] weight = new double[n];
        int[] size = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            if (!(w[i] > 0)) {
                throw new IllegalArgumentException("weight " + i + " is " + w[i] + ", must be > 0");
            }
            level[blocks] = y[i];
            weight[blocks] = w[i];
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && level[blocks - 2] > level[blocks - 1]) {
                double total = weight[blocks - 2] + weight[blocks - 1];
                level[blocks - 2] = (level[blocks - 2] * weight[blocks - 2] + level[blocks - 1] * weight[blocks - 1])
                        / total;
                weight[blocks - 2] = total;
                size[blocks - 2] += size[blocks - 1];
                blocks--;
            }
        }
        double[] out = new double[n];
        int at = 0;
        for (int b = 0; b < blocks; b++) {
            Arrays.fill(out, at, at + size[b], level[b]);
            at += size[b];
        }
        return out;
    }

    /**
     * The smallest label count at which a non-decreasing curve reaches {@code target}: linear
     * interpolation in log(n) between the two measured counts around it.
     *
     * @param labels ascending label counts (&gt; 0)
     * @param fitted non-decreasing accuracies at those counts (e.g. {@link #isotonic})
     * @param target the method's accuracy, same unit as {@code fitted}
     */
    public static Estimate reach(double[] labels, double[] fitted, double target) {
        if (labels.length == 0 || Double.isNaN(target)) {
            return new Estimate(Relation.NONE, Double.NaN);
        }
        if (target > fitted[fitted.length - 1]) {
            return new Estimate(Relation.ABOVE, labels[labels.length - 1]);
        }
        if (target < fitted[0]) {
            return new Estimate(Relation.BELOW, labels[0]);
        }
        int i = 0;
        while (fitted[i] < target) {
            i++;
        }
        if (i == 0 || fitted[i] == target) {
            return new Estimate(Relation.WITHIN, labels[i]);
        }
        // fitted[i - 1] < target < fitted[i]: a strictly rising segment.
        double t = (target - fitted[i - 1]) / (fitted[i] - fitted[i - 1]);
        double log = Math.log(labels[i - 1]) + t * (Math.log(labels[i]) - Math.log(labels[i - 1]));
        return new Estimate(Relation.WITHIN, Math.exp(log));
    }

    /**
     * {@link #reach} on the isotonic fit of per-label-count means.
     *
     * @param labels ascending label counts
     * @param means  supervised mean accuracy at each
     * @param seeds  seeds behind each mean (the fit's weights)
     */
    public static Estimate estimate(double[] labels, double[] means, double[] seeds, double target) {
        return reach(labels, isotonic(means, seeds), target);
    }

    /**
     * The 95 % percentile bootstrap interval of the label count (see the class comment), as
     * {@link Estimate#asNumber} values: {@code {low, high}}, NaN when a row has fewer than 2 values.
     *
     * @param method     the method's per-seed accuracies
     * @param supervised the supervised per-seed accuracies at each of {@code labels}
     */
    public static double[] interval(double[] labels, double[][] supervised, double[] method) {
        if (method.length < 2 || Arrays.stream(supervised).anyMatch(s -> s.length < 2)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        RandomGenerator rng = new Well19937c(RNG_SEED);
        double[] weights = Arrays.stream(supervised).mapToDouble(s -> s.length).toArray();
        double[] replicates = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            double[] means = new double[supervised.length];
            for (int k = 0; k < supervised.length; k++) {
                means[k] = resampledMean(supervised[k], rng);
            }
            double v = estimate(labels, means, weights, resampledMean(method, rng)).asNumber();
            // Percentile does no arithmetic on ∞ (it gives NaN): "above" is carried as MAX_VALUE.
            replicates[b] = v == Double.POSITIVE_INFINITY ? Double.MAX_VALUE : v;
        }
        // R_1 (inverse of the empirical distribution): an end is one of the replicates, never a
        // mix of a finite count and "above the range".
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_1);
        return new double[] {above(p.evaluate(replicates, 2.5)), above(p.evaluate(replicates, 97.5))};
    }

    private static double above(double v) {
        return v == Double.MAX_VALUE ? Double.POSITIVE_INFINITY : v;
    }

    /** Mean of {@code values.length} draws with replacement. */
    static double resampledMean(double[] values, RandomGenerator rng) {
        double[] draw = new double[values.length];
        for (int i = 0; i < draw.length; i++) {
            draw[i] = values[rng.nextInt(values.length)];
        }
        return Stats.mean(draw);
    }

    /**
     * One row per method row paired with a supervised configuration (see {@link SslVersusScratch});
     * the supervised curve is that configuration's series (rows with its series id) with ok seeds.
     */
    public static List<Row> rows(List<CellResult> cells, Leaderboard board) {
        Map<ResultKey, List<CellResult>> groups = Leaderboard.groups(cells, new ArrayList<>());
        List<Row> out = new ArrayList<>();
        for (SslVersusScratch.Pairing p : SslVersusScratch.judge(cells, board).pairings()) {
            LeaderboardRow row = p.row();
            if (row.nSeeds() == 0) {
                continue;
            }
            LeaderboardRow b = p.baseline();
            List<LeaderboardRow> curve = board.rows().stream()
                    .filter(s -> s.method().equals(SslVersusScratch.BASELINE) && s.dataset().equals(b.dataset())
                            && s.backbone().equals(b.backbone()) && s.protocol().equals(b.protocol())
                            && s.subsetKind().equals(b.subsetKind()) && s.seriesId().equals(b.seriesId())
                            && s.nSeeds() > 0)
                    .sorted(Comparator.comparingInt(LeaderboardRow::nLabels)).toList();
            if (curve.stream().map(LeaderboardRow::nLabels).distinct().count() != curve.size()) {
                continue; // one series holding a label count twice names no single curve
            }
            double[] labels = curve.stream().mapToDouble(LeaderboardRow::nLabels).toArray();
            double[] means = curve.stream().mapToDouble(s -> 100 * s.meanTestAccuracy()).toArray();
            double[] weights = curve.stream().mapToDouble(LeaderboardRow::nSeeds).toArray();
            double[] fit = isotonic(means, weights);
            double target = 100 * row.meanTestAccuracy();
            Estimate e = reach(labels, fit, target);
            double[][] perSeed = curve.stream().map(s -> okPercent(groups.get(ResultKey.of(s)))).toArray(double[][]::new);
            double[] ci = interval(labels, perSeed, okPercent(groups.get(ResultKey.of(row))));
            out.add(new Row(row.dataset(), row.backbone(), row.protocol(), row.subsetKind(), row.method(),
                    row.configId(), row.nLabels(), target, row.nSeeds(), b.seriesId(),
                    curve.stream().map(LeaderboardRow::nLabels).toList(), boxed(means), boxed(fit), e,
                    e.labels() / row.nLabels(), ci[0], ci[1]));
        }
        return out;
    }

    private static double[] okPercent(List<CellResult> cells) {
        return cells == null ? new double[0] : cells.stream().filter(c -> c.status() == Status.OK)
                .mapToDouble(c -> 100 * c.testAccuracy()).filter(v -> !Double.isNaN(v)).toArray();
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static String doubles(List<Double> values) {
        return values.stream().map(CsvValues::number).collect(Collectors.joining(";"));
    }

    /** Writes {@code rows} to {@code file} atomically (a header alone when there are none). */
    public static void write(Path file, List<Row> rows) throws IOException {
        AtomicFiles.writeString(file, CsvTable.render(COLUMNS, rows.stream().map(Row::toRecord).toList()));
    }

    // ---- views ----

    /** A label count as shown: whole labels, {@code 137}. */
    static String count(double labels) {
        return String.format(Locale.ROOT, "%.0f", labels);
    }

    /** {@code ≈ 137 (1.4×)}, {@code > 1000 (beyond the measured range)}, {@code < 100 (…)}, {@code -}. */
    static String text(Row r) {
        Estimate e = r.estimate();
        String interval = Double.isNaN(r.ciLow()) ? ""
                : " [" + end(r.ciLow(), r) + ", " + end(r.ciHigh(), r) + "]";
        return switch (e.relation()) {
            case WITHIN -> "≈ " + count(e.labels()) + String.format(Locale.ROOT, " (%.2g×)", r.ratio()) + interval;
            case ABOVE -> "> " + count(e.labels()) + " (beyond the measured range)" + interval;
            case BELOW -> "< " + count(e.labels()) + " (beyond the measured range)" + interval;
            case NONE -> "-";
        };
    }

    private static String end(double v, Row r) {
        List<Integer> n = r.supervisedNLabels();
        if (v == Double.POSITIVE_INFINITY) {
            return "> " + n.get(n.size() - 1);
        }
        if (v == 0.0) {
            return "< " + n.get(0);
        }
        return count(v);
    }
}
