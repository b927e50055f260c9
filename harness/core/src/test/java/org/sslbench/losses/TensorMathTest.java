package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

/** TensorMath's plugin-facing helpers against plain Java, with the testkit (value and gradient). */
class TensorMathTest {
    /** Σ_rows log Σ_j exp(x_ij), in double with the max shift. */
    private static double logSumExpSum(double[] x, int n, int k) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, x[i * k + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(x[i * k + j] - max);
            }
            total += max + Math.log(s);
        }
        return total;
    }

    @Test
    void logSumExpMatchesJavaInValueAndGradientAndStaysFiniteAtLargeLogits() {
        int n = 3;
        int k = 5;
        LossCheck check = LossCheck.of((tf, in) -> TensorMath.sum(tf, TensorMath.logSumExp(tf, in.get(0))),
                LossCheck.shape(n, k));
        float[][] x = check.gaussian(4);
        check.assertValue(x, v -> logSumExpSum(v[0], n, k));
        check.assertGradient(x, v -> logSumExpSum(v[0], n, k));
        float[][] large = {x[0].clone()};
        for (int i = 0; i < large[0].length; i++) {
            large[0][i] *= 200; // exp(±400) overflows float32 without the shift
        }
        double value = check.value(large);
        assertTrue(Double.isFinite(value), "log-sum-exp of logits ±400: " + value);
        check.assertValue(large, v -> logSumExpSum(v[0], n, k));
    }

    @Test
    void l2NormalizeAndDiagonalMatchJava() {
        int n = 3;
        int d = 4;
        // Σ_i diag(ẑ ẑᵀ)_i · c_i with c_i = i + 1: the diagonal of unit rows is 1, so the value is Σ c_i
        LossCheck check = LossCheck.of((tf, in) -> {
            var z = TensorMath.l2Normalize(tf, in.get(0));
            var gram = tf.linalg.matMul(z, in.get(1), org.tensorflow.op.linalg.MatMul.transposeB(true));
            return TensorMath.sum(tf, tf.math.mul(TensorMath.diagonal(tf, gram, n), tf.constant(new float[] {1, 2, 3})));
        }, LossCheck.shape(n, d), LossCheck.shape(n, d));
        LossCheck.Reference ref = v -> {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double norm = 0;
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    norm += v[0][i * d + j] * v[0][i * d + j];
                }
                for (int j = 0; j < d; j++) {
                    dot += v[0][i * d + j] / Math.sqrt(norm) * v[1][i * d + j];
                }
                total += (i + 1) * dot;
            }
            return total;
        };
        float[][] x = check.gaussian(9);
        check.assertValue(x, ref);
        check.assertGradient(x, ref);
    }
}
