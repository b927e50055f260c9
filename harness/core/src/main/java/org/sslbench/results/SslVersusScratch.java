package org.sslbench.results;

import static org.sslbench.results.CsvValues.getDouble;
import static org.sslbench.results.CsvValues.getInt;
import static org.sslbench.results.CsvValues.number;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The run's own answer to "does pretraining beat supervised from scratch?": each method's
 * configuration minus the {@value #BASELINE} configuration of the same run, paired by seed.
 *
 * <p><b>What is paired.</b> A method's leaderboard row is compared only with a {@value #BASELINE}
 * row whose configuration differs from it only in the method: same dataset, backbone, protocol,
 * n_labels and subset kind, and equal settings ({@link LeaderboardRow#settings()}) once the
 * method, its params ({@code params.*}), its pretext ({@code pretext.*}) and the pretext pool's
 * {@code dataset.unlabeled_limit} are left out, so two
 * fine-tunes of different lengths, learning rates or augmentations are never paired. Within such
 * a pair of rows, the ok cells of one seed (for predefined folds: one seed and fold) are paired
 * when both sides trained on the same label subset (equal, non-empty {@code label_subset}
 * fingerprints); a unit whose fingerprints differ is left out and counted.
 *
 * <p><b>Statistics</b> (accuracies in percentage points): d = method − supervised per pair,
 * mean Δ and sd(d) over the n pairs; the verdict is {@link NoiseTest}'s, so the same rule as
 * {@code compare}: better/worse when |mean Δ| &gt; 2·sd(d)/√n with n ≥ 2 pairs, else within noise;
 * fewer than 2 pairs (or the same d on every pair) gives {@link Verdict#NO_SPREAD}, no pair
 * {@link Verdict#NO_VALUE}. The 95 % interval is mean Δ ± t(0.975, n−1)·sd(d)/√n (Student t,
 * Apache Commons Math), NaN when there is no spread; at small n it is wider than the verdict's
 * band (t(0.975, n−1) &gt; 2: 4.30 at n = 3, 2.78 at n = 5), so a verdict whose interval crosses 0 is a weak one.
 *
 * <p>The report's Answer section and the end of {@code bench} use {@link Row#answer} instead: the
 * verdict read from the 95 % interval itself, which says "too few seeds" when the seeds cannot tell.
 *
 * <p>Computed for the final-epoch {@code test_accuracy} and, where both sides measured it, for
 * {@code test_selected_max_accuracy} (the best epoch chosen on the test split: optimistic, shown apart).
 */
public final class SslVersusScratch {
    /** File name of the CSV beside report.md. */
    public static final String FILE_NAME = "ssl-vs-scratch.csv";
    /** The method every other one is judged against. */
    public static final String BASELINE = "supervised";
    /**
     * The raw-pixels floor (no encoder): not a pretraining method, so it gets no row here and no
     * label worth; "which method wins" ranks it with the others.
     */
    public static final String FLOOR = "pixels";
    /** The answer of a configuration whose pretext collapsed (status {@code collapsed}). */
    static final String COLLAPSED_TEXT = "collapsed (excluded; see the cells left out)";
    /** {@link Row#answer} when the seeds cannot tell. */
    static final String TOO_FEW = "too few seeds";
    /** Two-sided confidence level of the interval. */
    static final double CONFIDENCE = 0.95;

    /** ssl-vs-scratch.csv header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "subset_kind", "fold", "method", "config_id",
            "baseline_config_id", "metric", "n_pairs", "mean_delta_points", "ci_low", "ci_high", "sd_delta",
            "verdict", "test", "answer");

    /**
     * One method configuration against one baseline configuration on one metric: a row of the CSV.
     *
     * @param folds            for predefined folds, the folds paired ({@code 0;1;…}); empty for stratified subsets
     * @param nPairs           seeds (or seed × fold units) paired
     * @param meanDeltaPoints  mean of method − supervised, percentage points; NaN with no pair
     * @param ciLow            lower end of the 95 % t interval, points; NaN with fewer than 2 pairs or no spread
     * @param ciHigh           upper end, likewise
     * @param sdDelta          sample (n−1) std of the differences, points; NaN with fewer than 2 pairs
     * @param test             {@link NoiseTest#PAIRED}, or empty when not judged (fewer than 2 pairs)
     */
    public record Row(String dataset, String backbone, String protocol, int nLabels, String subsetKind, String folds,
                      String method, String configId, String baselineConfigId, Metric metric, int nPairs,
                      double meanDeltaPoints, double ciLow, double ciHigh, double sdDelta, Verdict verdict,
                      String test) {
        public Row {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(verdict, "verdict");
        }

        /**
         * The report's answer, read from the 95 % paired t interval (so the verdict never
         * contradicts the interval shown beside it): {@code better} / {@code worse} when the interval
         * lies above / below 0 (the paired t-test at 5 %); else {@code inconclusive}, or
         * {@code too few seeds} when only 2 seeds were paired (1 degree of freedom: t = 12.71, an
         * interval that rarely excludes 0); {@code too few seeds} with 1 pair (no interval);
         * {@code no spread} when every seed gave the same Δ (no interval); {@code no common seed}
         * with no pair; {@link #COLLAPSED_TEXT} when the method's pretext collapsed.
         */
        public String answer() {
            if (verdict == Verdict.COLLAPSED) {
                return COLLAPSED_TEXT;
            }
            if (nPairs == 0) {
                return "no common seed";
            }
            if (nPairs == 1) {
                return TOO_FEW;
            }
            if (Double.isNaN(ciLow) || Double.isNaN(ciHigh)) {
                return Verdict.NO_SPREAD.label();
            }
            if (ciLow > 0) {
                return Verdict.BETTER.label();
            }
            if (ciHigh < 0) {
                return Verdict.WORSE.label();
            }
            return nPairs == 2 ? TOO_FEW : "inconclusive";
        }

        List<String> toRecord() {
            return List.of(dataset, backbone, protocol, number(nLabels), subsetKind, folds, method, configId,
                    baselineConfigId, metric.csv(), number(nPairs), number(meanDeltaPoints), number(ciLow),
                    number(ciHigh), number(sdDelta), verdict.label(), test, answer());
        }

        static Row fromRecord(CSVRecord r) {
            return new Row(r.get("dataset"), r.get("backbone"), r.get("protocol"), getInt(r, "n_labels"),
                    r.get("subset_kind"), r.get("fold"), r.get("method"), r.get("config_id"),
                    r.get("baseline_config_id"), Metric.parse(r.get("metric")), getInt(r, "n_pairs"),
                    getDouble(r, "mean_delta_points"), getDouble(r, "ci_low"), getDouble(r, "ci_high"),
                    getDouble(r, "sd_delta"), parseVerdict(r.get("verdict")), r.get("test"));
        }
    }

    /**
     * A method's leaderboard row judged against one comparable baseline row.
     *
     * @param unpairable seeds both rows have whose label subsets differ (not paired)
     * @param max        the test-selected comparison; null when no pair measured max_test_accuracy on both sides
     */
    record Pairing(LeaderboardRow row, LeaderboardRow baseline, int unpairable, Row fin, Row max) {
    }

    /** A method's row whose block has baseline rows, but none comparable: what differs from the nearest. */
    record Unmatched(LeaderboardRow row, String difference) {
    }

    /** Every method row of the board with a baseline in its (dataset, backbone, protocol) block. */
    record Judged(List<Pairing> pairings, List<Unmatched> unmatched) {
        List<Row> rows() {
            List<Row> out = new ArrayList<>();
            for (Pairing p : pairings) {
                out.add(p.fin());
                if (p.max() != null) {
                    out.add(p.max());
                }
            }
            return out;
        }
    }

    private SslVersusScratch() {
    }

    /**
     * The CSV rows for {@code cells} as {@code board} (their leaderboard) groups them: per method
     * configuration and comparable baseline configuration, a {@code final} row and, when measured,
     * a {@code max_over_epochs} row; empty when the run has no {@value #BASELINE} row.
     */
    public static List<Row> rows(List<CellResult> cells, Leaderboard board) {
        return judge(cells, board).rows();
    }

    static Judged judge(List<CellResult> cells, Leaderboard board) {
        return judge(cells, board, BASELINE);
    }

    /**
     * Every method row against {@code baseline}'s comparable rows: {@value #BASELINE} (does
     * pretraining beat scratch; the {@value #FLOOR} floor is left out) or {@value #FLOOR} (does
     * an encoder, the random one of {@value #BASELINE} included, beat the raw pixels).
     */
    static Judged judge(List<CellResult> cells, Leaderboard board, String baseline) {
        Map<ResultKey, List<CellResult>> groups = Leaderboard.groups(cells, new ArrayList<>());
        List<Pairing> pairings = new ArrayList<>();
        List<Unmatched> unmatched = new ArrayList<>();
        ResultTable.blocks(board).forEach((block, rows) -> {
            List<LeaderboardRow> baselines = rows.stream().filter(r -> baseline.equals(r.method())).toList();
            if (baselines.isEmpty()) {
                return;
            }
            for (LeaderboardRow row : rows) {
                if (baseline.equals(row.method()) || FLOOR.equals(row.method())) {
                    continue; // the floor learns nothing: it is ranked with the others, not judged as SSL
                }
                List<LeaderboardRow> sameScope = baselines.stream().filter(b -> b.nLabels() == row.nLabels()
                        && b.subsetKind().equals(row.subsetKind())).toList();
                List<LeaderboardRow> comparable = sameScope.stream()
                        .filter(b -> evaluation(b.settings()).equals(evaluation(row.settings()))).toList();
                if (comparable.isEmpty()) {
                    unmatched.add(new Unmatched(row, sameScope.isEmpty() ? "no " + baseline + " row at n=" + row.nLabels()
                            + (row.isFold() ? " (folds)" : "") : difference(row, sameScope.get(0), baseline)));
                    continue;
                }
                for (LeaderboardRow b : comparable) {
                    pairings.add(pair(row, b, groups.getOrDefault(ResultKey.of(row), List.of()),
                            groups.getOrDefault(ResultKey.of(b), List.of())));
                }
            }
        });
        return new Judged(pairings, unmatched);
    }

    /**
     * Settings without what makes the method and its pretext run: what must be equal for two rows
     * to be paired. {@code dataset.unlabeled_limit} only sizes the pretext pool, so it is left out
     * too: {@value #BASELINE}'s result never depends on it (its settings have no such key, or, in a
     * directory written before they left it out, whatever the spec said).
     */
    static Map<String, String> evaluation(String settings) {
        Map<String, String> out = ConfigNames.parse(settings);
        out.keySet().removeIf(k -> k.equals("method") || k.startsWith("params.") || k.startsWith("pretext.")
                || k.equals(PRETEXT_POOL_KEY));
        return out;
    }

    /** The settings key of the pretext pool's size cap, which only a pretext run reads. */
    static final String PRETEXT_POOL_KEY = "dataset.unlabeled_limit";

    private static String difference(LeaderboardRow row, LeaderboardRow baseline, String baselineMethod) {
        List<String> names = ConfigNames.distinguishing(List.of(ConfigNames.join(evaluation(row.settings())),
                ConfigNames.join(evaluation(baseline.settings()))), row.protocol(), k -> true);
        String differs = names.get(0).isEmpty() ? "settings not comparable" : names.get(0);
        return "settings differ from " + baselineMethod + "'s: " + differs + " vs "
                + (names.get(1).isEmpty() ? "unknown" : names.get(1));
    }

    /**
     * The ok cells of a method's row and of its baseline row paired by unit (seed, and fold for
     * predefined folds) on the same labelled subset.
     *
     * @param pairs      {method cell, baseline cell} per paired unit, by seed then fold
     * @param unpairable units both sides have that cannot be paired (different label subsets, or a unit twice)
     */
    record Units(List<CellResult[]> pairs, int unpairable) {
    }

    /** The pairing of {@code cells} with {@code baseCells}, as the Δ intervals use it (see the class comment). */
    static Units pairUnits(List<CellResult> cells, List<CellResult> baseCells) {
        Map<String, CellResult> baseByUnit = new LinkedHashMap<>();
        Map<String, Integer> baseCount = new LinkedHashMap<>();
        for (CellResult c : baseCells) {
            if (c.status() == Status.OK) {
                baseByUnit.put(unit(c), c);
                baseCount.merge(unit(c), 1, Integer::sum);
            }
        }
        List<CellResult[]> pairs = new ArrayList<>();
        int unpairable = 0;
        List<CellResult> ok = cells.stream().filter(c -> c.status() == Status.OK)
                .sorted(Comparator.comparingInt(CellResult::seed).thenComparingInt(CellResult::fold)).toList();
        for (CellResult c : ok) {
            CellResult b = baseByUnit.get(unit(c));
            if (b == null) {
                continue;
            }
            // Only the same labelled examples make a pair; a unit twice on a side names no one cell.
            if (c.labelSubset().isEmpty() || !c.labelSubset().equals(b.labelSubset()) || baseCount.get(unit(c)) > 1
                    || ok.stream().filter(o -> unit(o).equals(unit(c))).count() > 1) {
                unpairable++;
                continue;
            }
            pairs.add(new CellResult[] {c, b});
        }
        return new Units(pairs, unpairable);
    }

    private static Pairing pair(LeaderboardRow row, LeaderboardRow baseline, List<CellResult> cells,
                                List<CellResult> baseCells) {
        Units units = pairUnits(cells, baseCells);
        List<CellResult[]> pairs = units.pairs();
        int unpairable = units.unpairable();
        boolean anyOk = cells.stream().anyMatch(c -> c.status() == Status.OK);
        Row fin = judge(row, baseline, pairs, Metric.FINAL, CellResult::testAccuracy);
        Row max = judge(row, baseline, pairs, Metric.MAX_OVER_EPOCHS, CellResult::maxTestAccuracy);
        if (!anyOk && cells.stream().anyMatch(c -> c.status() == Status.COLLAPSED)) {
            // no pair because the pretext collapsed, not for want of seeds: say so
            fin = new Row(fin.dataset(), fin.backbone(), fin.protocol(), fin.nLabels(), fin.subsetKind(), fin.folds(),
                    fin.method(), fin.configId(), fin.baselineConfigId(), fin.metric(), 0, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Verdict.COLLAPSED, NoiseTest.NONE);
        }
        return new Pairing(row, baseline, unpairable, fin, max.nPairs() == 0 ? null : max);
    }

    private static String unit(CellResult c) {
        return "seed " + c.seed() + (c.fold() < 0 ? "" : " fold " + c.fold());
    }

    /**
     * {@code row} − {@code baseline} on {@code metric} over the paired units {@code pairs}
     * ({@link #pairUnits}): Δ, sd and the 95 % paired t interval in points, as the class comment says.
     */
    static Row judge(LeaderboardRow row, LeaderboardRow baseline, List<CellResult[]> pairs, Metric metric,
                             ToDoubleFunction<CellResult> value) {
        List<String> units = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        TreeSet<Integer> folds = new TreeSet<>();
        for (CellResult[] p : pairs) {
            double va = value.applyAsDouble(p[0]);
            double vb = value.applyAsDouble(p[1]);
            if (Double.isNaN(va) || Double.isNaN(vb)) {
                continue; // not measured on one side (max_test_accuracy without eval_every)
            }
            units.add(unit(p[0]));
            a.add(va);
            b.add(vb);
            if (p[0].fold() >= 0) {
                folds.add(p[0].fold());
            }
        }
        // Both samples hold exactly the paired units, so NoiseTest judges them paired (n >= 2) or
        // finds no spread (n = 1): never an unpaired verdict over unmatched seeds.
        NoiseTest.Judgement j = NoiseTest.judge(Sample.ofUnits(units, a), Sample.ofUnits(units, b));
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i) - b.get(i);
        }
        int n = d.length;
        double sd = n >= 2 ? Stats.sampleStd(d) : Double.NaN;
        double low = Double.NaN;
        double high = Double.NaN;
        if (n >= 2 && j.verdict() != Verdict.NO_SPREAD) {
            double half = tQuantile(n - 1) * sd / Math.sqrt(n);
            low = j.delta() - half;
            high = j.delta() + half;
        }
        return new Row(row.dataset(), row.backbone(), row.protocol(), row.nLabels(), row.subsetKind(),
                folds.stream().map(String::valueOf).collect(Collectors.joining(";")), row.method(), row.configId(),
                baseline.configId(), metric, n, 100 * j.delta(), 100 * low, 100 * high, 100 * sd, j.verdict(),
                n >= 2 ? j.test() : NoiseTest.NONE);
    }

    /** t(0.975, df): the two-sided 95 % quantile of Student's t with {@code df} degrees of freedom. */
    static double tQuantile(int df) {
        return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    }

    private static Verdict parseVerdict(String label) {
        for (Verdict v : Verdict.values()) {
            if (v.label().equals(label.strip())) {
                return v;
            }
        }
        throw new IllegalArgumentException("verdict: '" + label + "' is not one of "
                + java.util.Arrays.stream(Verdict.values()).map(Verdict::label).collect(Collectors.joining(", ")));
    }

    /** Writes {@code rows} to {@code file} atomically (a header alone when there are none). */
    public static void write(Path file, List<Row> rows) throws IOException {
        AtomicFiles.writeString(file, CsvTable.render(COLUMNS, rows.stream().map(Row::toRecord).toList()));
    }

    /**
     * Reads an ssl-vs-scratch.csv.
     *
     * @throws ResultsFileException on another header or a malformed row (naming the column)
     */
    public static List<Row> read(Path file) throws IOException {
        return CsvTable.read(file, COLUMNS, Row::fromRecord).rows();
    }

    // ---- views ----

    /** {@code +1.23}: signed points, two decimals. */
    private static String signed(double points) {
        return String.format(Locale.ROOT, "%+.2f", points);
    }

    /**
     * {@code Δ +1.23 pts [-0.50, +2.96] better (paired, 3)}; {@code Δ +1.23 pts no spread (1 pair)};
     * {@code no common seed}.
     */
    static String verdictText(Row r) {
        if (r.verdict() == Verdict.COLLAPSED) {
            return COLLAPSED_TEXT;
        }
        if (r.nPairs() == 0) {
            return "no common seed";
        }
        String pts = " pts";
        String interval = Double.isNaN(r.ciLow()) ? "" : " [" + signed(r.ciLow()) + ", " + signed(r.ciHigh()) + "]";
        String how = r.nPairs() == 1 ? "1 pair" : r.test().isEmpty() ? "n " + r.nPairs() : r.test() + ", " + r.nPairs();
        return "Δ " + signed(r.meanDeltaPoints()) + pts + interval + " " + r.verdict().label() + " (" + how + ")";
    }

    /** What a cell must add about the rows behind it: stale cells, a baseline from another spec, unpaired seeds. */
    private static String notes(Pairing p, boolean several) {
        List<String> notes = new ArrayList<>();
        if (several) {
            notes.add("vs " + BASELINE + " [config " + ResultTable.shortId(p.baseline().configId()) + "]");
        }
        if (p.baseline().isOld()) {
            notes.add(BASELINE + " not current");
        }
        if (p.row().nStale() > 0 || p.baseline().nStale() > 0) {
            notes.add("stale cells");
        }
        if (p.unpairable() > 0) {
            notes.add(p.unpairable() + " seed" + (p.unpairable() == 1 ? "" : "s") + " not paired: label subsets differ");
        }
        return notes.isEmpty() ? "" : "; " + String.join("; ", notes);
    }

    /**
     * The report.md section (before the leaderboard): one table per (dataset, backbone, protocol)
     * that has a {@value #BASELINE} row, a line per method configuration (named as the leaderboard
     * names it), a column per label count; then the test-selected table; empty when no block has
     * a baseline.
     */
    static String markdown(List<CellResult> cells, Leaderboard board) {
        Judged judged = judge(cells, board);
        if (judged.pairings().isEmpty() && judged.unmatched().isEmpty()) {
            return "";
        }
        Map<ResultKey, List<Pairing>> byRow = new LinkedHashMap<>();
        judged.pairings().forEach(p -> byRow.computeIfAbsent(ResultKey.of(p.row()), k -> new ArrayList<>()).add(p));
        Map<ResultKey, String> unmatched = new LinkedHashMap<>();
        judged.unmatched().forEach(u -> unmatched.put(ResultKey.of(u.row()), u.difference()));
        StringBuilder md = new StringBuilder("## Does pretraining beat supervised from scratch? (details)\n\n");
        md.append("Each method minus `").append(BASELINE).append("` of this run, test accuracy in points, paired by seed"
                + " (same seed and the same label subset on both sides), only with the `" + BASELINE
                + "` configuration whose settings differ in nothing but the method (same protocol settings, dataset,"
                + " preprocessing, label count and subset kind; configurations are never pooled). Numbers in `"
                + FILE_NAME + "`. The verdicts here are `make compare`'s noise rule (below); the Answer at the top"
                + " reads the 95 % interval instead (column `answer`), so a verdict here whose interval crosses 0 is"
                + " inconclusive there.\n\n");
        ResultTable.blocks(board).forEach((block, rows) -> {
            // Every other row of a block with a baseline is paired or unmatched; a block without one has neither.
            List<LeaderboardRow> methods = rows.stream().filter(r -> !BASELINE.equals(r.method())
                    && (byRow.containsKey(ResultKey.of(r)) || unmatched.containsKey(ResultKey.of(r)))).toList();
            if (methods.isEmpty()) {
                return;
            }
            md.append("### ").append(block.title()).append("\n\n");
            md.append("Final epoch (`test_accuracy`): Δ = mean of (method − ").append(BASELINE)
                    .append(") [95 % interval] verdict (test, pairs).\n\n");
            md.append(TextTable.markdown(ResultTable.grid(methods, r -> cell(r, byRow, unmatched, Pairing::fin, true))))
                    .append('\n');
            boolean anyMax = methods.stream().flatMap(r -> byRow.getOrDefault(ResultKey.of(r), List.of()).stream())
                    .anyMatch(p -> p.max() != null);
            if (anyMax) {
                md.append("Test-selected (optimistic) (`test_selected_max_accuracy`: each seed's best epoch, chosen on"
                        + " the test split; a diagnostic, never the reported number):\n\n");
                md.append(TextTable.markdown(ResultTable.grid(methods,
                        r -> cell(r, byRow, unmatched, Pairing::max, false)))).append('\n');
            }
        });
        md.append("Verdict as `make compare`'s: better/worse when |mean Δ| > 2·sd(Δ)/√n over n ≥ 2 paired seeds, else"
                + " within noise; fewer than 2 paired seeds (or the same Δ on every seed) gives \"no spread\". Interval:"
                + " mean Δ ± t(0.975, n−1)·sd(Δ)/√n" + tValues(judged.rows()) + ", wider than the verdict's band (t > 2)"
                + " at small n: a verdict whose interval crosses 0 is a weak one.\n\n");
        return md.toString();
    }

    /**
     * The t quantiles the section's intervals used, one per number of pairs present (n ≥ 2), e.g.
     * {@code  (t = 4.30 at n = 3, 2.78 at n = 5)}; empty when no interval was computed.
     */
    static String tValues(List<Row> rows) {
        List<String> parts = rows.stream().filter(r -> !Double.isNaN(r.ciLow())).map(Row::nPairs).distinct().sorted()
                .map(n -> String.format(Locale.ROOT, "%.2f at n = %d", tQuantile(n - 1), n)).toList();
        return parts.isEmpty() ? "" : " (t = " + String.join(", ", parts) + ")";
    }

    /** @param first the final-epoch table: it names why a row is not compared; the test-selected one shows "-" */
    private static String cell(LeaderboardRow r, Map<ResultKey, List<Pairing>> byRow, Map<ResultKey, String> unmatched,
                               java.util.function.Function<Pairing, Row> metric, boolean first) {
        ResultKey key = ResultKey.of(r);
        if (unmatched.containsKey(key)) {
            return first ? "not compared: " + unmatched.get(key) : "-";
        }
        List<Pairing> pairings = byRow.get(key);
        List<String> parts = new ArrayList<>();
        for (Pairing p : pairings) {
            Row m = metric.apply(p);
            parts.add((m == null ? "not measured" : verdictText(m)) + notes(p, pairings.size() > 1));
        }
        return String.join(" / ", parts);
    }

    /**
     * The console view at the end of a run: one line per method configuration × protocol × label
     * count, final and test-selected, e.g. {@code rotation vs supervised, cifar10 resnet20 finetune n=100:
     * Δ +1.23 pts [-0.50, +2.96] better (paired, 3); test-selected (optimistic) Δ +0.40 … within noise (paired, 3)};
     * nothing when the run has no {@value #BASELINE} row. The end of {@code bench} prints
     * {@link Answer#print} instead, which reads the interval ({@link Row#answer}).
     */
    public static void print(List<CellResult> cells, Leaderboard board, PrintStream out) {
        Judged judged = judge(cells, board);
        if (judged.pairings().isEmpty()) {
            return;
        }
        out.println();
        out.println("does pretraining beat " + BASELINE + " from scratch? (test accuracy, method − " + BASELINE
                + " paired by seed; better/worse: |Δ| > 2·sd/√n, as compare)");
        // Each configuration named as the leaderboard's line names it ({temperature=0.1}, (not current), …).
        Map<ResultKey, String> labels = new LinkedHashMap<>();
        ResultTable.blocks(board).forEach((block, rows) -> {
            List<String> names = ResultTable.lineLabels(rows);
            for (int i = 0; i < rows.size(); i++) {
                labels.put(ResultKey.of(rows.get(i)), names.get(i));
            }
        });
        for (Pairing p : judged.pairings()) {
            LeaderboardRow r = p.row();
            out.println("  " + labels.get(ResultKey.of(r)) + " vs " + BASELINE
                    + ", " + r.dataset() + " " + r.backbone() + " " + r.protocol() + " n=" + r.nLabels() + ": "
                    + verdictText(p.fin())
                    + (p.max() == null ? "" : "; test-selected (optimistic) " + verdictText(p.max()))
                    + notes(p, judged.pairings().stream().filter(o -> o.row() == r).count() > 1));
        }
    }
}
