package org.sslbench.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.LrSchedule;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Tensors;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Params;
import org.sslbench.method.StepBatch;
import org.sslbench.spec.TrainSpec;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Runs one pretext phase: builds encoder + the method's objective in a fresh graph, trains it on
 * the unlabeled pool with the spec's optimizer/schedule/augmentation and returns the encoder's
 * weights (BatchNorm statistics included) with the per-epoch log.
 */
public final class PretextTrainer {
    /** Scope of the encoder's variables; downstream graphs use the same so checkpoints line up. */
    public static final String ENCODER_SCOPE = "encoder";

    /**
     * What a pretext phase produced.
     *
     * @param monitor    the monitor's measurement after the last epoch trained (null without a monitor)
     * @param stopReason why {@code monitor_stop} ended the run early (then {@code epochs} ends there), else null
     */
    public record Result(Map<String, float[]> encoderWeights, List<EpochLog> epochs, double seconds,
                         double imagesPerSecond, PretextMonitor.Measurement monitor, String stopReason) {
        public Result(Map<String, float[]> encoderWeights, List<EpochLog> epochs, double seconds, double imagesPerSecond) {
            this(encoderWeights, epochs, seconds, imagesPerSecond, null, null);
        }

        public double finalLoss() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).loss();
        }

        public double finalCollapseStd() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).collapseStd();
        }
    }

    private final PrintStream log;
    private final boolean quiet;

    public PretextTrainer(PrintStream log, boolean quiet) {
        this.log = log;
        this.quiet = quiet;
    }

    public Result train(Method method, Params params, Backbone backbone, TrainSpec spec, Batches batches, long seed) {
        return train(method, params, backbone, spec, batches, seed, null);
    }

    /**
     * As above, measuring the encoder with {@code monitor} (null = none) after every epoch its spec
     * names and after the last one; the session runs in {@code spec.precision()}, which the caller
     * passes as an effective one ({@link org.sslbench.engine.Precision#effective}; BenchRunner does);
     * with {@code monitor_stop} a measurement that shows collapse ends the run early ({@link Result#stopReason()}), one whose features are not finite throws.
     *
     * @throws DivergedException when the loss, or with {@code monitor_stop} the monitor's features, become NaN or infinite
     */
    public Result train(Method method, Params params, Backbone backbone, TrainSpec spec, Batches batches, long seed,
                        PretextMonitor monitor) {
        long start = System.nanoTime();
        int views = method.views(params);
        ImageShape shape = batches.shape();
        int batch = batchSize(spec, batches.images().size());
        int stepsPerEpoch = batches.images().size() / batch; // the last partial batch is dropped
        Augmenter[] augmenters = Augmenter.perView(spec, views);
        // Multi-crop: each view has its pipeline's size (local crops smaller than the image).
        ImageShape[] viewShapes = Augmenter.viewShapes(augmenters, shape);
        try (Net net = new Net()) {
            TrainingContext ctx = new TrainingContext(net, backbone, shape, params, viewShapes, batch, stepsPerEpoch, spec.epochs(),
                    seed, spec.bnMomentumValue());
            Objective objective = method.build(ctx);
            Ops tf = net.tf();
            List<Net.Var> trainables = net.vars(v -> v.role().trainable && !ctx.isFrozen(v.name()));
            Operand<TFloat32> embedding = objective.embedding() != null ? objective.embedding()
                    : views > 0 ? ctx.encoder().apply(ctx.view(0), false) : null;
            List<Operand<?>> reads = new ArrayList<>(objective.metrics().values());
            if (embedding != null) {
                reads.add(embedding);
            }
            Optimizer optimizer = new Optimizer(net, spec.optimizer(), objective.loss(), trainables, "pretext_opt", reads,
                    spec.precision());
            List<Op> after = objective.afterStep(tf.withControlDependencies(optimizer.updates()));
            List<String> metricNames = new ArrayList<>(objective.metrics().keySet());
            LrSchedule schedule = new LrSchedule(spec.schedule(), spec.optimizer().lr(), spec.epochs());
            List<EpochLog> epochs = new ArrayList<>();
            long trainNanos = 0;
            long trainImages = 0;
            try (Session session = org.sslbench.engine.Sessions.open(net.graph(), spec.precision());
                 Progress progress = Progress.start(method.name() + " pretext", (long) stepsPerEpoch * spec.epochs(),
                         spec.epochs(), log, quiet);
                 Prefetcher prefetch = new Prefetcher(batches, augmenters, views, batch, stepsPerEpoch, spec.epochs())) {
                net.initialize(session, seed);
                ctx.copyInitialWeights(session);
                long step = 0;
                String stopReason = null;
                for (int epoch = 0; epoch < spec.epochs(); epoch++) {
                    long waitNanos = 0;
                    double lossSum = 0;
                    double[] metricSums = new double[metricNames.size()];
                    double collapse = Double.NaN;
                    double rank = Double.NaN;
                    long epochNanos = 0;
                    double lr = 0;
                    for (int s = 0; s < stepsPerEpoch; s++, step++) {
                        long t0 = System.nanoTime();
                        Prefetcher.Ready ready = prefetch.next();
                        waitNanos += ready.waitNanos();
                        float[][] viewData = ready.views();
                        SplittableRandom rng = ready.random();
                        lr = schedule.at(epoch + (double) s / stepsPerEpoch);
                        boolean lastOfEpoch = s == stepsPerEpoch - 1;
                        List<Tensor> open = new ArrayList<>();
                        Session.Runner runner = session.runner();
                        try {
                            for (int v = 0; v < views; v++) {
                                if (ctx.viewInput(v) != null) {
                                    ImageShape vs = viewShapes[v];
                                    TFloat32 t = Tensors.floats(viewData[v], batch, vs.height(), vs.width(), vs.channels());
                                    open.add(t);
                                    runner.feed(ctx.viewInput(v), t);
                                }
                            }
                            TFloat32 p = TFloat32.scalarOf((float) step / Math.max(1, (long) stepsPerEpoch * spec.epochs()));
                            open.add(p);
                            runner.feed(ctx.progressInput(), p);
                            objective.feed(new Step(batch, shape, viewShapes, viewData, rng, step), TrainingContext.feedsInto(runner, open));
                            open.addAll(optimizer.feed(runner, step + 1, lr));
                            net.updateOps().forEach(runner::addTarget);
                            after.forEach(runner::addTarget);
                            runner.fetch(objective.loss());
                            for (String m : metricNames) {
                                runner.fetch(objective.metrics().get(m));
                            }
                            if (lastOfEpoch && embedding != null) {
                                runner.fetch(embedding);
                            }
                            // On a GPU build the first step also reports ops the method's own loss
                            // left on the CPU (silent on a CPU-only run); every later step runs plainly.
                            try (var result = step == 0 && org.sslbench.engine.Devices.isGpuBuild()
                                    ? org.sslbench.engine.Devices.runCheckingPlacement(runner,
                                            method.name() + " pretext step", log, true)
                                    : runner.run()) {
                                float loss = ((TFloat32) result.get(0)).getFloat();
                                if (!Float.isFinite(loss)) {
                                    throw new DivergedException("pretext", epoch, step, loss);
                                }
                                lossSum += loss;
                                for (int m = 0; m < metricNames.size(); m++) {
                                    metricSums[m] += ((TFloat32) result.get(1 + m)).getFloat();
                                }
                                if (lastOfEpoch && embedding != null) {
                                    TFloat32 emb = (TFloat32) result.get(1 + metricNames.size());
                                    float[] z = Tensors.toFloats(emb);
                                    int rows = (int) emb.shape().get(0);
                                    int cols = (int) emb.shape().get(1);
                                    collapse = Collapse.normalizedStd(z, rows, cols);
                                    rank = RankMe.of(z, rows, cols);
                                }
                            }
                        } finally {
                            open.forEach(Tensor::close);
                        }
                        long dt = System.nanoTime() - t0;
                        epochNanos += dt;
                        trainNanos += dt;
                        trainImages += batch;
                        progress.step(epoch, lossSum / (s + 1), batch * 1e9 * (s + 1) / Math.max(1, epochNanos));
                    }
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    for (int m = 0; m < metricNames.size(); m++) {
                        metrics.put(metricNames.get(m), metricSums[m] / stepsPerEpoch);
                    }
                    EpochLog e = new EpochLog(epoch, lossSum / stepsPerEpoch, metrics, lr, (double) waitNanos / Math.max(1, epochNanos),
                            (double) batch * stepsPerEpoch * 1e9 / Math.max(1, epochNanos), collapse, rank);
                    PretextMonitor.Measurement measured = null;
                    if (monitor != null && monitor.spec().measures(epoch, spec.epochs())) {
                        // Reads the variables only: the training graph, session and RNG streams are untouched.
                        measured = monitor.measure(epoch, net.read(session, Net.under(ENCODER_SCOPE)));
                        e = e.withMonitor(measured);
                    }
                    epochs.add(e);
                    progress.epoch(e);
                    if (measured != null && monitor.spec().stop() && epoch < spec.epochs() - 1) {
                        stopReason = monitor.stopReason();
                        if (stopReason != null && measured.diverged()) {
                            throw new DivergedException(stopReason, epoch);
                        }
                        if (stopReason != null) {
                            if (log != null) {
                                log.println("  " + stopReason);
                            }
                            break;
                        }
                    }
                }
                Map<String, float[]> weights = net.read(session, Net.under(ENCODER_SCOPE));
                PretextMonitor.Measurement last = monitor == null || monitor.history().isEmpty() ? null
                        : monitor.history().get(monitor.history().size() - 1);
                return new Result(weights, epochs, (System.nanoTime() - start) / 1e9,
                        trainImages * 1e9 / Math.max(1, trainNanos), last, stopReason);
            }
        }
    }

    /** Images per step: the spec's batch size, or the whole pool when it is smaller. */
    static int batchSize(TrainSpec spec, int poolSize) {
        return Math.min(spec.batchSize(), poolSize);
    }

    private record Step(int size, ImageShape shape, ImageShape[] viewShapes, float[][] views, SplittableRandom random, long step)
            implements StepBatch {
        @Override
        public float[] view(int v) {
            return views[v];
        }

        @Override
        public ImageShape viewShape(int v) {
            return viewShapes[v];
        }
    }
}
