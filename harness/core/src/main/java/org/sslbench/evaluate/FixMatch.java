package org.sslbench.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.LrSchedule;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Tensors;
import org.sslbench.losses.FixMatchLoss;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Augmenter;
import org.sslbench.train.Batches;
import org.sslbench.train.DivergedException;
import org.sslbench.train.PretextTrainer;
import org.sslbench.train.Progress;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * FixMatch as a downstream protocol (Sohn et al., "FixMatch: Simplifying Semi-Supervised Learning
 * with Consistency and Confidence", NeurIPS 2020): the cell's encoder (its pretext weights, or
 * random for the {@code supervised} from-scratch row) plus a new linear head, trained on the
 * labelled subset and the unlabeled pool with {@link FixMatchLoss} (eqs. 2–4). Each step takes B
 * labelled images (weak augmentation) and μ·B unlabeled images, each in a weak and a strong view;
 * the three go through the network as one batch, as google-research/fixmatch fixmatch.py@3ae68002
 * does, so BatchNorm sees all of them.
 *
 * <p><b>Epoch</b>: one pass over the unlabeled pool, ⌈pool / (μ·B)⌉ steps (the last batch wraps
 * to the start of the same shuffled order so every batch has μ·B images). The labelled subset
 * cycles through its own seeded shuffles, B per step, independently of epoch boundaries (FixMatch
 * repeats both streams). B is the block's {@code batch_size}, capped at the labelled images trained on.
 *
 * <p><b>Evaluated model</b>: an exponential moving average of every encoder and head variable,
 * BatchNorm statistics included ({@code ema}, the paper's 0.999; the reference applies
 * {@code tf.train.ExponentialMovingAverage} to the model variables), updated after every step
 * with the decay warmed up as TensorFlow's {@code num_updates} rule ({@link #emaDecay}: min(ema,
 * (1 + t) / (10 + t)), so that short CPU runs do not score a near-random model);
 * it starts as a copy of the initial weights. {@code ema: 0} evaluates the trained weights themselves.
 *
 * <p><b>Selection</b> mirrors {@link FineTune}: {@code labelled} holds out a stratified
 * {@value Holdout#PERCENT} % of the subset, trains on the rest for the block's epochs scoring the
 * held-out part after each, chooses the epoch (best accuracy, then lower loss, then earlier), then
 * restarts from the same initialisation on the whole subset with the same full-length schedule,
 * stops after the chosen epoch and scores the test split once; with fewer than 2 labels in some
 * class it falls back to the fixed epochs. {@code fixed} trains the block's epochs and scores the
 * test split after the last (and every {@code eval_every}).
 *
 * <p><b>Defaults</b> (the paper's, for a block that sets none): SGD with Nesterov momentum 0.9,
 * lr 0.03, weight decay 5e-4 (kernels only, as the reference's {@code l2_loss} on kernels),
 * schedule {@code fixmatch_cosine} (lr·cos(7πk/16K)); weak augmentation flip + shift 0.125,
 * strong = weak + {@code randaugment: 2, cutout: 0.5}. All from fixmatch.py@3ae68002 (flags
 * {@code lr 0.03, wd 0.0005, wu 1, confidence 0.95, uratio 7, batch 64}, Nesterov momentum 0.9,
 * EMA 0.999). Published target for scale: 94.93 % on CIFAR-10 with 250 labels (WRN-28-2,
 * 2^20 steps of batch 64 + 448 unlabeled: {@code train_kimg 1 << 16}).
 *
 * <p>The spec plumbing (protocol params, the unlabeled pool in {@link EvalRequest}) is wired
 * separately: {@link #run} is the whole protocol and takes everything explicitly.
 */
public final class FixMatch implements Protocol {
    /** The protocol's name in specs and results. */
    public static final String NAME = "fixmatch";

    /** Weak augmentation: random horizontal flip and a translation of up to 12.5 % (4 px on 32), the paper's §2.3. */
    public static final Map<String, Object> WEAK_AUGMENT = Map.of("hflip", true, "shift", 0.125);

    /** What the strong view adds to the weak pipeline: 2 RandAugment ops, then Cutout of up to half the side. */
    public static final Map<String, Object> STRONG_EXTRA = Map.of("randaugment", 2, "cutout", 0.5);
    /** {@link #STRONG_EXTRA} as the docs write it. */
    public static final String STRONG_EXTRA_TEXT = "randaugment: 2, cutout: 0.5";

    /** SGD, Nesterov momentum 0.9, lr 0.03, weight decay 5e-4 (fixmatch.py@3ae68002). */
    public static final OptimizerSpec PAPER_OPTIMIZER = new OptimizerSpec("sgd", 0.03, 0.9, 5e-4, true);

    /** lr·cos(7πk/16K) (fixmatch.py@3ae68002; {@link LrSchedule}). */
    public static final ScheduleSpec PAPER_SCHEDULE = new ScheduleSpec("fixmatch_cosine", 0, List.of(), List.of());

    /** The protocol's own settings, next to the block's training keys. */
    public static final List<Param> PARAMS = List.of(
            Param.of("threshold", 0.95, "confidence threshold τ: an unlabeled image's pseudo-label counts only when"
                    + " the weak view's largest softmax probability is at least τ (FixMatch eq. 4; paper 0.95)").between(0, 1),
            Param.of("mu", 7, "unlabeled images per labelled image in a step, μ (paper 7: batch 64 labelled + 448"
                    + " unlabeled)").atLeast(1).atMost(64),
            Param.of("lambda_u", 1.0, "weight λ_u of the unlabeled loss (FixMatch eq. 4 and §3; paper 1)").atLeast(0)
                    .atMost(100),
            Param.of("ema", 0.999, "decay of the exponential moving average of the weights that is evaluated"
                    + " (paper 0.999); 0 evaluates the trained weights").range(
                    new org.sslbench.method.ParamRange(0, false, 1, true)));

    /**
     * FixMatch's settings.
     *
     * @param threshold confidence threshold τ in [0, 1]
     * @param mu        unlabeled ratio μ ≥ 1
     * @param lambdaU   unlabeled loss weight λ_u ≥ 0
     * @param ema       EMA decay of the evaluated weights in [0, 1)
     */
    public record Settings(double threshold, int mu, double lambdaU, double ema) {
        /** The paper's: τ 0.95, μ 7, λ_u 1, EMA 0.999. */
        public static final Settings PAPER = new Settings(0.95, 7, 1.0, 0.999);

        /** @throws IllegalArgumentException for a value outside its {@link #PARAMS} range */
        public Settings {
            check("threshold", threshold);
            check("mu", mu);
            check("lambda_u", lambdaU);
            check("ema", ema);
        }

        private static void check(String name, double v) {
            for (Param p : PARAMS) {
                if (p.name().equals(name) && !p.range().contains(v)) {
                    throw new IllegalArgumentException("fixmatch " + name + " must be " + p.range().describe() + ", got " + v);
                }
            }
        }

        /** From the protocol block's params (defaults filled in for absent ones). */
        public static Settings from(Params p) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Param d : PARAMS) {
                values.put(d.name(), p.asMap().getOrDefault(d.name(), d.defaultValue()));
            }
            Params full = new Params(values);
            return new Settings(full.getDouble("threshold"), full.getInt("mu"), full.getDouble("lambda_u"),
                    full.getDouble("ema"));
        }
    }

    /**
     * The protocol's result with FixMatch's per-epoch monitors (index e = epoch e + 1 of the final run).
     *
     * @param maskRate         mean fraction of unlabeled images whose pseudo-label passed τ
     * @param supervisedLoss   mean ℓ_s
     * @param unsupervisedLoss mean ℓ_u
     */
    public record Result(Outcome outcome, double[] maskRate, double[] supervisedLoss, double[] unsupervisedLoss) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "encoder + new linear head trained with FixMatch on the labelled subset and the unlabeled pool";
    }

    /** The declared settings: {@link #PARAMS}. */
    @Override
    public List<Param> params() {
        return PARAMS;
    }

    @Override
    public boolean trainsEncoder() {
        return true;
    }

    @Override
    public boolean usesUnlabeled() {
        return true;
    }

    /**
     * One cell: {@link #run} with the block's params, training keys and selection, on the cell's
     * encoder weights, labelled subset and the evaluation dataset's unlabeled training split. The
     * last epoch's mask rate (share of unlabeled images whose pseudo-label passed τ, a fraction) is
     * appended to {@link Outcome#selected()} as {@code mask_rate=…}, then the pool's size as
     * {@code unlabeled=N}, so cells.csv shows which pool and how much of it the unlabeled loss used.
     *
     * @throws IllegalArgumentException when the request has no unlabeled pool
     */
    @Override
    public Outcome evaluate(EvalRequest r) {
        long mark = EvalClock.mark();
        return evaluateUnclocked(r).withEvalSeconds(EvalClock.secondsSince(mark));
    }

    /** {@link #evaluate} before its scoring time is attached ({@link Outcome#evalSeconds()}). */
    private Outcome evaluateUnclocked(EvalRequest r) {
        if (r.unlabeled() == null) {
            throw new IllegalArgumentException("fixmatch needs the unlabeled pool (EvalRequest.unlabeled)");
        }
        // The block's training settings in the run's effective precision (the sessions' precision).
        Result res = run(Settings.from(r.spec().params()), r.spec().train().withPrecision(r.precision()),
                r.spec().selectsOnLabels(),
                r.spec().evalEvery(), r.backbone(), r.encoderWeights(), r.labelled(), r.unlabeled(), r.test(),
                r.classes(), r.seed(), r.quiet());
        Outcome o = res.outcome();
        double mask = res.maskRate().length == 0 ? Double.NaN : res.maskRate()[res.maskRate().length - 1];
        String selected = (o.selected().isEmpty() ? "" : o.selected() + ";")
                + String.format(Locale.ROOT, "mask_rate=%.4f;unlabeled=%d", mask, r.unlabeled().images().size());
        return new Outcome(o.testAccuracy(), o.maxTestAccuracy(), o.testLoss(), o.epochs(), o.seconds(),
                o.imagesPerSecond(), o.selection(), selected, o.history());
    }

    /** The strong pipeline: {@code weak} plus {@link #STRONG_EXTRA} (keys {@code weak} sets itself win). */
    public static Map<String, Object> strongAugment(Map<String, Object> weak) {
        Map<String, Object> m = new LinkedHashMap<>(STRONG_EXTRA);
        m.putAll(weak);
        return m;
    }

    /**
     * The whole protocol for one cell.
     *
     * @param train          epochs, batch size B, optimizer, schedule, weak {@code augment} (the
     *                       strong one is {@link #strongAugment} of it), bn_momentum, and the
     *                       precision the sessions run in (already the effective one: {@link EvalRequest#precision})
     * @param selectOnLabels {@code selection: labelled} (else fixed)
     * @param evalEvery      fixed selection: also score the test split every this many epochs (0 = last only)
     * @param weights        encoder variables by name (under {@link PretextTrainer#ENCODER_SCOPE}), or null for random
     * @param labelled       the labelled subset (normalised)
     * @param unlabeled      the unlabeled pool (normalised; labels unused)
     * @param test           the test split
     * @throws DivergedException when a training or evaluation loss is not finite
     */
    public static Result run(Settings settings, TrainSpec train, boolean selectOnLabels, int evalEvery, Backbone backbone,
                             Map<String, float[]> weights, Batches labelled, Batches unlabeled, Batches test, int classes,
                             long seed, boolean quiet) {
        long started = System.nanoTime();
        int[] labels = labelled.images().labels();
        Optional<Holdout> split = selectOnLabels ? Holdout.of(labels, seed) : Optional.empty();
        int[] all = new int[labels.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Augmenter weak = new Augmenter(train.augment());
        Augmenter strong = new Augmenter(strongAugment(train.augment()));
        ClassifierTraining.Source testSource = Sources.test(test);
        if (split.isEmpty()) {
            int b = Math.min(train.batchSize(), all.length);
            try (Model m = new Model(settings, train, backbone, labelled.shape(), classes, b, weights, seed)) {
                Trained t = m.train(settings, train, train.epochs(), all, labelled, unlabeled, weak, strong, seed, quiet,
                        (epoch, last) -> last || (evalEvery > 0 && (epoch + 1) % evalEvery == 0) ? m.score(testSource) : null);
                double best = Double.NEGATIVE_INFINITY;
                int scored = 0;
                for (double[] r : t.scores) {
                    if (r != null) {
                        best = Math.max(best, r[0]);
                        scored++;
                    }
                }
                double[] last = t.scores.get(t.scores.size() - 1);
                String selection = selectOnLabels ? ProtocolSpec.FIXED + " (" + Holdout.tooFew(labels) + ": nothing to hold out)"
                        : ProtocolSpec.FIXED;
                Outcome o = new Outcome(last[0], scored > 1 ? best : Double.NaN, last[1], train.epochs(),
                        (System.nanoTime() - started) / 1e9, t.imagesPerSecond(), selection,
                        selectOnLabels ? "epochs=" + train.epochs() : "", t.history(null));
                return new Result(o, t.maskRate(), t.supervised(), t.unsupervised());
            }
        }
        // Selection on the held-out part of the subset: no test source is read here.
        Holdout h = split.get();
        int bSelect = Math.min(train.batchSize(), h.train().length);
        double[] heldAccuracy = new double[train.epochs()];
        double[] heldLoss = new double[train.epochs()];
        ClassifierTraining.Source heldOut = Sources.images(labelled, new Augmenter(Map.of()), h.heldOut(), seed);
        try (Model m = new Model(settings, train, backbone, labelled.shape(), classes, bSelect, weights, seed)) {
            m.train(settings, train, train.epochs(), h.train(), labelled, unlabeled, weak, strong, seed, quiet, (epoch, last) -> {
                double[] r = m.score(heldOut);
                heldAccuracy[epoch] = r[0];
                heldLoss[epoch] = r[1];
                return null;
            });
        }
        int chosen = ClassifierTraining.choose(heldAccuracy, heldLoss) + 1;
        int b = Math.min(train.batchSize(), all.length);
        try (Model m = new Model(settings, train, backbone, labelled.shape(), classes, b, weights, seed)) {
            Trained t = m.train(settings, train, chosen, all, labelled, unlabeled, weak, strong, seed, quiet,
                    (epoch, last) -> last ? m.score(testSource) : null);
            double[] last = t.scores.get(t.scores.size() - 1);
            Outcome o = new Outcome(last[0], Double.NaN, last[1], chosen, (System.nanoTime() - started) / 1e9,
                    t.imagesPerSecond(), "holdout " + Holdout.PERCENT + "%",
                    String.format(Locale.ROOT, "epochs=%d;holdout_accuracy=%.4f", chosen, heldAccuracy[chosen - 1]),
                    t.history(heldAccuracy));
            return new Result(o, t.maskRate(), t.supervised(), t.unsupervised());
        }
    }

    /** Called after each epoch (0-based; {@code last} for the run's final one); returns {accuracy, loss} or null. */
    private interface EpochEnd {
        double[] after(int epoch, boolean last);
    }

    /** Per-epoch scalars of one training run. */
    private record Trained(List<double[]> scores, double[] loss, double[] supervised, double[] unsupervised,
                           double[] maskRate, double[] lr, double[] imagesPerSecondByEpoch, double imagesPerSecond) {
        /** The Outcome history; {@code heldOut} (selection run's accuracy per epoch of the full schedule) or null. */
        List<Outcome.Epoch> history(double[] heldOut) {
            List<Outcome.Epoch> out = new ArrayList<>();
            int n = heldOut == null ? loss.length : Math.max(loss.length, heldOut.length);
            for (int e = 0; e < n; e++) {
                boolean trained = e < loss.length;
                out.add(new Outcome.Epoch(e + 1, trained ? loss[e] : Double.NaN, trained ? lr[e] : Double.NaN,
                        trained ? imagesPerSecondByEpoch[e] : Double.NaN, heldOut == null ? Double.NaN : heldOut[e]));
            }
            return out;
        }
    }

    /**
     * The EMA decay after {@code step} earlier updates (0-based): min(ema, (1 + step) / (10 + step)),
     * TensorFlow's {@code tf.train.ExponentialMovingAverage} rule with {@code num_updates}. The
     * reference (fixmatch.py@3ae68002) uses a constant 0.999 over 2^20 steps; a CPU-sized run has a
     * few hundred steps, over which a constant 0.999 would keep the evaluated model within a few
     * per cent of its random initialisation (chance accuracy). The two agree from step 8,991 on.
     */
    static double emaDecay(double ema, long step) {
        return Math.min(ema, (1.0 + step) / (10.0 + step));
    }

    /** The training graph (online encoder + head, FixMatch loss, optimizer, EMA) and its eval branch. */
    private static final class Model implements AutoCloseable {
        static final String HEAD = "head";
        static final String EMA = "ema";

        final Net net = new Net();
        final int labelledBatch;
        final int unlabeledBatch;
        final ImageShape shape;
        final Placeholder<TFloat32> xl;
        final Placeholder<TFloat32> xw;
        final Placeholder<TFloat32> xs;
        final Placeholder<TInt32> y;
        final Placeholder<TFloat32> x;
        final FixMatchLoss.Terms terms;
        final Optimizer optimizer;
        final List<Op> emaUpdates = new ArrayList<>();
        /** 1 − the EMA decay of this step ({@link #emaDecay}), fed every step. */
        final Placeholder<TFloat32> emaKeep;
        final double ema;
        final Classifier eval;
        final Session session;
        final Map<String, float[]> weights;
        final long seed;

        Model(Settings s, TrainSpec train, Backbone backbone, ImageShape shape, int classes, int batch,
              Map<String, float[]> weights, long seed) {
            this.shape = shape;
            this.labelledBatch = batch;
            this.unlabeledBatch = s.mu() * batch;
            this.weights = weights;
            this.seed = seed;
            Layers layers = new Layers(net, train.bnMomentumValue());
            Ops tf = net.tf();
            xl = tf.withName("labelled").placeholder(TFloat32.class, Placeholder.shape(imageShape(batch)));
            xw = tf.withName("unlabeled_weak").placeholder(TFloat32.class, Placeholder.shape(imageShape(unlabeledBatch)));
            xs = tf.withName("unlabeled_strong").placeholder(TFloat32.class, Placeholder.shape(imageShape(unlabeledBatch)));
            y = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(batch)));
            x = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(imageShape(-1)));
            Encoder encoder = backbone.create(layers, PretextTrainer.ENCODER_SCOPE, shape);
            // One batch through the network (BatchNorm over all three parts, as the reference).
            Operand<TFloat32> joined = tf.concat(List.of(xl, xw, xs), tf.constant(0));
            Classifier online = Classifier.build(layers, HEAD, encoder.apply(joined, true), encoder.featureDim(), classes);
            int total = batch + 2 * unlabeledBatch;
            Operand<TFloat32> logits = online.logits();
            terms = FixMatchLoss.build(tf, rows(tf, logits, 0, batch, total),
                    tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f)),
                    rows(tf, logits, batch, unlabeledBatch, total), rows(tf, logits, batch + unlabeledBatch, unlabeledBatch, total),
                    s.threshold(), s.lambdaU());
            List<Net.Var> trainables = net.vars(Net.trainable().and(Net.under(PretextTrainer.ENCODER_SCOPE).or(Net.under(HEAD))));
            optimizer = new Optimizer(net, train.optimizer(), terms.loss(), trainables, "fixmatch_opt",
                    List.of(terms.supervised(), terms.unsupervised(), terms.maskRate()), train.precision());
            // The evaluated model: a twin encoder and head under "ema/", averaged after every update.
            List<Net.Var> model = net.vars(Net.under(PretextTrainer.ENCODER_SCOPE).or(Net.under(HEAD)));
            Encoder emaEncoder = backbone.create(layers, EMA + "/" + PretextTrainer.ENCODER_SCOPE, shape);
            eval = Classifier.build(layers, EMA + "/" + HEAD, emaEncoder.apply(x, false), emaEncoder.featureDim(), classes);
            Ops after = tf.withControlDependencies(optimizer.updates());
            ema = s.ema();
            emaKeep = tf.withName("ema_keep").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Operand<TFloat32> keep = emaKeep;
            for (Net.Var v : model) {
                Net.Var twin = net.var(EMA + "/" + v.name());
                emaUpdates.add(after.assignSub(twin.variable(),
                        after.math.mul(keep, after.math.sub(twin.variable(), v.variable()))));
            }
            session = org.sslbench.engine.Sessions.open(net.graph(), train.precision());
        }

        private Shape imageShape(long rows) {
            return Shape.of(rows, shape.height(), shape.width(), shape.channels());
        }

        /**
         * Rows [from, from + count) of a [total, k] matrix as a product with a constant 0/1 selection
         * matrix (MatMul has a gradient in TF Java; a slice's is not needed then).
         */
        private static Operand<TFloat32> rows(Ops tf, Operand<TFloat32> m, int from, int count, int total) {
            float[][] select = new float[count][total];
            for (int i = 0; i < count; i++) {
                select[i][from + i] = 1f;
            }
            return tf.linalg.matMul(tf.constant(select), m);
        }

        /** Every variable to the cell's start; the EMA twin as a copy of the online weights. */
        void start() {
            net.initialize(session, seed);
            if (weights != null) {
                net.assign(session, weights);
            }
            Map<String, float[]> copy = new LinkedHashMap<>();
            net.read(session, Net.under(PretextTrainer.ENCODER_SCOPE).or(Net.under(HEAD)))
                    .forEach((name, values) -> copy.put(EMA + "/" + name, values));
            net.assign(session, copy);
        }

        /** {accuracy, mean cross-entropy} of the EMA model on {@code source}, unaugmented. */
        double[] score(ClassifierTraining.Source source) {
            return ClassifierTraining.score(session, x, eval, source);
        }

        Trained train(Settings s, TrainSpec train, int epochs, int[] rows, Batches labelled, Batches unlabeled,
                      Augmenter weak, Augmenter strong, long seed, boolean quiet, EpochEnd end) {
            start();
            int pool = unlabeled.images().size();
            if (pool == 0) {
                throw new IllegalArgumentException("fixmatch needs unlabeled images, the pool is empty");
            }
            int stepsPerEpoch = (pool + unlabeledBatch - 1) / unlabeledBatch;
            LrSchedule schedule = new LrSchedule(train.schedule(), train.optimizer().lr(), train.epochs());
            int size = shape.size();
            float[] bl = new float[labelledBatch * size];
            float[] bw = new float[unlabeledBatch * size];
            float[] bs = new float[unlabeledBatch * size];
            int[] li = new int[labelledBatch];
            int[] ui = new int[unlabeledBatch];
            int[][] labelledOrder = {null};
            int[] labelledEpoch = {-1};
            List<double[]> scores = new ArrayList<>();
            double[] loss = new double[epochs];
            double[] sup = new double[epochs];
            double[] unsup = new double[epochs];
            double[] mask = new double[epochs];
            double[] lrs = new double[epochs];
            double[] ips = new double[epochs];
            long nanos = 0;
            long images = 0;
            long step = 0;
            try (Progress progress = Progress.start("fixmatch", (long) stepsPerEpoch * epochs, epochs, null, quiet)) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    int[] order = Batches.permutation(pool, Batches.rng(seed, epoch, -1));
                    long epochNanos = 0;
                    for (int t = 0; t < stepsPerEpoch; t++, step++) {
                        long t0 = System.nanoTime();
                        // The labelled stream: B at a time through seeded shuffles of the rows, cycling.
                        for (int i = 0; i < labelledBatch; i++) {
                            long p = step * labelledBatch + i;
                            int cycle = (int) (p / rows.length);
                            if (cycle != labelledEpoch[0]) {
                                labelledOrder[0] = Batches.permutation(rows.length, Batches.rng(seed ^ 0x1ABE1L, cycle, -1));
                                labelledEpoch[0] = cycle;
                            }
                            li[i] = rows[labelledOrder[0][(int) (p % rows.length)]];
                        }
                        for (int i = 0; i < unlabeledBatch; i++) {
                            ui[i] = order[(t * unlabeledBatch + i) % pool];
                        }
                        SplittableRandom rng = Batches.rng(seed, epoch, step);
                        labelled.fill(li, 0, labelledBatch, bl, weak.isIdentity() ? null : weak, rng);
                        unlabeled.fill(ui, 0, unlabeledBatch, bw, weak.isIdentity() ? null : weak, rng);
                        unlabeled.fill(ui, 0, unlabeledBatch, bs, strong.isIdentity() ? null : strong, rng);
                        double lr = schedule.at(epoch + (double) t / stepsPerEpoch);
                        List<Tensor> open = new ArrayList<>();
                        try {
                            TFloat32 tl = Tensors.floats(bl, new long[] {labelledBatch, shape.height(), shape.width(), shape.channels()});
                            open.add(tl);
                            TFloat32 tw = Tensors.floats(bw, new long[] {unlabeledBatch, shape.height(), shape.width(), shape.channels()});
                            open.add(tw);
                            TFloat32 ts = Tensors.floats(bs, new long[] {unlabeledBatch, shape.height(), shape.width(), shape.channels()});
                            open.add(ts);
                            var ty = Tensors.ints(labelled.labels(li, 0, labelledBatch), labelledBatch);
                            open.add(ty);
                            Session.Runner runner = session.runner().feed(xl, tl).feed(xw, tw).feed(xs, ts).feed(y, ty)
                                    .fetch(terms.loss()).fetch(terms.supervised()).fetch(terms.unsupervised())
                                    .fetch(terms.maskRate());
                            TFloat32 keep = TFloat32.scalarOf((float) (1 - emaDecay(ema, step)));
                            open.add(keep);
                            runner.feed(emaKeep, keep);
                            open.addAll(optimizer.feed(runner, step + 1, lr));
                            net.updateOps().forEach(runner::addTarget);
                            emaUpdates.forEach(runner::addTarget);
                            try (var result = runner.run()) {
                                float l = ((TFloat32) result.get(0)).getFloat();
                                if (!Float.isFinite(l)) {
                                    throw new DivergedException("fixmatch", epoch, step, l);
                                }
                                loss[epoch] += l / stepsPerEpoch;
                                sup[epoch] += ((TFloat32) result.get(1)).getFloat() / stepsPerEpoch;
                                unsup[epoch] += ((TFloat32) result.get(2)).getFloat() / stepsPerEpoch;
                                mask[epoch] += ((TFloat32) result.get(3)).getFloat() / stepsPerEpoch;
                            }
                        } finally {
                            open.forEach(Tensor::close);
                        }
                        long dt = System.nanoTime() - t0;
                        nanos += dt;
                        epochNanos += dt;
                        images += labelledBatch + 2L * unlabeledBatch;
                        lrs[epoch] = lr;
                        progress.step(epoch, loss[epoch] * stepsPerEpoch / (t + 1), images * 1e9 / Math.max(1, nanos));
                    }
                    ips[epoch] = (double) stepsPerEpoch * (labelledBatch + 2L * unlabeledBatch) * 1e9 / Math.max(1, epochNanos);
                    double[] r = end.after(epoch, epoch == epochs - 1);
                    if (r != null && !Double.isFinite(r[1])) {
                        throw new DivergedException("fixmatch evaluation loss became " + r[1] + " after epoch " + (epoch + 1)
                                + " (training diverged; lower the optimizer lr)", epoch);
                    }
                    scores.add(r);
                }
            }
            return new Trained(scores, loss, sup, unsup, mask, lrs, ips, images * 1e9 / Math.max(1, nanos));
        }

        @Override
        public void close() {
            session.close();
            net.close();
        }
    }
}
