package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class FixMatchLossTest {
    private static final int B = 3;
    private static final int M = 6;
    private static final int K = 4;

    private static double[] softmax(double[] x, int row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, x[row * k + j]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(x[row * k + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** −log softmax(x_row)[cls]. */
    private static double ce(double[] x, int row, int k, int cls) {
        return -Math.log(softmax(x, row, k)[cls]);
    }

    /** Eqs. 2–4 in plain Java; x = {labelled logits, one-hot labels, weak logits, strong logits}. Returns {L, ℓ_s, ℓ_u, mask rate}. */
    static double[] reference(double[][] x, double tau, double lambda) {
        double ls = 0;
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < K; j++) {
                if (x[1][b * K + j] == 1) {
                    ls += ce(x[0], b, K, j) / B;
                }
            }
        }
        double lu = 0;
        double masked = 0;
        for (int u = 0; u < M; u++) {
            double[] q = softmax(x[2], u, K);
            int arg = 0;
            for (int j = 1; j < K; j++) {
                if (q[j] > q[arg]) {
                    arg = j;
                }
            }
            if (q[arg] >= tau) {
                masked++;
                lu += ce(x[3], u, K, arg) / M;
            }
        }
        return new double[] {ls + lambda * lu, ls, lu, masked / M};
    }

    /** Half the weak rows confident (one logit raised by 6), half not; labels one-hot. */
    private static float[][] inputs(long seed) {
        float[][] in = LossCheck.gaussian(seed, new long[] {B, K}, new long[] {B, K}, new long[] {M, K}, new long[] {M, K});
        java.util.Arrays.fill(in[1], 0f);
        for (int b = 0; b < B; b++) {
            in[1][b * K + (b % K)] = 1f;
        }
        for (int u = 0; u < M; u += 2) {
            in[2][u * K + (u % K)] += 6f;
        }
        return in;
    }

    private static final long[][] SHAPES = {{B, K}, {B, K}, {M, K}, {M, K}};

    /**
     * One term of the Terms, plus 0·Σ of every input: same value, but each input has a fetchable
     * gradient (TF refuses the gradient of an input cut off by StopGradient or unused by a term).
     */
    private static LossCheck.Result tf(float[][] in, double tau, double lambda, Function<FixMatchLoss.Terms, Operand<TFloat32>> pick) {
        return LossCheck.evaluate((tf, v) -> {
            FixMatchLoss.Terms t = FixMatchLoss.build(tf, v.get(0), v.get(1), v.get(2), v.get(3), tau, lambda);
            Operand<TFloat32> anchor = tf.math.add(tf.math.add(TensorMath.sum(tf, v.get(0)), TensorMath.sum(tf, v.get(1))),
                    tf.math.add(TensorMath.sum(tf, v.get(2)), TensorMath.sum(tf, v.get(3))));
            return tf.math.add(pick.apply(t), tf.math.mul(tf.constant(0f), anchor));
        }, in, SHAPES);
    }

    @Test
    void valueAndMaskRateMatchTheReference() {
        float[][] in = inputs(31);
        double[] ref = reference(LossCheck.toDouble(in), 0.95, 1.0);
        assertTrue(ref[3] > 0 && ref[3] < 1, "some but not all rows confident: " + ref[3]);
        assertTrue(ref[2] > 0.01, "the unlabeled term contributes: " + ref[2]);
        LossCheck.assertRelativeClose(ref[0], tf(in, 0.95, 1.0, FixMatchLoss.Terms::loss).value(), 1e-5);
        LossCheck.assertRelativeClose(ref[1], tf(in, 0.95, 1.0, FixMatchLoss.Terms::supervised).value(), 1e-5);
        LossCheck.assertRelativeClose(ref[2], tf(in, 0.95, 1.0, FixMatchLoss.Terms::unsupervised).value(), 1e-5);
        assertEquals(ref[3], tf(in, 0.95, 1.0, FixMatchLoss.Terms::maskRate).value(), 1e-6);
    }

    @Test
    void thresholdAndWeightActAsInEquationFour() {
        float[][] in = inputs(32);
        double[] x0 = reference(LossCheck.toDouble(in), 0.0, 2.5);
        // τ = 0: every pseudo-label is kept; λ_u scales ℓ_u exactly.
        assertEquals(1.0, tf(in, 0.0, 2.5, FixMatchLoss.Terms::maskRate).value(), 0);
        LossCheck.assertRelativeClose(x0[1] + 2.5 * x0[2], tf(in, 0.0, 2.5, FixMatchLoss.Terms::loss).value(), 1e-5);
        // τ = 1: no softmax of these logits reaches 1, so L = ℓ_s.
        assertEquals(0.0, tf(in, 1.0, 2.5, FixMatchLoss.Terms::maskRate).value(), 0);
        LossCheck.assertRelativeClose(x0[1], tf(in, 1.0, 2.5, FixMatchLoss.Terms::loss).value(), 1e-5);
    }

    /**
     * Finite differences of the reference for the labelled and strong logits; the weak logits
     * (pseudo-labels and mask) get exactly zero gradient, the stop-gradient of the pseudo-label branch.
     */
    @Test
    void gradientFlowsIntoLabelledAndStrongLogitsOnly() {
        float[][] in = inputs(33);
        double[][] x = LossCheck.toDouble(in);
        float[][] grads = tf(in, 0.95, 1.5, FixMatchLoss.Terms::loss).gradients();
        double[][] fd = LossCheck.finiteDifference(q -> reference(new double[][] {q[0], x[1], x[2], q[1]}, 0.95, 1.5)[0],
                new double[][] {x[0], x[3]}, 1e-4);
        LossCheck.assertGradientsClose(fd, new float[][] {grads[0], grads[3]}, 2e-3);
        double strong = 0;
        for (double g : fd[1]) {
            strong = Math.max(strong, Math.abs(g));
        }
        assertTrue(strong > 1e-2, "the strong logits of confident rows get a real gradient: " + strong);
        for (float g : grads[2]) {
            assertEquals(0f, g, 0f, "no gradient through the pseudo-label branch");
        }
        // Masked-out rows (not confident) contribute nothing to the strong gradient either.
        double[] q = softmax(x[2], 1, K);
        double top = 0;
        for (double p : q) {
            top = Math.max(top, p);
        }
        assertTrue(top < 0.95, "row 1 is below the threshold: " + top);
        for (int j = 0; j < K; j++) {
            assertEquals(0f, grads[3][K + j], 0f, "masked row gets no gradient");
        }
    }
}
