package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

class VicregLossTest {
    private static final double EPS = VicregLoss.DEFAULT_EPSILON;

    /** The paper's eqs. 1–6 for row-major n×d embeddings: {s, v(Z)+v(Z'), c(Z)+c(Z'), total}. */
    static double[] reference(double[] z, double[] zp, int n, int d, double lambda, double mu, double nu, double gamma) {
        double s = 0;
        for (int k = 0; k < n * d; k++) {
            s += (z[k] - zp[k]) * (z[k] - zp[k]);
        }
        s /= n * d; // mean over batch and dims, as the official code's F.mse_loss
        double v = variance(z, n, d, gamma) + variance(zp, n, d, gamma);
        double c = covariance(z, n, d) + covariance(zp, n, d);
        return new double[] {s, v, c, lambda * s + mu * v + nu * c};
    }

    /** Eq. 1–2: (1/d) Σ_j max(0, γ − √(Var(z^j) + ε)), Var unbiased. */
    private static double variance(double[] z, int n, int d, double gamma) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += z[i * d + j] / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (z[i * d + j] - mean) * (z[i * d + j] - mean) / (n - 1);
            }
            sum += Math.max(0, gamma - Math.sqrt(var + EPS));
        }
        return sum / d;
    }

    /** Eq. 3–4: (1/d) Σ_{i≠j} C_ij², C = Σ_b (z_b − z̄)(z_b − z̄)ᵀ / (n − 1). */
    private static double covariance(double[] z, int n, int d) {
        double[] mean = new double[d];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < d; j++) {
                mean[j] += z[b * d + j] / n;
            }
        }
        double sum = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (i == j) {
                    continue;
                }
                double cij = 0;
                for (int b = 0; b < n; b++) {
                    cij += (z[b * d + i] - mean[i]) * (z[b * d + j] - mean[j]) / (n - 1);
                }
                sum += cij * cij;
            }
        }
        return sum / d;
    }

    private static LossCheck.Result tf(float[][] in, int n, int d, double[] weights, double gamma, int term) {
        long[] shape = {n, d};
        return LossCheck.evaluate((tf, z) -> {
            VicregLoss.Terms t = VicregLoss.build(tf, z.get(0), z.get(1), weights[0], weights[1], weights[2], gamma, EPS);
            return switch (term) {
                case 0 -> t.invariance();
                case 1 -> t.variance();
                case 2 -> t.covariance();
                default -> t.total();
            };
        }, in, new long[][] {shape, shape});
    }

    private static final double[] PAPER = {25, 25, 1};

    @Test
    void everyTermAndTheTotalMatchTheReference() {
        int n = 8;
        int d = 5;
        float[][] in = LossCheck.gaussian(11, new long[] {n, d}, new long[] {n, d});
        for (int i = 0; i < in[1].length; i++) {
            in[1][i] = in[0][i] + 0.5f * in[1][i];
        }
        double[][] x = LossCheck.toDouble(in);
        double[] ref = reference(x[0], x[1], n, d, PAPER[0], PAPER[1], PAPER[2], 1.0);
        for (int term = 0; term < 4; term++) {
            LossCheck.assertRelativeClose(ref[term], tf(in, n, d, PAPER, 1.0, term).value(), 1e-5);
        }
    }

    @Test
    void gradientOfEachTermMatchesFiniteDifferencesOfTheReference() {
        int n = 6;
        int d = 3;
        float[][] in = LossCheck.gaussian(12, new long[] {n, d}, new long[] {n, d});
        for (float[] v : in) {
            for (int i = 0; i < v.length; i++) {
                v[i] *= 0.5f; // every std well below γ = 1: the hinge is active and away from its kink
            }
        }
        // Term by term, so a small term's wrong gradient cannot hide under a larger one's.
        for (int term = 0; term < 4; term++) {
            int t = term;
            LossCheck.Reference ref = x -> reference(x[0], x[1], n, d, PAPER[0], PAPER[1], PAPER[2], 1.0)[t];
            LossCheck.assertGradientsClose(LossCheck.finiteDifference(ref, LossCheck.toDouble(in), 1e-4),
                    tf(in, n, d, PAPER, 1.0, term).gradients(), 2e-3);
        }
    }

    @Test
    void collapsedBatchPaysTheFullVarianceHingeInEveryDimension() {
        int n = 8;
        int d = 4;
        float[] row = LossCheck.gaussian(13, new long[] {d})[0];
        float[] collapsed = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(row, 0, collapsed, i * d, d);
        }
        float[][] in = {collapsed, collapsed};
        for (double gamma : new double[] {1.0, 2.0}) {
            // Var = 0 in every dim, so each branch's v = γ − √ε exactly; nothing co-varies; views agree.
            double perBranch = gamma - Math.sqrt(EPS);
            assertEquals(2 * perBranch, tf(in, n, d, PAPER, gamma, 1).value(), 1e-6);
            assertEquals(0, tf(in, n, d, PAPER, gamma, 2).value(), 1e-9);
            assertEquals(0, tf(in, n, d, PAPER, gamma, 0).value(), 1e-9);
            LossCheck.assertRelativeClose(PAPER[1] * 2 * perBranch, tf(in, n, d, PAPER, gamma, 3).value(), 1e-6);
        }
    }

    @Test
    void spreadBatchPaysNoVarianceTerm() {
        int n = 16;
        int d = 4;
        float[][] in = LossCheck.gaussian(14, new long[] {n, d}, new long[] {n, d});
        for (float[] v : in) {
            for (int i = 0; i < v.length; i++) {
                v[i] *= 10f; // every std far above γ = 1
            }
        }
        assertEquals(0, tf(in, n, d, PAPER, 1.0, 1).value(), 0.0);
    }
}
