package org.sslbench.results;

import static org.sslbench.results.CsvValues.number;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.sslbench.train.CollapseRule;

/**
 * "Below the random encoder? why": for the frozen protocols (knn, linear), where {@code supervised}
 * is the frozen randomly initialised encoder, every SSL method configuration at the largest label
 * count of its block is either clearly above that encoder (its Δ answer is {@code better}: the 95 %
 * paired t interval lies above 0) or is explained from its pretext runs, in this order:
 *
 * <ol>
 *   <li>{@link Diagnosis#EVERY_SEED}: above the random encoder in every paired seed of every protocol,
 *       but with too few seeds for the interval to exclude 0 (2 seeds: t = 12.7): "add seeds to
 *       confirm", not a failure to explain;</li>
 *   <li>{@link Diagnosis#COLLAPSED}: the pretext collapsed in every seed, or in most of them (cells of
 *       status {@code collapsed}: {@link CollapseRule}'s verdict or the monitor's early stop);</li>
 *   <li>{@link Diagnosis#FAILED}: no ok cell at all (failed or diverged);</li>
 *   <li>{@link Diagnosis#NO_CURVE}: no seed has a kNN monitor curve of ≥ 2 measured epochs
 *       ({@code monitor_every: 0}, one pretext epoch, a log from before the monitor, or no pretext);</li>
 *   <li>{@link Diagnosis#BUDGET}: the monitor curve was still rising when the budget ended in a
 *       majority of the seeds ({@link #trend}: slope over the last half of the measured epochs
 *       &gt; {@value #RISE_SLOPE} point/epoch <em>and</em> the last measurement ≥ {@value #RISE_MARGIN}
 *       point above the best of the first half);</li>
 *   <li>{@link Diagnosis#NOT_EXPLAINED}: a flat or falling curve and no collapse: defaults, budget or
 *       a fault, with the epoch the curve stopped improving at.</li>
 * </ol>
 *
 * <p>The evidence comes from files alone (so {@code make report} regenerates it without
 * TensorFlow): cells.csv (Δ, statuses and collapse details), {@code pretext/<hash>.log.csv}
 * (column {@code monitor_knn} per epoch, loss) and the header of {@code pretext/<hash>.ckpt}
 * ({@code monitor_knn_untrained}, {@code monitor_rankme}, {@code monitor_rows}, {@code monitor_dim},
 * {@code pool_images}, {@code epochs_trained}).
 *
 * <p>The monitor's kNN is measured on 50 queries per class (500 for 10 classes): its binomial
 * standard error is about 2 points near 50 %, so one seed's rise of a point or two is noise; the
 * rule asks for a trend over the last half and a margin over the first half, and a majority of seeds.
 */
public final class BelowRandom {
    /** File name of the CSV beside report.md. */
    public static final String FILE_NAME = "below-random.csv";
    /** Least-squares slope over the last half of the monitor curve above which it is still rising, points/epoch. */
    public static final double RISE_SLOPE = 0.5;
    /** How far the last measurement must be above the best of the first half, points. */
    public static final double RISE_MARGIN = 1.0;

    /** Why a method is (or is not) below the random encoder; {@link #csv} is the CSV's {@code diagnosis}. */
    public enum Diagnosis {
        ABOVE("above"), EVERY_SEED("above in every seed"), COLLAPSED("collapsed"), FAILED("failed"), NO_CURVE("no curve"),
        BUDGET("budget too small"), NOT_EXPLAINED("not explained");

        private final String csv;

        Diagnosis(String csv) {
            this.csv = csv;
        }

        public String csv() {
            return csv;
        }
    }

    /**
     * The shape of one monitor curve.
     *
     * @param slope         least-squares slope over the last {@code lastHalf} measurements, points/epoch
     * @param firstHalfBest best accuracy before the last half (the first measurement when the last half is all), points
     * @param last          the last measurement, points
     * @param best          the best measurement, points
     * @param bestEpoch     1-based epoch of the first best measurement
     * @param lastHalf      measurements the slope is fitted on: max(2, ⌈k/2⌉) of k
     * @param rising        slope &gt; {@link #RISE_SLOPE} and last − firstHalfBest ≥ {@link #RISE_MARGIN}
     */
    public record Trend(double slope, double firstHalfBest, double last, double best, int bestEpoch, int lastHalf,
                        boolean rising) {
    }

    /**
     * One pretext seed's evidence.
     *
     * @param epochs          1-based epochs the monitor measured
     * @param knn             monitor kNN accuracy at those epochs, points
     * @param trend           null with fewer than 2 measurements
     * @param untrainedKnn    the untrained encoder's monitor kNN, points; NaN when not recorded
     * @param pretextEpochs   epochs trained (fewer than the spec's after an early stop)
     * @param poolImages      pretext pool size; -1 when not recorded (checkpoints written before it was)
     * @param rankMe          encoder RankMe on the monitor images after training; NaN when not recorded
     * @param rankThreshold   {@link CollapseRule#threshold}; NaN when not recorded
     * @param collapse        the collapse verdict of its cells (status detail), empty when not collapsed
     */
    public record Curve(int seed, String hash, List<Integer> epochs, List<Double> knn, Trend trend, double untrainedKnn,
                        double lossFirst, double lossLast, int pretextEpochs, long poolImages, double rankMe,
                        double rankThreshold, String collapse) {
        public Curve {
            epochs = List.copyOf(epochs);
            knn = List.copyOf(knn);
        }

        /** Images the pretext saw: epochs × pool; -1 when the pool size is unknown. */
        public long imagesSeen() {
            return poolImages < 0 ? -1 : pretextEpochs * poolImages;
        }
    }

    /**
     * One SSL configuration of a dataset / backbone at the largest label count of each frozen
     * protocol it ran: its Δ rows vs the random encoder, the diagnosis and the curves behind it.
     *
     * @param label     the configuration as the leaderboard names it (method and distinguishing settings)
     * @param deltas    final-epoch Δ rows vs {@code supervised}, one per protocol (and baseline configuration)
     * @param collapsed pretext seeds whose cells are collapsed
     * @param failure   statuses and first detail when no cell is ok, else empty
     */
    public record Finding(String dataset, String backbone, String method, String label,
                          List<SslVersusScratch.Row> deltas, Diagnosis diagnosis, List<Curve> curves, int collapsed,
                          String failure) {
        public Finding {
            deltas = List.copyOf(deltas);
            curves = List.copyOf(curves);
        }

        String title() {
            return dataset + " / " + backbone;
        }
    }

    private BelowRandom() {
    }

    // ---- the rule ----

    /**
     * The monitor curve's trend; null with fewer than 2 measurements.
     *
     * @param epochs 1-based epochs, increasing
     * @param knn    accuracies at those epochs, points
     */
    public static Trend trend(List<Integer> epochs, List<Double> knn) {
        int k = knn.size();
        if (k < 2) {
            return null;
        }
        int half = Math.max(2, (k + 1) / 2);
        double[] x = new double[half];
        double[] y = new double[half];
        for (int i = 0; i < half; i++) {
            x[i] = epochs.get(k - half + i);
            y[i] = knn.get(k - half + i);
        }
        double slope = slope(x, y);
        double firstBest = k - half == 0 ? knn.get(0)
                : knn.subList(0, k - half).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        int bestIndex = 0;
        for (int i = 1; i < k; i++) {
            if (knn.get(i) > knn.get(bestIndex)) {
                bestIndex = i;
            }
        }
        double last = knn.get(k - 1);
        return new Trend(slope, firstBest, last, knn.get(bestIndex), epochs.get(bestIndex), half,
                slope > RISE_SLOPE && last - firstBest >= RISE_MARGIN);
    }

    /** Ordinary least-squares slope of y on x; 0 when every x is equal. */
    static double slope(double[] x, double[] y) {
        double mx = Stats.mean(x);
        double my = Stats.mean(y);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    /** A pretext run's evidence, with the collapse verdict its cells carry ({@code collapse}, empty if none). */
    static Curve curve(PretextRun run, String collapse) {
        List<Integer> epochs = new ArrayList<>();
        List<Double> knn = new ArrayList<>();
        for (PretextLog.Epoch e : run.log().epochs()) {
            if (!Double.isNaN(e.monitorKnn())) {
                epochs.add(e.epoch());
                knn.add(100 * e.monitorKnn());
            }
        }
        List<PretextLog.Epoch> all = run.log().epochs();
        Map<String, String> meta = run.meta();
        double stopped = metaDouble(meta, "epochs_trained");
        int trained = !Double.isNaN(stopped) ? (int) stopped : all.isEmpty() ? run.epochs() : all.size();
        double rank = metaDouble(meta, "monitor_rankme");
        double rows = metaDouble(meta, "monitor_rows");
        double dim = metaDouble(meta, "monitor_dim");
        double threshold = Double.isNaN(rows) || Double.isNaN(dim) ? Double.NaN
                : CollapseRule.threshold((int) rows, (int) dim);
        double pool = metaDouble(meta, "pool_images");
        return new Curve(run.seed(), run.hash(), epochs, knn, trend(epochs, knn), 100 * metaDouble(meta,
                "monitor_knn_untrained"), all.isEmpty() ? Double.NaN : all.get(0).loss(),
                all.isEmpty() ? run.finalLoss() : all.get(all.size() - 1).loss(), trained,
                Double.isNaN(pool) ? -1 : (long) pool, rank, threshold, collapse);
    }

    /** A number of the checkpoint's metadata; NaN when absent or not a number (an old or hand-edited header). */
    private static double metaDouble(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null || v.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The diagnosis of a configuration not clearly above the random encoder (see the class comment
     * for the order); {@link Diagnosis#ABOVE} when {@code above}.
     *
     * @param okCells cells of the configuration with status ok, over its protocols
     */
    static Diagnosis diagnose(boolean above, List<Curve> curves, int collapsed, int okCells) {
        return diagnose(above, false, curves, collapsed, okCells);
    }

    /** @param everySeed every paired seed of every protocol is above the random encoder (and there is one) */
    static Diagnosis diagnose(boolean above, boolean everySeed, List<Curve> curves, int collapsed, int okCells) {
        if (above) {
            return Diagnosis.ABOVE;
        }
        if (everySeed && !(collapsed > 0 && 2 * collapsed > curves.size())) {
            return Diagnosis.EVERY_SEED;
        }
        if (collapsed > 0 && (okCells == 0 || 2 * collapsed > curves.size())) {
            return Diagnosis.COLLAPSED;
        }
        if (okCells == 0) {
            return Diagnosis.FAILED;
        }
        List<Curve> judged = curves.stream().filter(c -> c.collapse().isEmpty() && c.trend() != null).toList();
        if (judged.isEmpty()) {
            return Diagnosis.NO_CURVE;
        }
        long rising = judged.stream().filter(c -> c.trend().rising()).count();
        return 2 * rising > judged.size() ? Diagnosis.BUDGET : Diagnosis.NOT_EXPLAINED;
    }

    // ---- from the run's files ----

    /**
     * Every SSL configuration of the current spec, per dataset / backbone, at the largest label
     * count of each frozen protocol block that has a comparable {@code supervised} row; in board
     * order. The raw-pixels floor and fine-tuning are not judged (fine-tuning's {@code supervised}
     * trains its encoder).
     */
    public static List<Finding> findings(List<CellResult> cells, Leaderboard board, List<PretextRun> pretext) {
        SslVersusScratch.Judged judged = SslVersusScratch.judge(cells, board);
        Map<ResultKey, List<SslVersusScratch.Pairing>> pairings = new LinkedHashMap<>();
        judged.pairings().forEach(p -> pairings.computeIfAbsent(ResultKey.of(p.row()), k -> new ArrayList<>()).add(p));
        Map<ResultKey, List<CellResult>> byKey = Leaderboard.groups(cells, new ArrayList<>());
        Map<String, PretextRun> runs = new LinkedHashMap<>();
        pretext.forEach(r -> runs.put(r.hash(), r));

        // one group per dataset, backbone, method and pretext runs: the knn and linear rows of one pretext
        record Group(String dataset, String backbone, String method, Set<String> hashes) {
        }
        Map<Group, String> labels = new LinkedHashMap<>();
        Map<Group, List<SslVersusScratch.Row>> deltas = new LinkedHashMap<>();
        Map<Group, List<CellResult>> groupCells = new LinkedHashMap<>();
        Map<Group, Boolean> everySeedAbove = new LinkedHashMap<>();
        ResultTable.blocks(board).forEach((block, rows) -> {
            // finetune, supcon, fixmatch: their supervised row trains its encoder, not a random-encoder comparison
            if (org.sslbench.evaluate.Protocols.trainsEncoder(block.protocol())) {
                return;
            }
            List<String> names = ResultTable.lineLabels(rows);
            List<LeaderboardRow> judgedRows = rows.stream().filter(r -> !r.isOld() && pairings.containsKey(ResultKey.of(r)))
                    .toList();
            int largest = judgedRows.stream().mapToInt(LeaderboardRow::nLabels).max().orElse(-1);
            for (int i = 0; i < rows.size(); i++) {
                LeaderboardRow r = rows.get(i);
                if (r.nLabels() != largest || !judgedRows.contains(r)) {
                    continue;
                }
                List<CellResult> own = byKey.getOrDefault(ResultKey.of(r), List.of());
                Set<String> hashes = own.stream().filter(c -> c.pretextEpochs() > 0 && !c.pretextHash().isEmpty())
                        .map(CellResult::pretextHash).collect(Collectors.toCollection(TreeSet::new));
                Group g = new Group(r.dataset(), r.backbone(), r.method(), hashes);
                labels.putIfAbsent(g, names.get(i));
                pairings.get(ResultKey.of(r)).forEach(p -> deltas.computeIfAbsent(g, k -> new ArrayList<>()).add(p.fin()));
                for (SslVersusScratch.Pairing p : pairings.get(ResultKey.of(r))) {
                    boolean all = abovePerSeed(byKey.getOrDefault(ResultKey.of(p.row()), List.of()),
                            byKey.getOrDefault(ResultKey.of(p.baseline()), List.of()));
                    everySeedAbove.merge(g, all, Boolean::logicalAnd);
                }
                groupCells.computeIfAbsent(g, k -> new ArrayList<>()).addAll(own);
            }
        });
        List<Finding> out = new ArrayList<>();
        deltas.forEach((g, rows) -> {
            boolean above = rows.stream().allMatch(r -> Verdict.BETTER.label().equals(r.answer()));
            boolean everySeed = !rows.isEmpty() && everySeedAbove.getOrDefault(g, false);
            List<CellResult> own = groupCells.get(g);
            List<Curve> curves = new ArrayList<>();
            int collapsed = 0;
            for (String hash : g.hashes()) {
                String collapse = own.stream().filter(c -> hash.equals(c.pretextHash()) && c.status() == Status.COLLAPSED)
                        .map(CellResult::statusDetail).findFirst().orElse("");
                collapsed += collapse.isEmpty() ? 0 : 1;
                PretextRun run = runs.get(hash);
                if (run != null) {
                    curves.add(curve(run, collapse));
                }
            }
            int ok = (int) own.stream().filter(c -> c.status() == Status.OK).count();
            String failure = ok > 0 ? "" : own.stream().filter(c -> c.status() != Status.COLLAPSED)
                    .map(c -> c.status().csv() + (c.statusDetail().isEmpty() ? "" : ": " + c.statusDetail()))
                    .findFirst().orElse("");
            curves.sort(java.util.Comparator.comparingInt(Curve::seed).thenComparing(Curve::hash));
            out.add(new Finding(g.dataset(), g.backbone(), g.method(), labels.get(g), rows,
                    diagnose(above, everySeed, curves, collapsed, ok), curves, collapsed, failure));
        });
        return out;
    }

    /**
     * Whether the method's ok cells beat the baseline's in every unit the Δ interval pairs
     * ({@link SslVersusScratch#pairUnits}: seed, fold, same label subset; final test accuracy), with
     * at least one such pair.
     */
    static boolean abovePerSeed(List<CellResult> method, List<CellResult> baseline) {
        List<CellResult[]> pairs = SslVersusScratch.pairUnits(method, baseline).pairs();
        return !pairs.isEmpty() && pairs.stream().allMatch(p -> p[0].testAccuracy() > p[1].testAccuracy());
    }

    // ---- views ----

    /** The explanation of a finding, e.g. {@code budget too small: still improving when the budget ended (…)}. */
    static String explanation(Finding f) {
        return switch (f.diagnosis()) {
            case ABOVE -> "above the random encoder";
            case EVERY_SEED -> "above the random encoder in every seed, but " + seedCount(f) + " too few for the 95 % interval"
                    + " to exclude 0: add seeds to confirm (the Δ interval, not this line, is the verdict)";
            case COLLAPSED -> "collapsed: the pretext collapsed in " + f.collapsed() + " of " + Math.max(f.collapsed(),
                    f.curves().size()) + " seeds (" + f.curves().stream().map(Curve::collapse).filter(s -> !s.isEmpty())
                    .findFirst().orElse("status collapsed") + "); its cells enter no mean, rank or verdict";
            case FAILED -> "failed: no ok cell (" + (f.failure().isEmpty() ? "no cell" : f.failure())
                    + "); see the cells left out";
            case NO_CURVE -> noCurve(f);
            case BUDGET -> "budget too small: still improving when the budget ended (" + budget(f.curves())
                    + "): expect more epochs to help (" + risingCount(f) + ")";
            case NOT_EXPLAINED -> "not explained: defaults, budget or a fault: the curve stopped improving at "
                    + stopped(f.curves()) + "; check the method's preset (`make list`) and the views (`make views`)"
                    + (f.collapsed() > 0 ? "; collapsed in " + f.collapsed() + " seed" + (f.collapsed() == 1 ? "" : "s")
                    + " (left out of Δ)" : "");
        };
    }

    private static String seedCount(Finding f) {
        int n = f.deltas().stream().mapToInt(SslVersusScratch.Row::nPairs).max().orElse(0);
        return n + (n == 1 ? " seed is" : " seeds are");
    }

    private static String noCurve(Finding f) {
        if (f.curves().isEmpty()) {
            return "no curve: no pretext run of its own recorded (imported or untrained weights, or no"
                    + " pretext log), so there is no curve to tell budget from defaults";
        }
        boolean oneEpoch = f.curves().stream().allMatch(c -> c.pretextEpochs() <= 1);
        return oneEpoch ? "no curve: 1 pretext epoch (one monitor point), so there is no curve to tell budget from defaults:"
                + " raise the pretext `epochs` (1 epoch is likely too small a budget)"
                : "no curve (monitor off): the kNN monitor measured fewer than 2 pretext epochs (`monitor_every: 0`, or a log"
                + " from before the monitor), so there is no curve to tell budget from defaults: set `monitor_every: 1`"
                + " (the default) in the pretext block and delete `pretext/<hash>.ckpt` of "
                + String.join(", ", f.curves().stream().map(Curve::hash).toList())
                + " to rerun it (monitor settings do not enter the pretext hash, so the checkpoint would be reused)";
    }

    /** {@code 4 epochs × 10,000 images = 40,000 images seen}, per distinct budget of the curves. */
    static String budget(List<Curve> curves) {
        Set<String> parts = new LinkedHashSet<>();
        for (Curve c : curves) {
            String epochs = c.pretextEpochs() + (c.pretextEpochs() == 1 ? " epoch" : " epochs");
            parts.add(c.poolImages() < 0 ? epochs + "; pool size not recorded"
                    : String.format(Locale.ROOT, "%s × %,d images = %,d images seen", epochs, c.poolImages(),
                    c.imagesSeen()));
        }
        return String.join("; ", parts);
    }

    private static String risingCount(Finding f) {
        List<Curve> judged = f.curves().stream().filter(c -> c.collapse().isEmpty() && c.trend() != null).toList();
        long rising = judged.stream().filter(c -> c.trend().rising()).count();
        return rising + " of " + judged.size() + " seed" + (judged.size() == 1 ? "" : "s") + " rising";
    }

    /** {@code epoch 2 of 4 (seed 0), epoch 3 of 4 (seed 1)}: where each judged curve peaked. */
    private static String stopped(List<Curve> curves) {
        return String.join(", ", curves.stream().filter(c -> c.trend() != null).map(c -> String.format(Locale.ROOT,
                "epoch %d of %d (seed %d, best monitor kNN %.1f %%, last %.1f %%)", c.trend().bestEpoch(),
                c.pretextEpochs(), c.seed(), c.trend().best(), c.trend().last())).toList());
    }

    /** Δ rows as {@code knn n=1000 Δ −3.20 [−5.10, −1.30] worse (3)}. */
    static String deltas(Finding f) {
        return String.join("; ", f.deltas().stream().map(r -> r.protocol() + " n=" + r.nLabels()
                + (CellResult.FOLD.equals(r.subsetKind()) ? " (folds)" : "") + " Δ " + Answer.sslCell(r)).toList());
    }

    /**
     * One seed's evidence: {@code seed 0 (pretext a1b2c3): monitor kNN 41.2 → 44.0 → 46.1 → 48.3 % (epochs 1–4;
     * untrained encoder 35.0 %), slope over the last 2 measured epochs +2.20 pts/epoch, last − best of the first
     * half +4.2 pts: rising; loss 4.10 → 3.20; 4 epochs × 10,000 images = 40,000 images seen; encoder RankMe 25.3
     * (collapse threshold 6.4)}.
     */
    static String evidence(Curve c) {
        StringBuilder s = new StringBuilder("seed " + c.seed() + " (pretext " + c.hash() + "): ");
        if (c.knn().isEmpty()) {
            s.append("no monitor kNN in its log");
        } else {
            s.append("monitor kNN ").append(String.join(" → ", c.knn().stream()
                    .map(v -> String.format(Locale.ROOT, "%.1f", v)).toList())).append(" % (epoch")
                    .append(c.epochs().size() == 1 ? " " + c.epochs().get(0) : "s " + c.epochs().stream()
                            .map(String::valueOf).collect(Collectors.joining(", ")));
        }
        if (!Double.isNaN(c.untrainedKnn())) {
            s.append(String.format(Locale.ROOT, "; untrained encoder %.1f %%", c.untrainedKnn()));
        } else if (!c.knn().isEmpty()) {
            s.append("; untrained encoder not recorded");
        }
        if (!c.knn().isEmpty()) {
            s.append(')');
        }
        if (c.trend() != null) {
            Trend t = c.trend();
            s.append(String.format(Locale.ROOT, ", slope over the last %d measured epochs %+.2f pts/epoch, last − best"
                    + " of the first half %+.1f pts: %s", t.lastHalf(), t.slope(), t.last() - t.firstHalfBest(),
                    t.rising() ? "rising" : "not rising"));
        }
        if (!Double.isNaN(c.lossFirst()) || !Double.isNaN(c.lossLast())) {
            s.append(String.format(Locale.ROOT, "; loss %.4g → %.4g", c.lossFirst(), c.lossLast()));
        }
        s.append("; ").append(budget(List.of(c)));
        if (!Double.isNaN(c.rankMe())) {
            s.append(String.format(Locale.ROOT, "; encoder RankMe %.1f (collapse threshold %.1f)", c.rankMe(),
                    c.rankThreshold()));
        }
        if (!c.collapse().isEmpty()) {
            s.append("; ").append(c.collapse());
        }
        return s.toString();
    }

    /**
     * The report.md part, per dataset / backbone: which label counts were judged, one line naming
     * the configurations above the random encoder (or saying every one is), then each other one
     * with its Δ, its explanation and one evidence line per seed; empty without a judged finding.
     */
    static String markdown(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "";
        }
        Map<String, List<Finding>> byScope = new TreeMap<>();
        findings.forEach(f -> byScope.computeIfAbsent(f.title(), k -> new ArrayList<>()).add(f));
        StringBuilder md = new StringBuilder();
        byScope.forEach((scope, list) -> {
            md.append("### ").append(scope).append(": below the random encoder? why\n\n");
            md.append("Each SSL method against the frozen random encoder (`").append(SslVersusScratch.BASELINE)
                    .append("` of the frozen protocols) at the largest label count (").append(counts(list))
                    .append("). A method whose Δ interval is not entirely above 0 is explained from its pretext runs:"
                            + " collapsed, budget too small (the kNN monitor still rising: slope over the last half of"
                            + " the measured epochs > " + RISE_SLOPE + " pt/epoch and the last ≥ " + RISE_MARGIN
                            + " pt above the best of the first half, in most seeds), failed, not explained (not rising in most seeds),"
                            + " or no curve; above in every seed when 2 or so seeds are too few for the interval."
                            + " Numbers in `" + FILE_NAME + "`.\n\n");
            List<Finding> above = list.stream().filter(f -> f.diagnosis() == Diagnosis.ABOVE).toList();
            if (above.size() == list.size()) {
                md.append("All SSL methods beat the random encoder at ").append(counts(list)).append(": ")
                        .append(names(above)).append(".\n\n");
                return;
            }
            if (!above.isEmpty()) {
                md.append("- Above the random encoder: ").append(names(above)).append(".\n");
            }
            for (Finding f : list) {
                if (f.diagnosis() == Diagnosis.ABOVE) {
                    continue;
                }
                md.append("- **").append(TextTable.escape(f.label())).append("**: ").append(explanation(f)).append(". ")
                        .append(deltas(f)).append('\n');
                f.curves().forEach(c -> md.append("  - ").append(evidence(c)).append('\n'));
            }
            md.append('\n');
        });
        return md.toString();
    }

    private static String counts(List<Finding> list) {
        Set<String> counts = new LinkedHashSet<>();
        list.forEach(f -> f.deltas().forEach(r -> counts.add(r.protocol() + " n=" + r.nLabels())));
        return String.join(", ", counts);
    }

    private static String names(List<Finding> list) {
        return String.join(", ", list.stream().map(Finding::label).distinct().toList());
    }

    /**
     * The end of {@code bench}: one line per configuration not clearly above the random encoder,
     * and one line per dataset / backbone where every one is; nothing without findings.
     */
    static List<String> consoleLines(List<Finding> findings) {
        List<String> lines = new ArrayList<>();
        Map<String, List<Finding>> byScope = new TreeMap<>();
        findings.forEach(f -> byScope.computeIfAbsent(f.title(), k -> new ArrayList<>()).add(f));
        byScope.forEach((scope, list) -> {
            if (list.stream().allMatch(f -> f.diagnosis() == Diagnosis.ABOVE)) {
                lines.add(scope + ": all SSL methods beat the random encoder at " + counts(list));
                return;
            }
            for (Finding f : list) {
                if (f.diagnosis() != Diagnosis.ABOVE) {
                    lines.add(scope + " " + f.label() + (f.diagnosis() == Diagnosis.EVERY_SEED ? " not yet shown above"
                            : " not above") + " the random encoder (" + deltas(f) + "): " + explanation(f));
                }
            }
        });
        return lines;
    }

    // ---- CSV ----

    /** below-random.csv header, in file order: one row per finding × pretext seed (one row when it has none). */
    public static final List<String> COLUMNS = List.of("dataset", "backbone", "method", "configuration", "deltas",
            "diagnosis", "explanation", "seed", "pretext_hash", "collapse", "monitor_epochs", "monitor_knn",
            "monitor_knn_first", "monitor_knn_best", "best_epoch", "monitor_knn_last", "monitor_knn_untrained",
            "slope_last_half", "last_minus_first_half_best", "rising", "loss_first", "loss_last", "pretext_epochs",
            "pool_images", "images_seen", "rankme", "rankme_threshold");

    static List<List<String>> records(List<Finding> findings) {
        List<List<String>> out = new ArrayList<>();
        for (Finding f : findings) {
            List<String> head = List.of(f.dataset(), f.backbone(), f.method(), f.label(), deltas(f),
                    f.diagnosis().csv(), explanation(f));
            if (f.curves().isEmpty()) {
                List<String> row = new ArrayList<>(head);
                while (row.size() < COLUMNS.size()) {
                    row.add("");
                }
                out.add(row);
            }
            for (Curve c : f.curves()) {
                List<String> row = new ArrayList<>(head);
                Trend t = c.trend();
                row.addAll(List.of(number(c.seed()), c.hash(), c.collapse(),
                        c.epochs().stream().map(String::valueOf).collect(Collectors.joining(";")),
                        c.knn().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining(";")),
                        c.knn().isEmpty() ? "" : fixed(2, c.knn().get(0)), t == null ? "" : fixed(2, t.best()),
                        t == null ? "" : number(t.bestEpoch()),
                        c.knn().isEmpty() ? "" : fixed(2, c.knn().get(c.knn().size() - 1)), fixed(2, c.untrainedKnn()),
                        t == null ? "" : fixed(3, t.slope()), t == null ? "" : fixed(2, t.last() - t.firstHalfBest()),
                        t == null ? "" : Boolean.toString(t.rising()), number(c.lossFirst()), number(c.lossLast()),
                        number(c.pretextEpochs()), c.poolImages() < 0 ? "" : Long.toString(c.poolImages()),
                        c.poolImages() < 0 ? "" : Long.toString(c.imagesSeen()), number(c.rankMe()),
                        fixed(2, c.rankThreshold())));
                out.add(row);
            }
        }
        return out;
    }

    /** Points with {@code decimals} decimals (the monitor's percentages carry float noise otherwise); empty for NaN. */
    private static String fixed(int decimals, double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Writes {@code findings} to {@code file} atomically (a header alone when there are none). */
    public static void write(Path file, List<Finding> findings) throws IOException {
        AtomicFiles.writeString(file, CsvTable.render(COLUMNS, records(findings)));
    }
}
