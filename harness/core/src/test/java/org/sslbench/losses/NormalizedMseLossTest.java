package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

/** BYOL's loss (Grill et al., NeurIPS 2020, eq. 2) against a double-precision reference of the equation. */
class NormalizedMseLossTest {
    private static final int B = 4;
    private static final int D = 6;
    private static final long[] SHAPE = {B, D};

    /** Eq. 2: ‖p/‖p‖ − z/‖z‖‖², averaged over the batch (the paper's expectation over images). */
    static double reference(double[] p, double[] z, int b, int d) {
        double total = 0;
        for (int i = 0; i < b; i++) {
            double np = 0;
            double nz = 0;
            for (int c = 0; c < d; c++) {
                np += p[i * d + c] * p[i * d + c];
                nz += z[i * d + c] * z[i * d + c];
            }
            for (int c = 0; c < d; c++) {
                double diff = p[i * d + c] / Math.sqrt(np) - z[i * d + c] / Math.sqrt(nz);
                total += diff * diff;
            }
        }
        return total / b;
    }

    /** The loss with the prediction as the input and the target {@code z} fixed (it is stop-gradient). */
    private static LossCheck.Result tf(float[] p, float[] z) {
        return LossCheck.evaluate((tf, in) -> NormalizedMseLoss.loss(tf, in.get(0), InfoNceLossTest.constant(tf, z, B, D)),
                new float[][] {p}, new long[][] {SHAPE});
    }

    @Test
    void valueMatchesEquationTwo() {
        for (long seed : new long[] {1, 2, 3}) {
            float[][] x = LossCheck.gaussian(seed, SHAPE, SHAPE);
            double[][] d = LossCheck.toDouble(x);
            LossCheck.assertRelativeClose(reference(d[0], d[1], B, D), tf(x[0], x[1]).value(), 1e-5);
        }
    }

    @Test
    void predictionGradientMatchesFiniteDifferences() {
        float[][] x = LossCheck.gaussian(4, SHAPE, SHAPE);
        double[][] d = LossCheck.toDouble(x);
        double[][] fd = LossCheck.finiteDifference(v -> reference(v[0], d[1], B, D), new double[][] {d[0]}, 1e-4);
        LossCheck.assertGradientsClose(fd, tf(x[0], x[1]).gradients(), 2e-3);
    }

    /** A target computed from the prediction (z = p + noise) must still be a constant for the gradient: sg(z'). */
    @Test
    void targetIsStopGradient() {
        float[][] x = LossCheck.gaussian(5, SHAPE, SHAPE);
        float[] noise = x[1];
        LossCheck.Result r = LossCheck.evaluate((tf, in) -> NormalizedMseLoss.loss(tf, in.get(0),
                tf.math.add(in.get(0), InfoNceLossTest.constant(tf, noise, B, D))), new float[][] {x[0]}, new long[][] {SHAPE});
        double[] p = LossCheck.toDouble(x)[0];
        double[] z = new double[p.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = x[0][i] + noise[i];
        }
        LossCheck.assertRelativeClose(reference(p, z, B, D), r.value(), 1e-5);
        LossCheck.assertGradientsClose(LossCheck.finiteDifference(v -> reference(v[0], z, B, D), new double[][] {p}, 1e-4),
                r.gradients(), 2e-3);
    }

    /** L + L̃ of the paper: summed, not averaged. */
    @Test
    void symmetricSumsBothViewOrders() {
        float[][] x = LossCheck.gaussian(6, SHAPE, SHAPE, SHAPE, SHAPE); // p1, p2, target1, target2
        double[][] d = LossCheck.toDouble(x);
        double expected = reference(d[0], d[3], B, D) + reference(d[1], d[2], B, D);
        double actual = LossCheck.evaluate((tf, in) -> NormalizedMseLoss.symmetric(tf, in.get(0), in.get(1),
                        InfoNceLossTest.constant(tf, x[2], B, D), InfoNceLossTest.constant(tf, x[3], B, D)),
                new float[][] {x[0], x[1]}, new long[][] {SHAPE, SHAPE}).value();
        LossCheck.assertRelativeClose(expected, actual, 1e-5);
    }

    /** Same direction (any length) is the minimum 0, the opposite direction the maximum 4. */
    @Test
    void alignedPredictionsGiveZeroAndOppositeOnesFour() {
        float[] z = LossCheck.gaussian(7, SHAPE)[0];
        float[] scaled = new float[z.length];
        float[] opposite = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            scaled[i] = z[i] * (1 + i / D); // a different length per row
            opposite[i] = -z[i] * 0.3f;
        }
        assertEquals(0, tf(scaled, z).value(), 1e-6);
        assertEquals(4, tf(opposite, z).value(), 1e-5);
        double unrelated = tf(LossCheck.gaussian(8, SHAPE)[0], z).value();
        assertTrue(unrelated > 0.1 && unrelated < 3.9, "unrelated vectors lie strictly between: " + unrelated);
    }
}
