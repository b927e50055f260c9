package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * {@link Optimizer}'s dynamic loss scaling (fp16; Micikevicius et al. 2018 §3.2), checked in fp32 on
 * the CPU with the scaling forced on: on {@link LarsOptimizerTest}'s toy loss times a fed factor
 * (1, or +inf to inject a non-finite gradient), scaled training equals unscaled training, an
 * injected inf skips the step (no weight moves) and halves S, 2000 finite steps double it; and
 * fp32 / bf16 build exactly the graph they built before.
 */
class LossScalingTest {
    /** After each step: kernel, bias, and S (NaN without scaling). */
    record Step(float[] w, float[] b, float scale) {
    }

    static List<Step> train(OptimizerSpec spec, boolean scaling, float[] factors, double[] lrs) {
        try (Net net = new Net()) {
            Ops tf = net.tf();
            var w = net.variable("toy/kernel", Init.zeros(), Role.WEIGHT, 2, 2, 2, 2);
            var b = net.variable("toy/bias", Init.zeros(), Role.PARAM, 0, 0, 2);
            Placeholder<TFloat32> factor = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Operand<TFloat32> dw = tf.math.sub(w, tf.reshape(tf.constant(LarsOptimizerTest.floats(LarsOptimizerTest.A)),
                    tf.constant(new long[] {2, 2})));
            Operand<TFloat32> db = tf.math.sub(b, tf.constant(new float[] {1f, 2f}));
            Operand<TFloat32> cw = tf.reshape(tf.constant(LarsOptimizerTest.floats(LarsOptimizerTest.C)),
                    tf.constant(new long[] {2, 2}));
            Operand<TFloat32> half = tf.constant(0.5f);
            Operand<TFloat32> loss = tf.math.mul(factor, tf.math.add(
                    tf.math.mul(half, tf.reduceSum(tf.math.mul(cw, tf.math.square(dw)), tf.constant(new int[] {0, 1}))),
                    tf.math.mul(half, tf.reduceSum(tf.math.mul(tf.constant(LarsOptimizerTest.floats(LarsOptimizerTest.E)),
                            tf.math.square(db)), tf.constant(0)))));
            Optimizer opt = new Optimizer(net, spec, loss, net.vars(Net.trainable()), "opt", List.of(), scaling);
            List<Step> out = new ArrayList<>();
            try (Session session = new Session(net.graph())) {
                net.initialize(session, 0);
                net.assign(session, Map.of("toy/kernel", LarsOptimizerTest.floats(LarsOptimizerTest.W0),
                        "toy/bias", new float[] {0.3f, -0.3f}));
                for (int step = 1; step <= lrs.length; step++) {
                    Session.Runner r = session.runner();
                    List<Tensor> open = new ArrayList<>(opt.feed(r, step, lrs[step - 1]));
                    TFloat32 f = TFloat32.scalarOf(factors[step - 1]);
                    open.add(f);
                    r.feed(factor, f).run().close();
                    open.forEach(Tensor::close);
                    Map<String, float[]> v = net.read(session, x -> x.name().startsWith("toy/"));
                    float s = Float.NaN;
                    if (scaling) {
                        try (var result = session.runner().fetch(opt.lossScale()).run()) {
                            s = ((TFloat32) result.get(0)).getFloat();
                        }
                    }
                    out.add(new Step(v.get("toy/kernel"), v.get("toy/bias"), s));
                }
            }
            return out;
        }
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    private static OptimizerSpec spec(String name) {
        return switch (name) {
            case "sgd" -> new OptimizerSpec("sgd", 1.0, 0.9, 1e-2, false);
            case "adam" -> new OptimizerSpec("adam", 1.0, 0.9, 1e-2, false);
            case "lars" -> OptimizerSpec.lars(1.0, 0.9, 1e-2, false, 0.02, true, true);
            case "adamw" -> OptimizerSpec.adamw(1.0, 0.05, OptimizerSpec.AdamW.DEFAULTS, true);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "adam", "lars", "adamw"})
    void scaledTrainingEqualsUnscaledTraining(String optimizer) {
        double[] lrs = {0.1, 0.05, 0.02};
        List<Step> plain = train(spec(optimizer), false, ones(3), lrs);
        List<Step> scaled = train(spec(optimizer), true, ones(3), lrs);
        for (int s = 0; s < lrs.length; s++) {
            // S is a power of two: multiplying and dividing by it is exact unless a value overflows.
            assertArrayEquals(plain.get(s).w(), scaled.get(s).w(), 1e-6f, optimizer + " step " + (s + 1));
            assertArrayEquals(plain.get(s).b(), scaled.get(s).b(), 1e-6f, optimizer + " step " + (s + 1));
            assertEquals(Optimizer.LOSS_SCALE_INITIAL, scaled.get(s).scale(), "finite steps keep S below 2000 steps");
        }
        assertTrue(plain.get(2).w()[0] != LarsOptimizerTest.W0[0], "the weights moved");
    }

    @Test
    void anInfiniteGradientSkipsTheStepAndHalvesTheScale() {
        // Momentum 0: a skipped step leaves no trace (the accumulator is the gradient, 0 on the skip).
        OptimizerSpec sgd = new OptimizerSpec("sgd", 1.0, 0.0, 0.0, false);
        List<Step> skipped = train(sgd, true, new float[] {1f, Float.POSITIVE_INFINITY, 1f}, new double[] {0.1, 0.05, 0.02});
        assertArrayEquals(skipped.get(0).w(), skipped.get(1).w(), "no weight moves on the inf step");
        assertArrayEquals(skipped.get(0).b(), skipped.get(1).b());
        assertEquals(32768f, skipped.get(0).scale());
        assertEquals(16384f, skipped.get(1).scale(), "halved");
        assertEquals(16384f, skipped.get(2).scale(), "a finite step keeps it");
        // the run equals one without the inf step: steps at lr 0.1 and 0.02
        List<Step> without = train(sgd, false, ones(2), new double[] {0.1, 0.02});
        assertArrayEquals(without.get(1).w(), skipped.get(2).w(), 1e-6f);
        assertArrayEquals(without.get(1).b(), skipped.get(2).b(), 1e-6f);
        for (float v : skipped.get(2).w()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void theScaleDoublesAfter2000FiniteStepsInARow() {
        int n = Optimizer.LOSS_SCALE_GROWTH_STEPS + 1;
        double[] lrs = new double[n]; // lr 0: only S changes
        List<Step> steps = train(new OptimizerSpec("sgd", 1.0, 0.0, 0.0, false), true, ones(n), lrs);
        assertEquals(2000, Optimizer.LOSS_SCALE_GROWTH_STEPS);
        assertEquals(32768f, steps.get(1998).scale(), "after 1999 steps");
        assertEquals(65536f, steps.get(1999).scale(), "after 2000 steps");
        assertEquals(65536f, steps.get(2000).scale(), "the count starts over");
    }

    private static int operations(Precision precision) {
        try (Net net = new Net()) {
            Ops tf = net.tf();
            var w = net.variable("toy/kernel", Init.zeros(), Role.WEIGHT, 2, 2, 2);
            Operand<TFloat32> loss = tf.reduceSum(tf.math.square(tf.math.sub(w, tf.constant(1f))), tf.constant(0));
            if (precision == null) {
                new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), loss, net.vars(Net.trainable()), "opt");
            } else {
                new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), loss, net.vars(Net.trainable()), "opt",
                        List.of(), precision);
            }
            Graph g = net.graph();
            int count = 0;
            for (var it = g.operations(); it.hasNext(); it.next()) {
                count++;
            }
            return count;
        }
    }

    @Test
    void fp32AndBf16BuildTheGraphTheyBuiltBeforeAndFp16Adds() {
        int before = operations(null);
        assertEquals(before, operations(Precision.FP32));
        assertEquals(before, operations(Precision.BF16));
        assertTrue(operations(Precision.FP16) > before);
        assertThrows(IllegalStateException.class, () -> {
            try (Net net = new Net()) {
                var w = net.variable("w", Init.zeros(), Role.WEIGHT, 1, 1, 1);
                new Optimizer(net, new OptimizerSpec("sgd", 0.1, 0.0, 0, false), net.tf().reduceSum(w,
                        net.tf().constant(0)), net.vars(Net.trainable()), "opt", List.of(), Precision.FP32).lossScale();
            }
        });
    }
}
