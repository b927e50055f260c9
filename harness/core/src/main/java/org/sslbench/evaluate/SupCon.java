package org.sslbench.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.LrSchedule;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Tensors;
import org.sslbench.losses.SupConLoss;
import org.sslbench.method.Head;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
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
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Supervised contrastive learning as a downstream protocol (Khosla et al., "Supervised Contrastive
 * Learning", NeurIPS 2020; reference code HobbitLong/SupContrast main_supcon.py / main_linear.py
 * @2728c677). It needs labels, so it runs on the cell's labelled subset, from the encoder the cell
 * gets: the method's pretext encoder, or a random one for the {@code supervised} row ("SupCon from
 * scratch", compared with SSL + SupCon in the answer exactly as finetune's rows are).
 *
 * <ol>
 *   <li><b>Stage 1</b>: the encoder (training mode, BatchNorm on batch statistics with the block's
 *       {@code bn_momentum}) plus a projector Linear(h) → ReLU → Linear(o) (SupContrast's
 *       {@code SupConResNet} 'mlp' head: h = the encoder's feature width, o = 128) trained with
 *       {@link SupConLoss} (Eq. 2) on two augmentations of each labelled image (the block's
 *       {@code augment}; default SupContrast's crop 0.2–1, flip, colour jitter 0.4/0.4/0.4/0.1 at
 *       p 0.8, grayscale at p 0.2) for the block's {@code epochs} with its optimizer and schedule.
 *       Both views go through the encoder as one batch (as SupContrast's {@code torch.cat}). Batches
 *       of min(batch_size, n) images in a seeded order per epoch, the last partial batch kept.</li>
 *   <li><b>Stage 2</b>: the projector is discarded; the linear probe of {@link LinearProbe} under
 *       {@code selection: labelled} on the frozen stage-1 encoder's features (eval-mode BatchNorm,
 *       no augmentation): L2 logistic regression, λ chosen by stratified k-fold on the labelled
 *       subset ({@link L2Selection}, default grid), refitted on it, the test split scored once.</li>
 * </ol>
 *
 * <p>Why the probe is always the L2-selected logistic regression (the block has no
 * {@code selection} key, and a top-level {@code selection: fixed} does not apply to it): it has
 * no SGD settings to fix, it is the harness's label-only linear evaluation, and stage 1's epochs
 * are fixed either way. SupContrast's main_linear.py instead trains an SGD linear head for 100
 * epochs on augmented images; that would need a second training block per cell.
 * {@link Outcome#selection()} is {@code fixed epochs; probe <k>-fold} and
 * {@link Outcome#selected()} {@code epochs=<E>;l2=<λ>}; {@link Outcome#history()} holds stage 1's
 * per-epoch SupCon loss, learning rate and img/s.
 *
 * <p>Params: {@code temperature} (τ; default 0.1, SupContrast README's CIFAR commands
 * {@code --temp 0.1}; main_supcon.py's default and the paper's is 0.07), {@code proj_hidden_dim}
 * (0 = the encoder's feature width, as SupContrast), {@code proj_output_dim} (128, SupContrast's
 * {@code feat_dim}).
 */
public final class SupCon implements Protocol {
    public static final String NAME = "supcon";
    public static final String TEMPERATURE = "temperature";
    public static final String PROJ_HIDDEN_DIM = "proj_hidden_dim";
    public static final String PROJ_OUTPUT_DIM = "proj_output_dim";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "encoder + projector trained with the supervised contrastive loss (Khosla et al. 2020) on the labelled"
                + " subset, then L2 logistic regression (L2 by k-fold) on its frozen features";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.of(TEMPERATURE, 0.1, "SupCon loss temperature tau (SupContrast's CIFAR commands 0.1; paper 0.07)")
                        .atLeast(Param.MIN_TEMPERATURE),
                Param.of(PROJ_HIDDEN_DIM, 0, "projector hidden width; 0 = the encoder's feature width (SupContrast)")
                        .atLeast(0).atMost(Param.MAX_WIDTH),
                Param.of(PROJ_OUTPUT_DIM, 128, "projector output width, where the loss is computed (SupContrast feat_dim)")
                        .atLeast(1).atMost(Param.MAX_WIDTH));
    }

    @Override
    public boolean trainsEncoder() {
        return true;
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        long mark = EvalClock.mark();
        return evaluateUnclocked(r).withEvalSeconds(EvalClock.secondsSince(mark));
    }

    /** {@link #evaluate} before its scoring time is attached ({@link Outcome#evalSeconds()}). */
    private Outcome evaluateUnclocked(EvalRequest r) {
        long started = System.nanoTime();
        Stage1 stage1 = train(r);
        int n = r.labelled().images().size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        Outcome probe;
        try (EncoderFeatures features = new EncoderFeatures(r.backbone(), stage1.encoder(), r.seed(), r.labelled(), r.test(),
                r.precision())) {
            probe = LinearProbe.logistic(features.pool(all), r.labelled().images().labels(), features::test,
                    r.test().images().labels(), features.dim(), r.classes(), L2Selection.DEFAULT_GRID, r.seed());
        }
        int epochs = r.spec().train().epochs();
        return new Outcome(probe.testAccuracy(), Double.NaN, probe.testLoss(), epochs,
                (System.nanoTime() - started) / 1e9, stage1.imagesPerSecond(), "fixed epochs; probe " + probe.selection(),
                "epochs=" + epochs + ";" + probe.selected(), stage1.history());
    }

    /** Stage 1's result: the trained encoder's variables (with BatchNorm statistics) and its per-epoch scalars. */
    record Stage1(Map<String, float[]> encoder, List<Outcome.Epoch> history, double imagesPerSecond) {
    }

    /** The projector: Linear(hidden) → ReLU → Linear(out), no BatchNorm (SupContrast's 'mlp' head). */
    static Head projector(Params p, int featureDim) {
        int hidden = p.getInt(PROJ_HIDDEN_DIM) == 0 ? featureDim : p.getInt(PROJ_HIDDEN_DIM);
        return Head.of("supcon_projector", new Head.Block(hidden, false, true),
                new Head.Block(p.getInt(PROJ_OUTPUT_DIM), false, false));
    }

    /** Stage 1: encoder + projector trained with the SupCon loss on two views of each labelled image. */
    static Stage1 train(EvalRequest r) {
        ImageShape s = r.labelled().shape();
        TrainSpec spec = r.spec().train();
        Params p = r.spec().params();
        try (Net net = new Net()) {
            Ops tf = net.tf();
            Layers layers = new Layers(net, spec.bnMomentumValue());
            Shape images = Shape.of(-1, s.height(), s.width(), s.channels());
            Placeholder<TFloat32> x1 = tf.withName("view1").placeholder(TFloat32.class, Placeholder.shape(images));
            Placeholder<TFloat32> x2 = tf.withName("view2").placeholder(TFloat32.class, Placeholder.shape(images));
            Placeholder<TInt32> y = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Encoder encoder = r.backbone().create(layers, PretextTrainer.ENCODER_SCOPE, s);
            Operand<TFloat32> h = encoder.apply(tf.concat(List.of(x1, x2), tf.constant(0)), true);
            Operand<TFloat32> z = projector(p, encoder.featureDim()).apply(layers, h, encoder.featureDim(), true);
            Operand<TFloat32> loss = SupConLoss.loss(tf, z, tf.concat(List.of(y, y), tf.constant(0)), p.getDouble(TEMPERATURE));
            Optimizer optimizer = new Optimizer(net, spec.optimizer(), loss, net.vars(Net.trainable()), "supcon_opt", List.of(),
                    r.precision());
            try (Session session = org.sslbench.engine.Sessions.open(net.graph(), r.precision())) {
                net.initialize(session, r.seed());
                if (r.encoderWeights() != null) {
                    net.assign(session, r.encoderWeights());
                }
                double[] rate = new double[1];
                List<Outcome.Epoch> history = loop(r, spec, (views, labels, m, step, lr) -> {
                    List<Tensor> open = new ArrayList<>();
                    try {
                        TFloat32 v1 = Tensors.floatsPrefix(views[0], m, s.height(), s.width(), s.channels());
                        open.add(v1);
                        TFloat32 v2 = Tensors.floatsPrefix(views[1], m, s.height(), s.width(), s.channels());
                        open.add(v2);
                        TInt32 yt = Tensors.ints(labels, m);
                        open.add(yt);
                        Session.Runner runner = session.runner().feed(x1, v1).feed(x2, v2).feed(y, yt).fetch(loss);
                        open.addAll(optimizer.feed(runner, step + 1, lr));
                        net.updateOps().forEach(runner::addTarget);
                        try (var result = runner.run()) {
                            return ((TFloat32) result.get(0)).getFloat();
                        }
                    } finally {
                        open.forEach(Tensor::close);
                    }
                }, rate);
                return new Stage1(net.read(session, Net.under(PretextTrainer.ENCODER_SCOPE)), history, rate[0]);
            }
        }
    }

    /** One optimizer step on two views of m images; returns the batch's loss. */
    private interface Step {
        float run(float[][] views, int[] labels, int m, long step, double lr);
    }

    /**
     * The epoch loop: seeded order per epoch, batches of min(batch_size, n), the last partial batch
     * kept, two independently augmented views per image (one step RNG, view after view).
     *
     * @param imagesPerSecond receives the training images (each counted once, not per view) per second
     */
    private static List<Outcome.Epoch> loop(EvalRequest r, TrainSpec spec, Step step, double[] imagesPerSecond) {
        Batches data = r.labelled();
        int n = data.images().size();
        int batch = Math.min(spec.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        LrSchedule schedule = new LrSchedule(spec.schedule(), spec.optimizer().lr(), spec.epochs());
        Augmenter[] augmenters = {new Augmenter(spec.augmentFor(0)), new Augmenter(spec.augmentFor(1))};
        float[][] views = new float[2][batch * data.shape().size()];
        List<Outcome.Epoch> history = new ArrayList<>();
        long k = 0;
        long nanos = 0;
        long seen = 0;
        try (Progress progress = Progress.start(NAME + " stage 1", (long) stepsPerEpoch * spec.epochs(), spec.epochs(),
                null, r.quiet())) {
            for (int epoch = 0; epoch < spec.epochs(); epoch++) {
                int[] order = data.order(epoch);
                double lossSum = 0;
                double lr = Double.NaN;
                long epochNanos = 0;
                for (int s = 0; s < stepsPerEpoch; s++, k++) {
                    long t0 = System.nanoTime();
                    int from = s * batch;
                    int m = Math.min(batch, n - from);
                    data.fillViews(order, from, m, views, augmenters, data.random(epoch, k));
                    lr = schedule.at(epoch + (double) s / stepsPerEpoch);
                    float loss = step.run(views, data.labels(order, from, m), m, k, lr);
                    if (!Float.isFinite(loss)) {
                        throw new DivergedException(NAME + " stage 1", epoch, k, loss);
                    }
                    lossSum += loss;
                    long dt = System.nanoTime() - t0;
                    nanos += dt;
                    epochNanos += dt;
                    seen += m;
                    progress.step(epoch, lossSum / (s + 1), seen * 1e9 / Math.max(1, nanos));
                }
                history.add(new Outcome.Epoch(epoch + 1, lossSum / stepsPerEpoch, lr,
                        n * 1e9 / Math.max(1, epochNanos), Double.NaN));
            }
        }
        imagesPerSecond[0] = seen * 1e9 / Math.max(1, nanos);
        return history;
    }
}
