package org.sslbench.results;

import static org.sslbench.results.CsvValues.number;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * "Which method wins?" at each label count: within one dataset × backbone × protocol × label count
 * × subset kind, the current configurations with ok cells (every method, {@code supervised}
 * included; a configuration not in the current spec does not compete, as on the leaderboard).
 *
 * <p><b>Seeds.</b> Only ok cells count, and only the seeds (for predefined folds: seed × fold
 * units) that every competing configuration has, so each statistic compares the methods on the same
 * label subsets; a configuration missing a seed the others have removes that seed for all of them
 * (the seeds left out are listed).
 *
 * <p><b>Statistics</b> (test accuracy, the final/selected one):
 * <ul>
 *   <li>mean rank: within each seed the configurations are ranked by accuracy (1 = best; ties get
 *       the mean of the ranks they span, Apache Commons Math {@link NaturalRanking}), then averaged over seeds;</li>
 *   <li>win probability: the share of {@value #RESAMPLES} bootstrap resamples of the seeds (drawn
 *       with replacement, the same draw for every configuration, RNG Well19937c seeded
 *       {@value #RNG_SEED}) in which the configuration has the highest mean; a tie shares the win;</li>
 *   <li>pairwise: a paired t-test over the seeds (Commons Math {@link TTest#pairedTTest}) for every
 *       pair, p-values Holm-adjusted over the pairs of the label count; verdict at adjusted p &lt;
 *       {@value #ALPHA}. A pair with the same difference on every seed has no test (no spread).</li>
 * </ul>
 * With one common seed the ranks are that seed's, and no resampling or test is possible.
 */
public final class MethodRanks {
    /** File names of the CSVs beside report.md. */
    public static final String RANKS_FILE = "method-ranks.csv";
    public static final String PAIRWISE_FILE = "pairwise.csv";
    /** Bootstrap resamples of the win probability. */
    public static final int RESAMPLES = 10000;
    /** Seed of the resampling RNG: the same cells always give the same report. */
    public static final long RNG_SEED = 13L;
    /** Family-wise error rate the Holm-adjusted p-values are judged at. */
    public static final double ALPHA = 0.05;

    /** method-ranks.csv header. */
    public static final List<String> RANK_COLUMNS = List.of("dataset", "backbone", "protocol", "n_labels",
            "subset_kind", "method", "config_id", "n_common_seeds", "common_seeds", "mean_test_accuracy", "mean_rank",
            "win_probability", "resamples");
    /** pairwise.csv header. */
    public static final List<String> PAIRWISE_COLUMNS = List.of("dataset", "backbone", "protocol", "n_labels",
            "subset_kind", "method_a", "config_id_a", "method_b", "config_id_b", "n_common_seeds",
            "mean_delta_points", "t", "p", "p_holm", "verdict");

    /** One configuration of a label count: a line of method-ranks.csv (accuracy in percent). */
    public record Ranked(LeaderboardRow row, String label, double meanAccuracy, double meanRank, double winProbability) {
    }

    /**
     * One pair: a line of pairwise.csv.
     *
     * @param meanDeltaPoints mean over seeds of a − b, points
     * @param t               the paired t statistic; NaN without a test
     * @param p               two-sided p-value; NaN without a test
     * @param pHolm           Holm-adjusted p-value; NaN without a test
     * @param verdict         {@code a better}, {@code b better}, {@code no significant difference},
     *                        {@code no spread}, {@code single seed}
     */
    public record Pair(Ranked a, Ranked b, double meanDeltaPoints, double t, double p, double pHolm, String verdict) {
    }

    /**
     * The configurations of one label count.
     *
     * @param units      the common seeds (or seed × fold units), in order
     * @param leftOut    units some configuration has but not all
     * @param ranked     the configurations with their statistics; empty when no unit is common to all
     */
    public record Group(ResultTable.Block block, int nLabels, String subsetKind, List<String> units,
                        List<String> leftOut, List<Ranked> ranked, List<Pair> pairs) {
    }

    private MethodRanks() {
    }

    /**
     * Ranks within one seed: 1 = the highest accuracy; tied values get the mean of the ranks
     * they span (two configurations sharing first place both get 1.5).
     */
    public static double[] ranks(double[] accuracies) {
        double[] negated = Arrays.stream(accuracies).map(v -> -v).toArray();
        return new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(negated);
    }

    /** Mean over seeds of {@link #ranks}: {@code acc[method][seed]}, every method the same seeds. */
    public static double[] meanRanks(double[][] acc) {
        int methods = acc.length;
        int seeds = methods == 0 ? 0 : acc[0].length;
        double[] sum = new double[methods];
        for (int s = 0; s < seeds; s++) {
            double[] column = new double[methods];
            for (int m = 0; m < methods; m++) {
                column[m] = acc[m][s];
            }
            double[] r = ranks(column);
            for (int m = 0; m < methods; m++) {
                sum[m] += r[m];
            }
        }
        return Arrays.stream(sum).map(v -> v / seeds).toArray();
    }

    /**
     * Win probabilities by bootstrap over seeds: {@code resamples} draws of as many seeds as there
     * are, with replacement, the same draw for every method (paired); in each the method(s) with the
     * highest mean win (a tie of k methods gives each 1/k). Deterministic for a given {@code rngSeed}.
     *
     * @param acc {@code acc[method][seed]}, every method the same seeds (at least one)
     * @return per method, in [0, 1], summing to 1
     */
    public static double[] winProbabilities(double[][] acc, int resamples, long rngSeed) {
        int methods = acc.length;
        int seeds = acc[0].length;
        RandomGenerator rng = new Well19937c(rngSeed);
        double[] wins = new double[methods];
        int[] draw = new int[seeds];
        double[] mean = new double[methods];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < seeds; i++) {
                draw[i] = rng.nextInt(seeds);
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < methods; m++) {
                double[] values = new double[seeds];
                for (int i = 0; i < seeds; i++) {
                    values[i] = acc[m][draw[i]];
                }
                mean[m] = Stats.mean(values);
                best = Math.max(best, mean[m]);
            }
            int tied = 0;
            for (int m = 0; m < methods; m++) {
                tied += mean[m] == best ? 1 : 0;
            }
            for (int m = 0; m < methods; m++) {
                if (mean[m] == best) {
                    wins[m] += 1.0 / tied;
                }
            }
        }
        return Arrays.stream(wins).map(w -> w / resamples).toArray();
    }

    /**
     * Holm's step-down adjustment: with the m p-values sorted ascending, the i-th (from 1) becomes
     * max over j ≤ i of min(1, (m − j + 1)·p_(j)). NaN entries (no test) are not in the family and
     * stay NaN.
     */
    public static double[] holm(double[] p) {
        Integer[] order = java.util.stream.IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        int m = order.length;
        double running = 0;
        for (int j = 0; j < m; j++) {
            running = Math.max(running, Math.min(1.0, (m - j) * p[order[j]]));
            out[order[j]] = running;
        }
        return out;
    }

    /** Every label count of {@code board}'s blocks with at least one competing configuration. */
    public static List<Group> groups(List<CellResult> cells, Leaderboard board) {
        Map<ResultKey, List<CellResult>> byKey = Leaderboard.groups(cells, new ArrayList<>());
        List<Group> out = new ArrayList<>();
        ResultTable.blocks(board).forEach((block, rows) -> {
            List<String> labels = ResultTable.lineLabels(rows);
            // Label counts ascending, a stratified subset before predefined folds.
            Map<String, List<Integer>> byCount = new java.util.TreeMap<>();
            for (int i = 0; i < rows.size(); i++) {
                LeaderboardRow r = rows.get(i);
                if (!r.isOld() && r.nSeeds() > 0) {
                    String key = String.format(Locale.ROOT, "%012d|%d", r.nLabels(),
                            CellResult.FOLD.equals(r.subsetKind()) ? 1 : 0);
                    byCount.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                }
            }
            byCount.values().forEach(indices -> out.add(group(block, indices.stream().map(rows::get).toList(),
                    indices.stream().map(labels::get).toList(), byKey)));
        });
        return out;
    }

    private static Group group(ResultTable.Block block, List<LeaderboardRow> rows, List<String> names,
                               Map<ResultKey, List<CellResult>> byKey) {
        List<Map<String, Double>> values = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(Comparator.comparing(MethodRanks::unitOrder));
        for (LeaderboardRow r : rows) {
            Map<String, Double> byUnit = new LinkedHashMap<>();
            Map<String, Integer> count = new LinkedHashMap<>();
            for (CellResult c : byKey.getOrDefault(ResultKey.of(r), List.of())) {
                if (c.status() == Status.OK && !Double.isNaN(c.testAccuracy())) {
                    byUnit.put(unit(c), 100 * c.testAccuracy());
                    count.merge(unit(c), 1, Integer::sum);
                }
            }
            count.forEach((u, k) -> {
                if (k > 1) {
                    byUnit.remove(u); // a unit twice names no one cell
                }
            });
            values.add(byUnit);
            all.addAll(byUnit.keySet());
        }
        List<String> common = all.stream().filter(u -> values.stream().allMatch(v -> v.containsKey(u))).toList();
        List<String> leftOut = all.stream().filter(u -> !common.contains(u)).toList();
        LeaderboardRow first = rows.get(0);
        if (common.isEmpty()) {
            return new Group(block, first.nLabels(), first.subsetKind(), common, leftOut, List.of(), List.of());
        }
        double[][] acc = new double[rows.size()][common.size()];
        for (int m = 0; m < rows.size(); m++) {
            for (int s = 0; s < common.size(); s++) {
                acc[m][s] = values.get(m).get(common.get(s));
            }
        }
        double[] meanRank = meanRanks(acc);
        double[] win = common.size() < 2 ? new double[rows.size()] : winProbabilities(acc, RESAMPLES, RNG_SEED);
        if (common.size() < 2) {
            Arrays.fill(win, Double.NaN);
        }
        List<Ranked> ranked = new ArrayList<>();
        for (int m = 0; m < rows.size(); m++) {
            ranked.add(new Ranked(rows.get(m), names.get(m), Stats.mean(acc[m]), meanRank[m], win[m]));
        }
        List<int[]> pairIdx = new ArrayList<>();
        for (int a = 0; a < rows.size(); a++) {
            for (int b = a + 1; b < rows.size(); b++) {
                pairIdx.add(new int[] {a, b});
            }
        }
        double[] t = new double[pairIdx.size()];
        double[] p = new double[pairIdx.size()];
        double[] delta = new double[pairIdx.size()];
        for (int k = 0; k < pairIdx.size(); k++) {
            double[] x = acc[pairIdx.get(k)[0]];
            double[] y = acc[pairIdx.get(k)[1]];
            double[] d = new double[x.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = x[i] - y[i];
            }
            delta[k] = Stats.mean(d);
            if (d.length < 2 || Stats.sampleStd(d) == 0) {
                t[k] = Double.NaN;
                p[k] = Double.NaN;
            } else {
                TTest test = new TTest();
                t[k] = test.pairedT(x, y);
                p[k] = test.pairedTTest(x, y);
            }
        }
        double[] adjusted = holm(p);
        List<Pair> pairs = new ArrayList<>();
        for (int k = 0; k < pairIdx.size(); k++) {
            Ranked a = ranked.get(pairIdx.get(k)[0]);
            Ranked b = ranked.get(pairIdx.get(k)[1]);
            String verdict = common.size() < 2 ? "single seed"
                    : Double.isNaN(p[k]) ? "no spread"
                    : adjusted[k] < ALPHA ? (delta[k] > 0 ? "a better" : "b better")
                    : "no significant difference";
            pairs.add(new Pair(a, b, delta[k], t[k], p[k], adjusted[k], verdict));
        }
        return new Group(block, first.nLabels(), first.subsetKind(), common, leftOut, ranked, pairs);
    }

    static String unit(CellResult c) {
        return "seed " + c.seed() + (c.fold() < 0 ? "" : " fold " + c.fold());
    }

    // Numeric order of "seed 2" < "seed 10", then folds.
    private static String unitOrder(String unit) {
        StringBuilder sb = new StringBuilder();
        for (String part : unit.split(" ")) {
            sb.append(part.chars().allMatch(Character::isDigit) ? String.format(Locale.ROOT, "%012d",
                    Long.parseLong(part)) : part).append(' ');
        }
        return sb.toString();
    }

    // ---- CSVs ----

    /** Writes method-ranks.csv and pairwise.csv into {@code dir}, each atomically. */
    public static void write(Path dir, List<Group> groups) throws IOException {
        List<List<String>> ranks = new ArrayList<>();
        List<List<String>> pairs = new ArrayList<>();
        for (Group g : groups) {
            String seeds = String.join(";", g.units());
            for (Ranked r : g.ranked()) {
                ranks.add(List.of(g.block().dataset(), g.block().backbone(), g.block().protocol(), number(g.nLabels()),
                        g.subsetKind(), r.row().method(), r.row().configId(), number(g.units().size()), seeds,
                        number(r.meanAccuracy()), number(r.meanRank()), number(r.winProbability()),
                        g.units().size() < 2 ? "0" : number(RESAMPLES)));
            }
            for (Pair p : g.pairs()) {
                pairs.add(List.of(g.block().dataset(), g.block().backbone(), g.block().protocol(), number(g.nLabels()),
                        g.subsetKind(), p.a().row().method(), p.a().row().configId(), p.b().row().method(),
                        p.b().row().configId(), number(g.units().size()), number(p.meanDeltaPoints()), number(p.t()),
                        number(p.p()), number(p.pHolm()), p.verdict()));
            }
        }
        AtomicFiles.writeString(dir.resolve(RANKS_FILE), CsvTable.render(RANK_COLUMNS, ranks));
        AtomicFiles.writeString(dir.resolve(PAIRWISE_FILE), CsvTable.render(PAIRWISE_COLUMNS, pairs));
    }
}
