package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.method.Param;
import org.sslbench.testkit.LossCheck;

/**
 * Why the built-in contrastive methods accept temperatures down to {@link Param#MIN_TEMPERATURE}
 * and no lower (issue 10, case 5 siblings): at the floor the float32 losses and their gradients
 * are finite; at the smallest normal float32 (a value the generic float32 check alone would let
 * through) the loss is already infinite, so the run would diverge at step 0.
 */
class TemperatureFloorTest {
    private static final int N = 8;
    private static final int D = 16;

    private static LossCheck.Result ntXent(double tau) {
        float[][] z = LossCheck.gaussian(3, new long[] {N, D}, new long[] {N, D});
        return LossCheck.evaluate((tf, in) -> NtXentLoss.loss(tf, in.get(0), in.get(1), N, tau), z,
                new long[][] {{N, D}, {N, D}});
    }

    private static LossCheck.Result infoNce(double tau) {
        float[][] z = LossCheck.gaussian(5, new long[] {N, D}, new long[] {N, D}, new long[] {32, D});
        // keys and queue are constants: the loss stops their gradients
        return LossCheck.evaluate((tf, in) -> InfoNceLoss.withQueue(tf, in.get(0),
                tf.reshape(tf.constant(z[1]), tf.constant(new long[] {N, D})),
                TensorMath.l2Normalize(tf, tf.reshape(tf.constant(z[2]), tf.constant(new long[] {32, D}))), tau, N),
                new float[][] {z[0]}, new long[][] {{N, D}});
    }

    private static boolean finite(LossCheck.Result r) {
        boolean ok = Double.isFinite(r.value());
        for (float[] g : r.gradients()) {
            for (float v : g) {
                ok &= Float.isFinite(v);
            }
        }
        return ok;
    }

    @Test
    void lossesAndGradientsAreFiniteAtTheFloor() {
        assertTrue(finite(ntXent(Param.MIN_TEMPERATURE)), "NT-Xent at tau " + Param.MIN_TEMPERATURE);
        assertTrue(finite(infoNce(Param.MIN_TEMPERATURE)), "InfoNCE at tau " + Param.MIN_TEMPERATURE);
    }

    @Test
    void theSmallestNormalFloatDivergesAtStepZero() {
        assertFalse(finite(ntXent(Float.MIN_NORMAL)));
    }
}
