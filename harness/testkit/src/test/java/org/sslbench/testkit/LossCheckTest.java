package org.sslbench.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The kit accepts a correct loss and rejects a wrong value, a wrong gradient and a gradient cut by
 * stopGradient, on L = Σ x_ij² · w_j (gradient 2·x_ij·w_j; ∂L/∂w_j = Σ_i x_ij²).
 */
class LossCheckTest {
    private static final LossCheck.Reference REFERENCE = v -> {
        double s = 0;
        for (int i = 0; i < v[0].length; i++) {
            s += v[0][i] * v[0][i] * v[1][i % 3];
        }
        return s;
    };

    private static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
        return tf.reduceSum(tf.math.mul(tf.math.square(x), w), tf.constant(new int[] {0, 1}));
    }

    private static final LossCheck CHECK = LossCheck.of((tf, in) -> loss(tf, in.get(0), in.get(1)),
            LossCheck.shape(2, 3), LossCheck.shape(3));

    @Test
    void aCorrectLossPassesBothChecks() {
        float[][] x = CHECK.gaussian(3);
        CHECK.assertValue(x, REFERENCE);
        CHECK.assertGradient(x, REFERENCE);
        float[] g = CHECK.evaluate(x).gradients()[0];
        assertEquals(2 * x[0][4] * x[1][1], g[4], 1e-5, "row-major gradients in the inputs' layout");
    }

    @Test
    void aWrongValueFails() {
        float[][] x = CHECK.gaussian(3);
        AssertionError e = assertThrows(AssertionError.class, () -> CHECK.assertValue(x, v -> REFERENCE.value(v) * 1.001));
        assertTrue(e.getMessage().contains("but TF gave"), e.getMessage());
    }

    @Test
    void aWrongGradientFails() {
        // same value at x, but the gradient of x is halved: 0.5·x² + 0.5·stopGradient(x²)
        LossCheck half = LossCheck.of((tf, in) -> {
            Operand<TFloat32> sq = tf.math.square(in.get(0));
            Operand<TFloat32> mixed = tf.math.add(tf.math.mul(tf.constant(0.5f), sq),
                    tf.math.mul(tf.constant(0.5f), tf.stopGradient(sq)));
            return tf.reduceSum(tf.math.mul(mixed, in.get(1)), tf.constant(new int[] {0, 1}));
        }, LossCheck.shape(2, 3), LossCheck.shape(3));
        float[][] x = half.gaussian(3);
        half.assertValue(x, REFERENCE);
        AssertionError e = assertThrows(AssertionError.class, () -> half.assertGradient(x, REFERENCE));
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
    }

    @Test
    void anInputThatDoesNotMatterIsReported() {
        LossCheck check = LossCheck.of((tf, in) -> loss(tf, in.get(0), in.get(1)), LossCheck.shape(2, 3), LossCheck.shape(3));
        float[][] x = {new float[6], {1, 2, 3}}; // x = 0: ∂L/∂x = 2·x·w = 0 (and ∂L/∂w = Σ x² = 0)
        AssertionError e = assertThrows(AssertionError.class, () -> check.assertGradient(x, REFERENCE));
        assertTrue(e.getMessage().contains("input 0 has an all-zero reference gradient"), e.getMessage());
    }

    @Test
    void aGradientCutByStopGradientIsReportedByInput() {
        // the tester's case: the whole first input behind a stopGradient gives no gradient op at all
        LossCheck cut = LossCheck.of((tf, in) -> loss(tf, tf.stopGradient(in.get(0)), in.get(1)),
                LossCheck.shape(2, 3), LossCheck.shape(3));
        float[][] x = cut.gaussian(3);
        AssertionError e = assertThrows(AssertionError.class, () -> cut.assertGradient(x, REFERENCE));
        assertTrue(e.getMessage().contains("input 0: no gradient reaches it from the loss"), e.getMessage());
    }

    @Test
    void fetchEvaluatesNonScalarOpsAndSizesAreChecked() {
        float[] out = LossCheck.fetch((tf, in) -> tf.math.mul(in.get(0), tf.constant(2f)), new float[][] {{1, 2, 3}},
                new long[][] {{3}});
        assertArrayEquals(new float[] {2, 4, 6}, out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CHECK.value(new float[][] {new float[5], new float[3]}));
        assertTrue(e.getMessage().contains("input 0 has 5 values but shape [2, 3] holds 6"), e.getMessage());
    }
}
