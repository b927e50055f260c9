package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class SwavLossTest {
    private static final int B = 5;
    private static final int K = 6;

    /**
     * main_swav.py@5e073db0 in double: for each code crop s, −mean_b Σ_k q_s log softmax(x_t/τ)
     * summed over the crops t ≠ s and divided by V − 1; the result averaged over the code crops.
     */
    static double reference(double[][] scores, double[][] codes, double tau) {
        int views = scores.length;
        double loss = 0;
        for (int s = 0; s < codes.length; s++) {
            double sub = 0;
            for (int t = 0; t < views; t++) {
                if (t == s) {
                    continue;
                }
                double mean = 0;
                for (int b = 0; b < B; b++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < K; k++) {
                        max = Math.max(max, scores[t][b * K + k] / tau);
                    }
                    double norm = 0;
                    for (int k = 0; k < K; k++) {
                        norm += Math.exp(scores[t][b * K + k] / tau - max);
                    }
                    double logNorm = max + Math.log(norm);
                    for (int k = 0; k < K; k++) {
                        mean -= codes[s][b * K + k] * (scores[t][b * K + k] / tau - logNorm);
                    }
                }
                sub += mean / B;
            }
            loss += sub / (views - 1);
        }
        return loss / codes.length;
    }

    private static long[][] shapes(int n) {
        long[][] s = new long[n][];
        for (int i = 0; i < n; i++) {
            s[i] = new long[] {B, K};
        }
        return s;
    }

    /** Rows that are distributions over K (softmax of Gaussians), as Sinkhorn codes are. */
    private static float[][] distributions(long seed, int n) {
        float[][] x = LossCheck.gaussian(seed, shapes(n));
        for (float[] m : x) {
            for (int b = 0; b < B; b++) {
                double sum = 0;
                for (int k = 0; k < K; k++) {
                    sum += Math.exp(m[b * K + k]);
                }
                for (int k = 0; k < K; k++) {
                    m[b * K + k] = (float) (Math.exp(m[b * K + k]) / sum);
                }
            }
        }
        return x;
    }

    private static Operand<TFloat32> constant(Ops tf, float[] values) {
        return tf.reshape(tf.constant(values), tf.constant(new long[] {B, K}));
    }

    /** Scores fed, codes constants. */
    private static LossCheck.Result withFixedCodes(float[][] scores, float[][] codes, double tau) {
        return LossCheck.evaluate((tf, in) -> {
            List<Operand<TFloat32>> q = new ArrayList<>();
            for (float[] c : codes) {
                q.add(constant(tf, c));
            }
            return SwavLoss.loss(tf, in, q, tau);
        }, scores, shapes(scores.length));
    }

    @Test
    void valueMatchesSwavsLoss() {
        for (int views : new int[] {2, 4}) {
            for (long seed : new long[] {1, 2}) {
                float[][] scores = LossCheck.gaussian(seed, shapes(views));
                float[][] codes = distributions(seed + 100, 2);
                for (double tau : new double[] {0.1, 0.5}) {
                    LossCheck.assertRelativeClose(reference(LossCheck.toDouble(scores), LossCheck.toDouble(codes), tau),
                            withFixedCodes(scores, codes, tau).value(), 1e-5);
                }
            }
        }
        // one code crop (swav's crops_for_assign [0]) with three crops
        float[][] scores = LossCheck.gaussian(3, shapes(3));
        float[][] codes = distributions(4, 1);
        float value = FeedAndFetch.run((tf, in) -> SwavLoss.loss(tf, in, List.of(constant(tf, codes[0])), 0.1), scores,
                shapes(3))[0]; // crop 0 predicts nothing here, so no gradient check
        LossCheck.assertRelativeClose(reference(LossCheck.toDouble(scores), LossCheck.toDouble(codes), 0.1), value, 1e-5);
    }

    @Test
    void gradientWithRespectToTheScoresMatchesFiniteDifferences() {
        double tau = 0.5;
        for (int views : new int[] {2, 4}) {
            float[][] scores = LossCheck.gaussian(7, shapes(views));
            float[][] codes = distributions(8, 2);
            double[][] q = LossCheck.toDouble(codes);
            double[][] fd = LossCheck.finiteDifference(x -> reference(x, q, tau), LossCheck.toDouble(scores), 1e-4);
            LossCheck.assertGradientsClose(fd, withFixedCodes(scores, codes, tau).gradients(), 2e-3);
        }
    }

    /**
     * Codes computed in the graph from the code crops' own scores (as the method does): TF's
     * gradient equals the finite differences of the loss with the codes held at their values, not of
     * the loss with the codes recomputed from the perturbed scores, which differ (so this can fail).
     */
    @Test
    void noGradientFlowsThroughTheCodes() {
        double tau = 0.1;
        double eps = 0.05;
        int iterations = 3;
        int views = 3;
        float[][] scores = LossCheck.gaussian(11, shapes(views));
        for (float[] m : scores) {
            for (int i = 0; i < m.length; i++) {
                m[i] *= 0.3f; // cosine-sized
            }
        }
        LossCheck.Result r = LossCheck.evaluate((tf, in) -> SwavLoss.loss(tf, in,
                List.of(SinkhornKnopp.codes(tf, in.get(0), eps, iterations), SinkhornKnopp.codes(tf, in.get(1), eps, iterations)),
                tau), scores, shapes(views));
        double[][] x = LossCheck.toDouble(scores);
        double[][] fixed = {SinkhornKnoppTest.reference(x[0], B, K, eps, iterations),
                SinkhornKnoppTest.reference(x[1], B, K, eps, iterations)};
        LossCheck.assertRelativeClose(reference(x, fixed, tau), r.value(), 1e-4);
        double[][] heldCodes = LossCheck.finiteDifference(s -> reference(s, fixed, tau), x, 1e-4);
        LossCheck.assertGradientsClose(heldCodes, r.gradients(), 2e-3);
        double[][] throughCodes = LossCheck.finiteDifference(s -> reference(s, new double[][] {
                SinkhornKnoppTest.reference(s[0], B, K, eps, iterations),
                SinkhornKnoppTest.reference(s[1], B, K, eps, iterations)}, tau), x, 1e-4);
        double differs = 0;
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < throughCodes[v].length; i++) {
                differs = Math.max(differs, Math.abs(throughCodes[v][i] - heldCodes[v][i]));
            }
        }
        assertTrue(differs > 1e-2, "a gradient through the codes would be visible here: " + differs);
    }

    @Test
    void refusesTooFewCropsCodesOrATemperatureOfZero() {
        float[][] one = LossCheck.gaussian(1, shapes(1));
        assertThrows(IllegalArgumentException.class, () -> withFixedCodes(one, distributions(2, 1), 0.1));
        float[][] two = LossCheck.gaussian(1, shapes(2));
        assertThrows(IllegalArgumentException.class, () -> withFixedCodes(two, new float[0][], 0.1));
        assertThrows(IllegalArgumentException.class, () -> withFixedCodes(two, distributions(2, 3), 0.1));
        assertThrows(IllegalArgumentException.class, () -> withFixedCodes(two, distributions(2, 2), 0));
    }
}
