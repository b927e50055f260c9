package org.sslbench.plugins.nnclr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Tensors;
import org.sslbench.method.Objective;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.train.Augmenter;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

class NnclrTest {
    private static final Map<String, Object> SMALL = Map.of("proj_hidden_dim", 64, "proj_output_dim", 32,
            "pred_hidden_dim", 64, "queue_size", 128);

    /**
     * Batch 32: uniform guessing over the 32 predictions costs ln 32 ≈ 3.47. Measured: 4.29 → 3.52,
     * close to chance, as the positives are other images' projections; the neighbour similarity
     * climbs 0.58 → 0.92 as the support set fills with this network's projections.
     */
    @Test
    void fewEpochsLowerTheLossWithoutCollapse() {
        PretextTrainer.Result r = MethodSmoke.run(new Nnclr(), SMALL, Map.of("crop", 0.5, "hflip", true), 10, 32, 3e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        assertTrue(loss[1] < loss[0] * 0.9, "loss should fall: " + loss[0] + " -> " + loss[1]);
        double firstNn = r.epochs().get(0).metrics().get("nn_similarity");
        double lastNn = r.epochs().get(r.epochs().size() - 1).metrics().get("nn_similarity");
        assertTrue(lastNn > firstNn + 0.1, "neighbour similarity " + firstNn + " -> " + lastNn);
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0, "collapse std " + r.finalCollapseStd());
    }

    @Test
    void declaresTwoViewsAndBYOLsAsymmetricPipelineWithoutBlur() {
        Nnclr m = new Nnclr();
        Params p = Params.of(m, Map.of());
        assertEquals(2, m.views(p));
        assertEquals(0.1, p.getDouble("temperature"));
        assertEquals(4096, p.getInt("queue_size"));
        List<Map<String, Object>> a = m.augmentations();
        assertEquals(2, a.size());
        assertEquals(0.2, a.get(1).get("solarize"));
        assertTrue(!a.get(0).containsKey("solarize") && !a.get(0).containsKey("blur") && !a.get(1).containsKey("blur"));
        a.forEach(view -> assertTrue(Augmenter.KNOWN.keySet().containsAll(view.keySet()), view.keySet().toString()));
    }

    /**
     * One real optimizer step with the objective's afterStep ops: afterwards the support set holds
     * that step's normalised view-1 projections in front, then its old rows shifted back. A
     * second step's lookup must still see the queue as it was before that step's push.
     */
    @Test
    void afterAStepTheSupportSetStartsWithThatStepsNormalisedViewOneProjections() {
        int batch = 4;
        int queueSize = 6;
        int dim = 5;
        ImageShape shape = new ImageShape(4, 4, 1);
        try (Net net = new Net()) {
            TinyContext ctx = new TinyContext(net, shape, batch, Params.of(new Nnclr(), Map.of(
                    "proj_hidden_dim", 8, "proj_output_dim", dim, "pred_hidden_dim", 8, "queue_size", queueSize)));
            Objective objective = new Nnclr().build(ctx);
            Optimizer opt = new Optimizer(net, new OptimizerSpec("sgd", 0.5, 0.9, 0, false), objective.loss(),
                    net.vars(Net.trainable()), "opt");
            List<Op> after = objective.afterStep(net.tf().withControlDependencies(opt.updates()));
            Random rnd = new Random(7);
            try (Session s = new Session(net.graph())) {
                net.initialize(s, 3);
                float[] before = queue(net, s);
                float[] weightsBefore = net.read(s, Net.under("encoder")).get("encoder/fc/kernel");
                float[][] first = step(net, s, ctx, opt, objective, after, rnd, 1);
                float[] afterOne = queue(net, s);
                assertNotEquals(Arrays.toString(weightsBefore),
                        Arrays.toString(net.read(s, Net.under("encoder")).get("encoder/fc/kernel")), "the step trained");
                assertArrayEquals(first[0], Arrays.copyOfRange(afterOne, 0, batch * dim), "newest rows = this step's z1");
                assertArrayEquals(Arrays.copyOfRange(before, 0, (queueSize - batch) * dim),
                        Arrays.copyOfRange(afterOne, batch * dim, queueSize * dim), "older rows shifted back");
                for (int i = 0; i < batch; i++) {
                    double norm = 0;
                    for (int j = 0; j < dim; j++) {
                        norm += first[0][i * dim + j] * first[0][i * dim + j];
                    }
                    assertEquals(1.0, norm, 1e-5, "row " + i + " is normalised");
                }
                // step 2: the neighbour similarity is computed against the queue before step 2's push
                float[][] second = step(net, s, ctx, opt, objective, after, rnd, 2);
                double expected = 0;
                for (int i = 0; i < batch; i++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int r = 0; r < queueSize; r++) {
                        double dot = 0;
                        for (int j = 0; j < dim; j++) {
                            dot += second[0][i * dim + j] * afterOne[r * dim + j];
                        }
                        best = Math.max(best, dot);
                    }
                    expected += best / batch;
                }
                assertEquals(expected, second[1][0], 1e-5);
                assertTrue(second[1][0] < 0.999, "the lookup must not find this step's own projections");
            }
        }
    }

    private static float[] queue(Net net, Session s) {
        return net.read(s, v -> v.name().equals("nnclr_support_set")).get("nnclr_support_set");
    }

    /** Runs one training step; returns the embedding (normalised z1) and the nn_similarity metric. */
    private static float[][] step(Net net, Session s, TinyContext ctx, Optimizer opt, Objective objective, List<Op> after,
                                  Random rnd, long step) {
        List<Tensor> open = new ArrayList<>();
        try {
            Session.Runner runner = s.runner();
            for (int v = 0; v < 2; v++) {
                float[] images = new float[ctx.batchSize() * ctx.shape().size()];
                for (int i = 0; i < images.length; i++) {
                    images[i] = (float) rnd.nextGaussian();
                }
                TFloat32 t = Tensors.floats(images, ctx.batchSize(), 4, 4, 1);
                open.add(t);
                runner.feed(ctx.view(v), t);
            }
            open.addAll(opt.feed(runner, step, 0.5));
            net.updateOps().forEach(runner::addTarget);
            after.forEach(runner::addTarget);
            runner.fetch(objective.embedding()).fetch(objective.metrics().get("nn_similarity"));
            try (var result = runner.run()) {
                return new float[][] {Tensors.toFloats((TFloat32) result.get(0)), Tensors.toFloats((TFloat32) result.get(1))};
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /** The part of the harness's context NNCLR uses, around a one-layer encoder. */
    private static final class TinyContext implements PretextContext {
        private final Net net;
        private final Layers layers;
        private final ImageShape shape;
        private final int batch;
        private final Params params;
        private final List<Operand<TFloat32>> views = new ArrayList<>();

        TinyContext(Net net, ImageShape shape, int batch, Params params) {
            this.net = net;
            this.layers = new Layers(net);
            this.shape = shape;
            this.batch = batch;
            this.params = params;
            for (int v = 0; v < 2; v++) {
                views.add(net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1))));
            }
        }

        @Override public Ops tf() { return net.tf(); }
        @Override public Layers layers() { return layers; }

        @Override
        public Encoder encoder() {
            return new Encoder() {
                @Override public String scope() { return "encoder"; }
                @Override public int featureDim() { return 6; }

                @Override
                public Operand<TFloat32> apply(Operand<TFloat32> images, boolean training) {
                    return layers.dense("encoder/fc", layers.flatten(images, shape.size()), shape.size(), 6, true, Init.heNormal());
                }
            };
        }

        @Override public Encoder targetEncoder(String scope) { throw new UnsupportedOperationException(); }
        @Override public void freeze(String scope) { throw new UnsupportedOperationException(); }
        @Override public void initializeAsCopy(String from, String to) { throw new UnsupportedOperationException(); }
        @Override public Params params() { return params; }
        @Override public ImageShape shape() { return shape; }
        @Override public Operand<TFloat32> view(int i) { return views.get(i); }

        @Override
        public <T extends TType> Operand<T> input(String name, Class<T> type, long... dims) {
            throw new UnsupportedOperationException();
        }

        @Override public Operand<TFloat32> progress() { throw new UnsupportedOperationException(); }
        @Override public int batchSize() { return batch; }
        @Override public int stepsPerEpoch() { return 1; }
        @Override public int epochs() { return 1; }
        @Override public long seed() { return 3; }
    }
}
