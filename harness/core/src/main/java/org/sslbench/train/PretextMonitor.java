package org.sslbench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.sslbench.data.ImageSet;
import org.sslbench.engine.Backbone;
import org.sslbench.evaluate.EncoderFeatures;
import org.sslbench.evaluate.Knn;
import org.sslbench.spec.MonitorSpec;

/**
 * The pretext kNN monitor: a fixed, stratified set of labelled <em>training</em> images (never the
 * test split), split into a bank of {@link MonitorSpec#labelsPerClass()} and a disjoint query set
 * of {@link MonitorSpec#queriesPerClass()} images per class (a class with fewer images is shared
 * between them in that proportion, at least one each when it has two). A
 * measurement reads the encoder's current weights (BatchNorm statistics included) into its own
 * graph, computes eval-mode features of bank and queries and the weighted kNN accuracy of the
 * queries ({@link Knn#accuracy}, k = {@value #K}, T = {@value #TEMPERATURE}, the knn protocol's
 * defaults), and the {@link RankMe} of all monitor features ({@link CollapseRule}).
 *
 * <p>It never touches the training: its own graph and session, its images drawn with its own
 * RNG (seeded from the run's seed, not from the training streams), so a run's weights and losses
 * are the same with the monitor on or off (PretextMonitorTest).
 */
public final class PretextMonitor {
    /** Neighbours of the monitor's kNN vote (the knn protocol's default). */
    public static final int K = 20;
    /** Temperature of the monitor's kNN vote (the knn protocol's default). */
    public static final double TEMPERATURE = 0.07;
    /**
     * Margin of the chance-level test of the early stop, in binomial standard errors: accuracy
     * ≤ 1/classes + 3·√(c(1 − c)/queries), c = 1/classes (about 14 % for 10 classes and 500 queries).
     */
    public static final double CHANCE_MARGIN_SE = 3;
    /** Measurements at chance level in a row before the early stop calls the run collapsed. */
    public static final int CHANCE_MEASUREMENTS = 2;

    /** One measurement; knn and rankMe are NaN when the features were not finite ({@code diverged}). */
    public record Measurement(int epoch, double knn, double rankMe, int rows, int dim, boolean diverged) {
        /** True when the encoder RankMe is under {@link CollapseRule}'s threshold (half of its verdict). */
        public boolean lowRank() {
            return !diverged && CollapseRule.lowRank(rankMe, rows, dim);
        }
    }

    private final MonitorSpec spec;
    private final Backbone backbone;
    private final Normalizer normalizer;
    private final ImageSet images;
    private final int[] labels;
    private final int bank;
    private final int classes;
    private final long seed;
    private final List<Measurement> history = new ArrayList<>();
    private Measurement untrained;
    /** The precision of the monitor's encoder passes: the pretext's effective one ({@link #inPrecision}). */
    private org.sslbench.engine.Precision precision = org.sslbench.engine.Precision.FP32;

    /**
     * @param train   the evaluation dataset's labelled training split (labels required)
     * @param classes number of classes of {@code train}
     */
    /**
     * Measures in {@code effective} (the pretext's effective precision, {@link org.sslbench.engine.Precision#effective}),
     * as the encoder it measures was trained; fp32 until called.
     *
     * @return this
     */
    public PretextMonitor inPrecision(org.sslbench.engine.Precision effective) {
        this.precision = java.util.Objects.requireNonNull(effective, "precision");
        return this;
    }

    public PretextMonitor(MonitorSpec spec, Backbone backbone, ImageSet train, Normalizer normalizer, int classes,
                          long seed) {
        this.spec = spec;
        this.backbone = backbone;
        this.normalizer = normalizer;
        this.classes = classes;
        this.seed = seed;
        int[][] split = select(train.labels(), classes, spec.labelsPerClass(), spec.queriesPerClass(), seed);
        int[] all = new int[split[0].length + split[1].length];
        System.arraycopy(split[0], 0, all, 0, split[0].length);
        System.arraycopy(split[1], 0, all, split[0].length, split[1].length);
        this.images = train.subset(all);
        this.bank = split[0].length;
        this.labels = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            labels[i] = train.label(all[i]);
        }
    }

    /**
     * Bank and query indices into {@code labels}: per class a permutation drawn with the monitor's
     * own RNG, its first {@code bankPerClass} to the bank and the next {@code queriesPerClass} to the
     * queries (disjoint). Each sorted, so the order does not depend on the class order.
     */
    static int[][] select(int[] labels, int classes, int bankPerClass, int queriesPerClass, long seed) {
        // A stream of its own: 0x6d6f6e69746f72 is "monitor", so it never equals a training stream's seed.
        SplittableRandom rng = new SplittableRandom(seed ^ 0x6d6f6e69746f72L);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        List<Integer> b = new ArrayList<>();
        List<Integer> q = new ArrayList<>();
        for (List<Integer> members : byClass) {
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = members.get(i);
                members.set(i, members.get(j));
                members.set(j, t);
            }
            // A class with fewer images than both sizes is shared in their proportion, keeping one of each.
            int size = members.size();
            int nb = size >= bankPerClass + queriesPerClass ? bankPerClass
                    : Math.max(Math.min(1, size), Math.min(size - 1, (int) Math.round((double) size * bankPerClass
                            / (bankPerClass + queriesPerClass))));
            b.addAll(members.subList(0, nb));
            q.addAll(members.subList(nb, Math.min(members.size(), nb + queriesPerClass)));
        }
        return new int[][] {b.stream().mapToInt(Integer::intValue).sorted().toArray(),
                q.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    public MonitorSpec spec() {
        return spec;
    }

    /** Bank images (first rows of the monitor set). */
    public int bankSize() {
        return bank;
    }

    /** Query images. */
    public int querySize() {
        return labels.length - bank;
    }

    /**
     * Measures the encoder with {@code weights} after 0-based {@code epoch} and remembers the result.
     *
     * @param weights the encoder's variables (Net.under(ENCODER_SCOPE)), BatchNorm statistics included
     */
    public Measurement measure(int epoch, Map<String, float[]> weights) {
        Measurement m = features(epoch, weights);
        history.add(m);
        return m;
    }

    /** One measurement of the encoder with {@code weights} (null: randomly initialised by the run's seed). */
    private Measurement features(int epoch, Map<String, float[]> weights) {
        Measurement m;
        Batches batches = new Batches(images, normalizer, seed);
        int[] all = new int[labels.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (EncoderFeatures features = new EncoderFeatures(backbone, weights, seed, batches, batches, precision)) {
            float[] f = features.pool(all);
            int dim = features.dim();
            float[] bankRows = java.util.Arrays.copyOfRange(f, 0, bank * dim);
            float[] queryRows = java.util.Arrays.copyOfRange(f, bank * dim, f.length);
            double knn = querySize() == 0 || bank == 0 ? Double.NaN
                    : Knn.accuracy(bankRows, java.util.Arrays.copyOfRange(labels, 0, bank), queryRows,
                    java.util.Arrays.copyOfRange(labels, bank, labels.length), dim, classes, K, TEMPERATURE);
            m = new Measurement(epoch, knn, RankMe.of(f, labels.length, dim), labels.length, dim, false);
        } catch (DivergedException | IllegalStateException e) { // NaN / infinite features
            m = new Measurement(epoch, Double.NaN, Double.NaN, labels.length, 0, true);
        }
        return m;
    }

    /**
     * The randomly initialised encoder of the run's seed (what the {@code supervised} baseline
     * evaluates) measured on the same images: {@link CollapseRule}'s reference and the report's
     * baseline for the monitor curve. Measured once, on first use (the bench asks after every
     * pretext run), and not part of {@link #history()}.
     */
    public Measurement untrained() {
        if (untrained == null) {
            untrained = features(-1, null);
        }
        return untrained;
    }

    /** True when {@code m} counts as collapsed: low rank and a kNN no better than {@link #untrained()}'s. */
    public boolean collapsed(Measurement m) {
        return m.lowRank() && CollapseRule.collapsed(m.rankMe(), m.rows(), m.dim(), m.knn(), untrained().knn());
    }

    /** The measurements so far, oldest first. */
    public List<Measurement> history() {
        return List.copyOf(history);
    }

    /** The accuracy at or below which a measurement counts as chance level ({@link #CHANCE_MARGIN_SE}). */
    public double chanceBound() {
        double c = 1.0 / classes;
        return c + CHANCE_MARGIN_SE * Math.sqrt(c * (1 - c) / Math.max(1, querySize()));
    }

    /**
     * Why the run should stop now ({@code monitor_stop}), or null: the last measurement's features
     * are not finite (diverged), its encoder RankMe is under {@link CollapseRule}'s threshold, or
     * the last {@value #CHANCE_MEASUREMENTS} kNN accuracies are at chance level.
     */
    public String stopReason() {
        if (history.isEmpty()) {
            return null;
        }
        Measurement last = history.get(history.size() - 1);
        String when = "after epoch " + (last.epoch() + 1);
        if (last.diverged()) {
            return "monitor_stop: encoder features on the monitor images became NaN or infinite " + when;
        }
        if (collapsed(last)) {
            return "monitor_stop " + when + ": " + CollapseRule.detail(last.rankMe(), last.rows(), last.dim(), last.knn(),
                    untrained().knn());
        }
        if (history.size() >= CHANCE_MEASUREMENTS && history.subList(history.size() - CHANCE_MEASUREMENTS, history.size())
                .stream().allMatch(h -> h.knn() <= chanceBound())) {
            return String.format(Locale.ROOT, "monitor_stop %s: collapsed: monitor kNN at chance level (%.1f%% at the"
                    + " last %d measurements, chance %.1f%% + 3 s.e. = %.1f%%); encoder RankMe %.1f", when,
                    100 * last.knn(), CHANCE_MEASUREMENTS, 100.0 / classes, 100 * chanceBound(), last.rankMe());
        }
        return null;
    }
}
