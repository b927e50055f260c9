package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

class SinkhornKnoppTest {
    private static final int B = 6;
    private static final int K = 4;

    /**
     * facebookresearch/swav main_swav.py@5e073db0 {@code distributed_sinkhorn} in double, in its own
     * [K, B] orientation and without any shift: Q = exp(out/ε)ᵀ, Q /= ΣQ, then per iteration rows
     * /= row sums and /K, columns /= column sums and /B; Q *= B; returned transposed, [B, K].
     */
    static double[] reference(double[] scores, int b, int k, double epsilon, int iterations) {
        double[][] q = new double[k][b];
        double total = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                q[j][i] = Math.exp(scores[i * k + j] / epsilon);
                total += q[j][i];
            }
        }
        for (double[] row : q) {
            for (int i = 0; i < b; i++) {
                row[i] /= total;
            }
        }
        for (int it = 0; it < iterations; it++) {
            for (double[] row : q) {
                double sum = 0;
                for (double v : row) {
                    sum += v;
                }
                for (int i = 0; i < b; i++) {
                    row[i] = row[i] / sum / k;
                }
            }
            for (int i = 0; i < b; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += q[j][i];
                }
                for (int j = 0; j < k; j++) {
                    q[j][i] = q[j][i] / sum / b;
                }
            }
        }
        double[] out = new double[b * k];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = q[j][i] * b;
            }
        }
        return out;
    }

    private static float[] tfCodes(float[] scores, int b, int k, double epsilon, int iterations) {
        return FeedAndFetch.run((tf, in) -> SinkhornKnopp.codes(tf, in.get(0), epsilon, iterations),
                new float[][] {scores}, new long[][] {{b, k}});
    }

    private static float[] scaled(long seed, int b, int k, double scale) {
        float[] s = LossCheck.gaussian(seed, new long[] {b, k})[0];
        for (int i = 0; i < s.length; i++) {
            s[i] *= (float) scale;
        }
        return s;
    }

    private static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * Math.max(1e-3, Math.abs(expected[i])),
                    "entry " + i + ": reference " + expected[i] + " vs TF " + actual[i]);
        }
    }

    @Test
    void codesMatchSwavsSinkhornInDouble() {
        for (long seed : new long[] {1, 2}) {
            // scores of cosine size as SwAV's normalised prototypes give, and larger ones
            for (double scale : new double[] {0.4, 2.0}) {
                float[] s = scaled(seed, B, K, scale);
                double[] x = LossCheck.toDouble(new float[][] {s})[0];
                for (double eps : new double[] {0.05, 0.5}) {
                    for (int iterations : new int[] {1, 3}) {
                        assertClose(reference(x, B, K, eps, iterations), tfCodes(s, B, K, eps, iterations), 1e-4);
                    }
                }
            }
        }
    }

    /**
     * Scores of 10 with ε 0.05 make exp(200) = 7e86, which overflows float32 in swav's unshifted
     * form; the max shift gives the finite codes the double computation gives.
     */
    @Test
    void largeScoresOverSmallEpsilonStayFinite() {
        float[] s = scaled(3, B, K, 10);
        float[] codes = tfCodes(s, B, K, 0.05, 3);
        for (float v : codes) {
            assertTrue(Float.isFinite(v), "finite codes");
        }
        assertClose(reference(LossCheck.toDouble(new float[][] {s})[0], B, K, 0.05, 3), codes, 1e-4);
    }

    /**
     * Every sample's code sums to 1 after any number of iterations (the last normalisation is per
     * sample), and each prototype's total approaches B/K, the equipartition of eq. 3, as the
     * iterations grow; a single iteration is still far from it on peaked scores.
     */
    @Test
    void marginalsAreUniform() {
        float[] s = scaled(5, B, K, 1.0);
        for (int iterations : new int[] {3, 200}) {
            float[] q = tfCodes(s, B, K, 0.1, iterations);
            for (int i = 0; i < B; i++) {
                double row = 0;
                for (int j = 0; j < K; j++) {
                    assertTrue(q[i * K + j] >= 0);
                    row += q[i * K + j];
                }
                assertEquals(1.0, row, 1e-5, "sample " + i);
            }
            if (iterations == 200) {
                for (int j = 0; j < K; j++) {
                    double column = 0;
                    for (int i = 0; i < B; i++) {
                        column += q[i * K + j];
                    }
                    assertEquals((double) B / K, column, 1e-3, "prototype " + j);
                }
            }
        }
        // without the iterations' balancing, peaked scores are far from equipartition
        float[] q = tfCodes(scaled(5, B, K, 1.0), B, K, 0.02, 1);
        double worst = 0;
        double[] noBalance = reference(LossCheck.toDouble(new float[][] {s})[0], B, K, 0.02, 1);
        for (int j = 0; j < K; j++) {
            double column = 0;
            for (int i = 0; i < B; i++) {
                column += q[i * K + j];
            }
            worst = Math.max(worst, Math.abs(column - (double) B / K));
        }
        assertClose(noBalance, q, 1e-4);
        assertTrue(worst > 0.05, "one iteration leaves the prototype totals unbalanced: " + worst);
    }

    /** Inactive rows get zero codes and the active ones are exactly the codes of the active rows alone. */
    @Test
    void inactiveRowsAreLeftOut() {
        float[] s = scaled(7, B, K, 1.0);
        float[] active = {1, 0, 1, 1, 0, 1};
        float[] got = FeedAndFetch.run((tf, in) -> SinkhornKnopp.codes(tf, in.get(0), in.get(1), 0.05, 3),
                new float[][] {s, active}, new long[][] {{B, K}, {B}});
        int n = 4;
        double[] kept = new double[n * K];
        int r = 0;
        for (int i = 0; i < B; i++) {
            if (active[i] == 1) {
                for (int j = 0; j < K; j++) {
                    kept[r * K + j] = s[i * K + j];
                }
                r++;
            }
        }
        double[] expected = reference(kept, n, K, 0.05, 3);
        r = 0;
        for (int i = 0; i < B; i++) {
            for (int j = 0; j < K; j++) {
                if (active[i] == 1) {
                    assertEquals(expected[r * K + j], got[i * K + j], 1e-4 * Math.max(1e-3, expected[r * K + j]), "row " + i);
                } else {
                    assertEquals(0f, got[i * K + j], "left-out row " + i);
                }
            }
            if (active[i] == 1) {
                r++;
            }
        }
        // all rows active: the plain codes
        float[] all = FeedAndFetch.run((tf, in) -> SinkhornKnopp.codes(tf, in.get(0), in.get(1), 0.05, 3),
                new float[][] {s, {1, 1, 1, 1, 1, 1}}, new long[][] {{B, K}, {B}});
        assertClose(reference(LossCheck.toDouble(new float[][] {s})[0], B, K, 0.05, 3), all, 1e-4);
    }

    /** A batch whose size is only known when fed (the harness's view placeholders are [-1, h, w, c]). */
    @Test
    void aBatchOfDynamicSizeGivesTheSameCodes() {
        float[] s = scaled(9, B, K, 1.0);
        float[] got;
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session session = new org.tensorflow.Session(g);
             org.tensorflow.types.TFloat32 t = org.sslbench.engine.Tensors.floats(s, B, K)) {
            org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
            var in = tf.placeholder(org.tensorflow.types.TFloat32.class,
                    org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, K)));
            try (var r = session.runner().feed(in, t).fetch(SinkhornKnopp.codes(tf, in, 0.05, 3)).run()) {
                got = org.sslbench.engine.Tensors.toFloats((org.tensorflow.types.TFloat32) r.get(0));
            }
        }
        assertClose(reference(LossCheck.toDouble(new float[][] {s})[0], B, K, 0.05, 3), got, 1e-4);
    }

    @Test
    void refusesNonPositiveEpsilonAndZeroIterations() {
        assertThrows(IllegalArgumentException.class, () -> tfCodes(new float[B * K], B, K, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> tfCodes(new float[B * K], B, K, 0.05, 0));
    }
}
