package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class NegativeCosineLossTest {
    /** Eq. 1: D(p, z) = −(p/‖p‖)·(z/‖z‖), averaged over the n rows of row-major n×d inputs. */
    static double d(double[] p, double[] z, int n, int dim) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
            double dot = 0;
            double pp = 0;
            double zz = 0;
            for (int j = 0; j < dim; j++) {
                dot += p[r * dim + j] * z[r * dim + j];
                pp += p[r * dim + j] * p[r * dim + j];
                zz += z[r * dim + j] * z[r * dim + j];
            }
            sum -= dot / Math.sqrt(pp * zz);
        }
        return sum / n;
    }

    /** Eq. 2: L = ½ D(p₁, z₂) + ½ D(p₂, z₁); x = {p1, p2, z1, z2}. */
    static double reference(double[][] x, int n, int dim) {
        return 0.5 * d(x[0], x[3], n, dim) + 0.5 * d(x[1], x[2], n, dim);
    }

    private static LossCheck.Result tf(float[][] in, int n, int dim) {
        long[] s = {n, dim};
        return LossCheck.evaluate((tf, v) -> {
            Operand<TFloat32> loss = NegativeCosineLoss.symmetric(tf, v.get(0), v.get(1), v.get(2), v.get(3));
            // + 0·Σz: same value, but z gets a (zero) gradient path besides the loss's, so TF returns
            // a fetchable gradient for z instead of the "no gradient" marker of a path cut by StopGradient.
            Operand<TFloat32> anchor = tf.math.add(TensorMath.sum(tf, v.get(2)), TensorMath.sum(tf, v.get(3)));
            return tf.math.add(loss, tf.math.mul(tf.constant(0f), anchor));
        }, in, new long[][] {s, s, s, s});
    }

    @Test
    void valueMatchesTheReference() {
        int n = 5;
        int dim = 4;
        float[][] in = LossCheck.gaussian(21, new long[] {n, dim}, new long[] {n, dim}, new long[] {n, dim}, new long[] {n, dim});
        for (int i = 0; i < in[0].length; i++) { // predictions roughly along the other view's target
            in[0][i] += in[3][i];
            in[1][i] += in[2][i];
        }
        double ref = reference(LossCheck.toDouble(in), n, dim);
        assertTrue(ref < -0.3, "the case should be far from 0: " + ref);
        LossCheck.assertRelativeClose(ref, tf(in, n, dim).value(), 1e-5);
    }

    /**
     * The naive derivative of eq. 2 w.r.t. z is not zero (z sits in the cosine), but eq. 3 puts a
     * stop-gradient on z: SimSiam treats z as a constant target, so TF must give exactly zero for z
     * and, for p, the derivative of the reference with z held fixed.
     */
    @Test
    void gradientFlowsOnlyIntoThePredictions() {
        int n = 4;
        int dim = 3;
        float[][] in = LossCheck.gaussian(22, new long[] {n, dim}, new long[] {n, dim}, new long[] {n, dim}, new long[] {n, dim});
        float[][] grads = tf(in, n, dim).gradients();
        for (int z = 2; z < 4; z++) {
            for (float g : grads[z]) {
                assertEquals(0f, g, "the stop-gradient target must receive no gradient");
            }
        }
        double[][] x = LossCheck.toDouble(in);
        double[][] p = {x[0], x[1]};
        double[][] fdP = LossCheck.finiteDifference(
                q -> reference(new double[][] {q[0], q[1], x[2], x[3]}, n, dim), p, 1e-4);
        LossCheck.assertGradientsClose(fdP, new float[][] {grads[0], grads[1]}, 2e-3);
        // Without the stop-gradient z would get this (non-zero) gradient: the zeros above are not vacuous.
        double[][] fdZ = LossCheck.finiteDifference(
                q -> reference(new double[][] {x[0], x[1], q[0], q[1]}, n, dim), new double[][] {x[2], x[3]}, 1e-4);
        double largest = 0;
        for (double[] g : fdZ) {
            for (double v : g) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        assertTrue(largest > 1e-2, "the naive gradient w.r.t. z should be clearly non-zero: " + largest);
    }

    @Test
    void predictionsAlongTheirTargetsGiveTheMinimumMinusOne() {
        int n = 6;
        int dim = 5;
        float[][] z = LossCheck.gaussian(23, new long[] {n, dim}, new long[] {n, dim});
        float[] p1 = new float[n * dim];
        float[] p2 = new float[n * dim];
        float[] anti = new float[n * dim];
        for (int i = 0; i < p1.length; i++) {
            p1[i] = 2.5f * z[1][i]; // cosine ignores positive scale
            p2[i] = z[0][i];
            anti[i] = -z[1][i];
        }
        assertEquals(-1, tf(new float[][] {p1, p2, z[0], z[1]}, n, dim).value(), 1e-6);
        // p₁ = −z₂, p₂ = z₁: ½·(+1) + ½·(−1) = 0 (both cases also fail if p₁ were paired with z₁).
        assertEquals(0, tf(new float[][] {anti, p2, z[0], z[1]}, n, dim).value(), 1e-6);
    }
}
