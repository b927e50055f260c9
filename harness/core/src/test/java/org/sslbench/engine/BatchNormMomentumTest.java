package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sslbench.spec.TrainSpec;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The momentum a {@link Layers} is built with is the one every BatchNorm moving-average update
 * uses: after one training step from the initial moving mean 0, moving = m·0 + (1 − m)·batch mean.
 */
class BatchNormMomentumTest {
    /** 4 samples × 2 channels (NHWC, 1×1 images): batch means 2.5 and −1. */
    private static final float[] X = {1, 0, 2, -2, 3, 1, 4, -3};
    private static final float[] BATCH_MEAN = {(1 + 2 + 3 + 4) / 4f, (0 - 2 + 1 - 3) / 4f};

    /** The moving mean after one training step of a fresh {@code batchNorm} built by {@code layers}. */
    private static float[] movingMeanAfterOneStep(Net net, Layers layers, boolean oneD) {
        Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class,
                Placeholder.shape(oneD ? Shape.of(-1, 2) : Shape.of(-1, 1, 1, 2)));
        var y = oneD ? layers.batchNorm1d("bn", x, 2, true) : layers.batchNorm("bn", x, 2, true);
        try (Session session = new Session(net.graph());
             TFloat32 xt = oneD ? Tensors.floats(X, 4, 2) : Tensors.floats(X, 4, 1, 1, 2)) {
            net.initialize(session, 0);
            Session.Runner r = session.runner().feed(x, xt).fetch(y);
            net.updateOps().forEach(r::addTarget);
            r.run().close();
            Map<String, float[]> moving = net.read(session, v -> v.name().equals("bn/moving_mean"));
            return moving.get("bn/moving_mean");
        }
    }

    @ParameterizedTest(name = "m = {0}")
    @ValueSource(doubles = {0.5, 0.99, 0.0})
    void movingMeanIsOneMinusMomentumTimesTheBatchMean(double m) {
        for (boolean oneD : new boolean[] {false, true}) {
            try (Net net = new Net()) {
                float[] moving = movingMeanAfterOneStep(net, new Layers(net, m), oneD);
                float[] expected = {(float) ((1 - m) * BATCH_MEAN[0]), (float) ((1 - m) * BATCH_MEAN[1])};
                assertArrayEquals(expected, moving, 1e-6f, "m = " + m + (oneD ? ", 1-D" : ", NHWC"));
            }
        }
    }

    @Test
    void theDefaultIsTheSpecDefault() {
        assertEquals((float) TrainSpec.DEFAULT_BN_MOMENTUM, Layers.BN_MOMENTUM);
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            assertEquals(0.9f, layers.bnMomentum());
            float[] moving = movingMeanAfterOneStep(net, layers, false);
            // 1f - 0.9f, the rate the constant always had, so default runs train as before.
            assertArrayEquals(new float[] {(1f - 0.9f) * BATCH_MEAN[0], (1f - 0.9f) * BATCH_MEAN[1]}, moving, 1e-7f);
        }
    }

    /** Backbone#batchNorm (which lets a spec refuse a finetune bn_momentum) says what the graph has. */
    @Test
    void backbonesDeclareWhetherTheyHaveBatchNorm() {
        for (Backbone b : new Backbone[] {new org.sslbench.engine.backbones.SmallCnn(),
                new org.sslbench.engine.backbones.ResNet20(), new org.sslbench.engine.backbones.ResNet18()}) {
            try (Net net = new Net()) {
                Layers layers = new Layers(net);
                var x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
                b.create(layers, "encoder", new org.sslbench.data.ImageShape(32, 32, 3)).apply(x, true);
                assertEquals(!net.vars(v -> v.role() == Role.STATISTIC).isEmpty(), b.batchNorm(), b.name());
            }
        }
        assertEquals(false, new org.sslbench.engine.backbones.SmallCnn().batchNorm());
    }

    @ParameterizedTest(name = "m = {0}")
    @ValueSource(doubles = {1.0, -0.1, Double.NaN})
    void momentumOutsideTheRangeIsRefused(double m) {
        try (Net net = new Net()) {
            assertThrows(IllegalArgumentException.class, () -> new Layers(net, m));
        }
    }
}
