package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Tensors;
import org.sslbench.engine.backbones.ResNet18;
import org.sslbench.engine.backbones.ResNet20;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Feeds;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.testing.FormatWriters;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Multi-crop (Caron et al., SwAV, NeurIPS 2020, section 3.2): views of different sizes from one
 * pretext step. Each view is fed at its pipeline's {@code size}, every backbone takes any size, the
 * crop area stays within [crop, crop_max], and a method with 2 global and 2 local views trains.
 */
class MultiCropTest {
    private static final ImageShape FASHION = FormatWriters.FASHION_SHAPE; // 28×28×1
    private static final Map<String, Object> GLOBAL = Map.of("crop", 0.5, "hflip", true);

    /** A method that records what the harness gives it: view shapes in the graph and in each step's feed. */
    static final class Recording implements Method {
        private final int views;
        final List<long[]> placeholderShapes = new ArrayList<>();
        final List<ImageShape> contextShapes = new ArrayList<>();
        final List<ImageShape> fedShapes = new ArrayList<>();
        final List<Integer> fedLengths = new ArrayList<>();
        final List<float[]> firstFed = new ArrayList<>();
        private final List<Map<String, Object>> pipelines;

        Recording(int views, List<Map<String, Object>> pipelines) {
            this.views = views;
            this.pipelines = pipelines;
        }

        @Override public String name() { return "recording"; }
        @Override public String description() { return "records view shapes (test)"; }
        @Override public List<Param> params() { return List.of(); }
        @Override public int views(Params p) { return views; }
        @Override public List<Map<String, Object>> augmentations() { return pipelines; }

        @Override
        public Objective build(PretextContext ctx) {
            Operand<TFloat32> loss = null;
            for (int v = 0; v < views; v++) {
                Operand<TFloat32> view = ctx.view(v);
                placeholderShapes.add(view.shape().asArray());
                contextShapes.add(ctx.viewShape(v));
                Operand<TFloat32> z = ctx.encoder().apply(view, true);
                Operand<TFloat32> m = ctx.tf().math.mean(ctx.tf().math.square(z), ctx.tf().constant(new int[] {0, 1}));
                loss = loss == null ? m : ctx.tf().math.add(loss, m);
            }
            Operand<TFloat32> total = loss;
            return new Objective() {
                @Override public Operand<TFloat32> loss() { return total; }

                @Override
                public void feed(StepBatch batch, Feeds feeds) {
                    if (fedShapes.isEmpty()) {
                        for (int v = 0; v < views; v++) {
                            fedShapes.add(batch.viewShape(v));
                            fedLengths.add(batch.view(v).length);
                            firstFed.add(batch.view(v).clone());
                        }
                    }
                }
            };
        }
    }

    /**
     * A multi-crop test method: 2 global views and 2 local ones (its own pipelines, local crops at
     * half size), loss = mean over (global g, other view v) pairs of 1 − cos(p(z_g), p(z_v)) with a
     * linear projector p: every view enters the loss, the local ones only as predictions of the
     * globals, as in multi-crop (SwAV section 3.2).
     */
    static final class TwoGlobalsTwoLocals implements Method {
        @Override public String name() { return "two-globals-two-locals"; }
        @Override public String description() { return "2 global + 2 local views, cosine consistency (test)"; }
        @Override public List<Param> params() { return List.of(); }
        @Override public int views(Params p) { return 4; }

        @Override
        public List<Map<String, Object>> augmentations() {
            return List.of(Map.of("crop", 0.4, "hflip", true), Map.of("crop", 0.4, "hflip", true),
                    Map.of("crop", 0.1, "crop_max", 0.4, "size", 0.5, "hflip", true, "count", 2));
        }

        @Override
        public Objective build(PretextContext ctx) {
            var tf = ctx.tf();
            List<Operand<TFloat32>> p = new ArrayList<>();
            for (int v = 0; v < 4; v++) {
                Operand<TFloat32> z = ctx.encoder().apply(ctx.view(v), true);
                Operand<TFloat32> h = ctx.layers().dense("proj", z, ctx.encoder().featureDim(), 16, true, Init.glorotUniform());
                p.add(org.sslbench.losses.TensorMath.l2Normalize(tf, h));
            }
            Operand<TFloat32> sum = null;
            int pairs = 0;
            for (int g = 0; g < 2; g++) {
                for (int v = 0; v < 4; v++) {
                    if (v == g) {
                        continue;
                    }
                    Operand<TFloat32> cos = tf.math.mean(tf.reduceSum(tf.math.mul(p.get(g), p.get(v)), tf.constant(1)),
                            tf.constant(0));
                    Operand<TFloat32> term = tf.math.sub(tf.constant(1f), cos);
                    sum = sum == null ? term : tf.math.add(sum, term);
                    pairs++;
                }
            }
            return Objective.of(tf.math.div(sum, tf.constant((float) pairs)));
        }
    }

    private static TrainSpec spec(int epochs, int batch, double lr, List<Map<String, Object>> pipelines) {
        return new TrainSpec(epochs, batch, new OptimizerSpec("adam", lr, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of(), pipelines);
    }

    private static PretextTrainer.Result run(Method method, Backbone backbone, TrainSpec spec) {
        return run(method, backbone, spec, FormatWriters.tinyDataset(FASHION, 10, 4, 2, 3));
    }

    /** 12×12 images, 8 in the pool: one step of batch 8. */
    private static final ImageShape SMALL = new ImageShape(12, 12, 1);

    private static PretextTrainer.Result run(Method method, Backbone backbone, TrainSpec spec, Dataset ds) {
        Batches pool = new Batches(ds.unlabeled(), Normalizer.fit("pixel_mean", ds.train()), 0);
        return new PretextTrainer(new PrintStream(OutputStream.nullOutputStream()), true)
                .train(method, Params.of(method, Map.of()), backbone, spec, pool, 0);
    }

    @Test
    void aThreeViewPipelineFeedsEachViewAtItsSize() {
        List<Map<String, Object>> pipelines = List.of(GLOBAL, GLOBAL, Map.of("crop", 0.2, "crop_max", 0.4, "size", 0.5));
        Recording method = new Recording(3, pipelines);
        run(method, new ResNet20(), spec(1, 8, 1e-3, pipelines), FormatWriters.tinyDataset(SMALL, 2, 4, 1, 3));
        ImageShape local = new ImageShape(6, 6, 1);
        assertEquals(List.of(SMALL, SMALL, local), method.contextShapes);
        assertArrayEquals(new long[] {-1, 12, 12, 1}, method.placeholderShapes.get(0));
        assertArrayEquals(new long[] {-1, 12, 12, 1}, method.placeholderShapes.get(1));
        assertArrayEquals(new long[] {-1, 6, 6, 1}, method.placeholderShapes.get(2));
        assertEquals(List.of(SMALL, SMALL, local), method.fedShapes);
        assertEquals(List.of(8 * 144, 8 * 144, 8 * 36), method.fedLengths);
        assertTrue(variance(method.firstFed.get(2)) > 1e-4, "the local view holds image content, not zeros");
    }

    @Test
    void aCountOfFourMakesFourConsecutiveLocalViews() {
        List<Map<String, Object>> pipelines = List.of(GLOBAL, GLOBAL, Map.of("crop", 0.05, "crop_max", 0.4, "size", 0.43, "count", 4));
        Recording method = new Recording(6, pipelines);
        run(method, new SmallCnn(), spec(1, 8, 1e-3, pipelines), FormatWriters.tinyDataset(SMALL, 2, 4, 1, 3));
        ImageShape local = new ImageShape(5, 5, 1); // round(12 · 0.43) = 5
        assertEquals(List.of(SMALL, SMALL, local, local, local, local), method.fedShapes);
        assertArrayEquals(new long[] {-1, 5, 5, 1}, method.placeholderShapes.get(5));
        assertEquals(List.of(8 * 144, 8 * 144, 8 * 25, 8 * 25, 8 * 25, 8 * 25), method.fedLengths);
        // Four independent draws: the local views differ from each other.
        assertTrue(!java.util.Arrays.equals(method.firstFed.get(2), method.firstFed.get(3)));
    }

    @Test
    void aMultiCropMethodTrainsOnSmallCnnAndLowersItsLoss() {
        Method method = new TwoGlobalsTwoLocals();
        PretextTrainer.Result r = run(method, new SmallCnn(), spec(4, 8, 3e-3, method.augmentations(Params.of(method, Map.of()))));
        double first = r.epochs().get(0).loss();
        double last = r.finalLoss();
        assertTrue(Double.isFinite(first) && Double.isFinite(last), first + " " + last);
        assertTrue(last < first, "loss " + first + " -> " + last);
    }

    @Test
    void everyBackboneTakesViewsOfAnySize() {
        ImageShape image = new ImageShape(16, 16, 3);
        for (Backbone b : List.of(new SmallCnn(), new ResNet20(), new ResNet18())) {
            try (Net net = new Net()) {
                Encoder e = b.create(new Layers(net), "enc", image);
                List<Operand<TFloat32>> outs = new ArrayList<>();
                List<TFloat32> inputs = new ArrayList<>();
                int[] sides = {16, 7, 1};
                for (int side : sides) {
                    TFloat32 in = Tensors.floats(gaussian(2 * side * side * 3, side), 2, side, side, 3);
                    inputs.add(in);
                    outs.add(e.apply(net.tf().constantOf(in), false));
                }
                try (Session s = org.sslbench.engine.Sessions.open(net.graph())) {
                    net.initialize(s, 0);
                    for (int i = 0; i < outs.size(); i++) {
                        try (var result = s.runner().fetch(outs.get(i)).run()) {
                            TFloat32 t = (TFloat32) result.get(0);
                            assertArrayEquals(new long[] {2, e.featureDim()}, t.shape().asArray(), b.name() + " side " + sides[i]);
                            for (float f : Tensors.toFloats(t)) {
                                assertTrue(Float.isFinite(f), b.name() + " side " + sides[i]);
                            }
                        }
                    }
                } finally {
                    inputs.forEach(TFloat32::close);
                }
            }
        }
    }

    @Test
    void cropAreaStaysWithinCropAndCropMax() {
        for (ImageShape s : List.of(new ImageShape(32, 32, 3), new ImageShape(8, 20, 1))) {
            SplittableRandom rng = new SplittableRandom(11);
            double lo = 1;
            double hi = 0;
            for (int i = 0; i < 20000; i++) {
                Augmenter.Window w = Augmenter.cropWindow(s, rng, 0.05, 0.4);
                double fraction = w.width() * w.height() / ((double) s.height() * s.width());
                assertTrue(fraction >= 0.05 - 1e-9 && fraction <= 0.4 + 1e-9, s + ": " + fraction);
                assertTrue(w.x0() >= 0 && w.y0() >= 0 && w.x0() + w.width() <= s.width() + 1e-9
                        && w.y0() + w.height() <= s.height() + 1e-9, s + ": window inside the image");
                lo = Math.min(lo, fraction);
                hi = Math.max(hi, fraction);
            }
            assertTrue(lo < 0.06 && hi > 0.39, s + ": the draws span [crop, crop_max], got [" + lo + ", " + hi + "]");
        }
    }

    @Test
    void cropMaxOfOneDrawsAsBefore() {
        // crop_max 1 keeps torchvision's scale (crop, 1) draw for draw: results stored before it existed still hold.
        ImageShape s = new ImageShape(8, 20, 1);
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            assertEquals(Augmenter.cropWindow(s, a, 0.08), Augmenter.cropWindow(s, b, 0.08, 1.0));
        }
    }

    @Test
    void viewSidesAreRoundedFractionsOfAtLeastOnePixel() {
        assertEquals(new ImageShape(14, 14, 3), Augmenter.viewShape(new ImageShape(32, 32, 3), 0.43));
        assertEquals(new ImageShape(41, 41, 3), Augmenter.viewShape(new ImageShape(96, 96, 3), 0.43));
        assertEquals(new ImageShape(1, 2, 1), Augmenter.viewShape(new ImageShape(5, 16, 1), 0.1));
        assertEquals(new ImageShape(28, 28, 1), Augmenter.viewShape(FASHION, 1.0));
        assertEquals(new ImageShape(4, 4, 1), new Augmenter(Map.of("size", 0.5)).outputShape(new ImageShape(8, 8, 1)));
    }

    @Test
    void aSmallerViewIsStandardisedWithTheSameChannelStatistics() {
        Dataset ds = FormatWriters.tinyDataset(new ImageShape(8, 8, 3), 2, 4, 1, 9);
        Normalizer n = Normalizer.fit("standardize", ds.train());
        float[] full = new float[8 * 8 * 3];
        java.util.Arrays.fill(full, 0.3f);
        n.apply(full, 0);
        float[] small = new float[4 * 4 * 3];
        java.util.Arrays.fill(small, 0.3f);
        n.apply(small, 0, new ImageShape(4, 4, 3));
        for (int i = 0; i < small.length; i++) {
            assertEquals(full[i % 3], small[i], 1e-5, "value " + i);
        }
    }

    @Test
    void theViewGridShowsSmallViewsAtTheirSize() {
        Dataset ds = FormatWriters.tinyDataset(new ImageShape(8, 8, 1), 2, 4, 1, 9);
        TrainSpec spec = spec(1, 4, 1e-3, List.of(GLOBAL, Map.of("crop", 0.2, "crop_max", 0.4, "size", 0.5, "count", 2)));
        ViewGrid grid = ViewGrid.of("mc", ds.unlabeled(), spec, 3, 2);
        assertEquals(new ImageShape(8, 8, 1), grid.shape(1));
        assertEquals(new ImageShape(4, 4, 1), grid.shape(2));
        assertEquals(2 * 16, grid.column(3).length);
        java.awt.image.BufferedImage img = grid.render();
        // Outside the small view (right half of its cell) is background; inside it an image pixel.
        int x = grid.x(2) + 6 * grid.scale();
        int y = grid.y(0) + 6 * grid.scale();
        assertEquals(img.getRGB(0, img.getHeight() - 1), img.getRGB(x, y), "background right of and below a 4x4 view");
    }

    private static float[] gaussian(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }

    private static double variance(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double s = 0;
        for (float v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / x.length;
    }
}
