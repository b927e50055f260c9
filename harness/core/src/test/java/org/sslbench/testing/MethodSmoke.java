package org.sslbench.testing;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.sslbench.data.Dataset;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.data.ImageShape;
import org.sslbench.method.Feeds;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.sslbench.method.Params;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.EpochLog;
import org.sslbench.train.Normalizer;
import org.sslbench.train.PretextTrainer;

/** Runs a method's real pretext loop for a few epochs on a tiny synthetic dataset (method smoke tests). */
public final class MethodSmoke {
    private MethodSmoke() {
    }

    /**
     * @param augment pretext augmentations (e.g. {@code Map.of("crop", 0.5, "hflip", true)})
     * @return the per-epoch log (loss, metrics, collapse monitor)
     */
    public static PretextTrainer.Result run(Method method, Map<String, Object> params, Map<String, Object> augment,
                                            int epochs, int batch, double lr) {
        Dataset ds = FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 16, 2, 3);
        Batches pool = new Batches(ds.unlabeled(), Normalizer.fit("pixel_mean", ds.train()), 0);
        TrainSpec spec = new TrainSpec(epochs, batch, new OptimizerSpec("adam", lr, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), augment);
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        return new PretextTrainer(silent, true).train(method, Params.of(method, params), new SmallCnn(), spec, pool, 0);
    }

    /**
     * As {@link #run(Method, Map, Map, int, int, double)} with one pipeline per view group
     * ({@code augment_views}, e.g. 2 global pipelines and a local one with {@code size} and
     * {@code count}: multi-crop), recording the shape of every view: {@code built} gets
     * {@link org.sslbench.method.PretextContext#viewShape} of each view when the graph is built,
     * {@code fed} the {@link org.sslbench.method.StepBatch#viewShape} of each view of the first
     * step's batch (both [h, w, c] of the 28 × 28 × 1 tiny images or smaller).
     */
    public static PretextTrainer.Result run(Method method, Map<String, Object> params, List<Map<String, Object>> augmentViews,
                                            int epochs, int batch, double lr, List<ImageShape> built, List<ImageShape> fed) {
        Dataset ds = FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 16, 2, 3);
        Batches pool = new Batches(ds.unlabeled(), Normalizer.fit("pixel_mean", ds.train()), 0);
        TrainSpec spec = new TrainSpec(epochs, batch, new OptimizerSpec("adam", lr, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of(), augmentViews);
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        return new PretextTrainer(silent, true).train(new ShapeRecorder(method, built, fed), Params.of(method, params),
                new SmallCnn(), spec, pool, 0);
    }

    /** A method that records its views' shapes and otherwise is {@code inner}. */
    private record ShapeRecorder(Method inner, List<ImageShape> built, List<ImageShape> fed) implements Method {
        @Override public String name() { return inner.name(); }
        @Override public String description() { return inner.description(); }
        @Override public List<org.sslbench.method.Param> params() { return inner.params(); }
        @Override public int views(Params p) { return inner.views(p); }
        @Override public List<Map<String, Object>> augmentations(Params p) { return inner.augmentations(p); }

        @Override
        public Objective build(PretextContext ctx) {
            for (int i = 0; i < inner.views(ctx.params()); i++) {
                built.add(ctx.viewShape(i));
            }
            Objective o = inner.build(ctx);
            return new Objective() {
                @Override public org.tensorflow.Operand<org.tensorflow.types.TFloat32> loss() { return o.loss(); }
                @Override public Map<String, org.tensorflow.Operand<org.tensorflow.types.TFloat32>> metrics() { return o.metrics(); }
                @Override public org.tensorflow.Operand<org.tensorflow.types.TFloat32> embedding() { return o.embedding(); }
                @Override public List<org.tensorflow.op.Op> afterStep(org.tensorflow.op.Ops tf) { return o.afterStep(tf); }

                @Override
                public void feed(StepBatch b, Feeds feeds) {
                    if (fed.isEmpty()) {
                        for (int v = 0; v < inner.views(ctx.params()); v++) {
                            fed.add(b.viewShape(v));
                        }
                    }
                    o.feed(b, feeds);
                }
            };
        }
    }

    /** Mean loss of the first and of the last epoch. */
    public static double[] firstAndLastLoss(PretextTrainer.Result r) {
        List<EpochLog> e = r.epochs();
        return new double[] {e.get(0).loss(), e.get(e.size() - 1).loss()};
    }
}
