package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

class BarlowTwinsLossTest {
    /**
     * Paper eq. 2 read directly: C_ij = Σ_b z¹_bi z²_bj / (√Σ_b (z¹_bi)² · √Σ_b (z²_bj)²) on
     * batch-centred columns, with the BatchNorm ε added to each mean square (N·ε to each sum of
     * squares; ε = 0 is eq. 2 exactly). Returns {invariance, redundancy, total} of eq. 1.
     */
    static double[] reference(double[] a, double[] b, int n, int d, double lambda, double eps) {
        double[][] ca = centredColumns(a, n, d);
        double[][] cb = centredColumns(b, n, d);
        double invariance = 0;
        double redundancy = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double dot = 0;
                double sa = 0;
                double sb = 0;
                for (int r = 0; r < n; r++) {
                    dot += ca[i][r] * cb[j][r];
                    sa += ca[i][r] * ca[i][r];
                    sb += cb[j][r] * cb[j][r];
                }
                double c = dot / (Math.sqrt(sa + n * eps) * Math.sqrt(sb + n * eps));
                if (i == j) {
                    invariance += (1 - c) * (1 - c);
                } else {
                    redundancy += c * c;
                }
            }
        }
        return new double[] {invariance, redundancy, invariance + lambda * redundancy};
    }

    /** Column j of a row-major n×d matrix minus its mean, as cols[j][row]. */
    private static double[][] centredColumns(double[] x, int n, int d) {
        double[][] cols = new double[d][n];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int r = 0; r < n; r++) {
                mean += x[r * d + j] / n;
            }
            for (int r = 0; r < n; r++) {
                cols[j][r] = x[r * d + j] - mean;
            }
        }
        return cols;
    }

    private static LossCheck.Result tf(float[][] in, int n, int d, double lambda, int term) {
        long[] shape = {n, d};
        return LossCheck.evaluate((tf, z) -> {
            BarlowTwinsLoss.Terms t = BarlowTwinsLoss.build(tf, z.get(0), z.get(1), lambda);
            return term == 0 ? t.invariance() : term == 1 ? t.redundancy() : t.total();
        }, in, new long[][] {shape, shape});
    }

    @Test
    void invarianceRedundancyAndTotalMatchTheReference() {
        int n = 8;
        int d = 5;
        float[][] in = LossCheck.gaussian(1, new long[] {n, d}, new long[] {n, d});
        for (int i = 0; i < in[1].length; i++) {
            in[1][i] = in[0][i] + 0.5f * in[1][i]; // correlated views, as two augmentations would be
        }
        double[][] x = LossCheck.toDouble(in);
        for (double lambda : new double[] {BarlowTwinsLoss.DEFAULT_LAMBDA, 0.3}) {
            double[] ref = reference(x[0], x[1], n, d, lambda, BarlowTwinsLoss.BN_EPSILON);
            for (int term = 0; term < 3; term++) {
                LossCheck.assertRelativeClose(ref[term], tf(in, n, d, lambda, term).value(), 1e-5);
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheReference() {
        int n = 6;
        int d = 3;
        double lambda = 0.5; // large enough that the off-diagonal gradient is not lost in the tolerance
        float[][] in = LossCheck.gaussian(2, new long[] {n, d}, new long[] {n, d});
        LossCheck.Reference ref = x -> reference(x[0], x[1], n, d, lambda, BarlowTwinsLoss.BN_EPSILON)[2];
        LossCheck.assertGradientsClose(LossCheck.finiteDifference(ref, LossCheck.toDouble(in), 1e-4),
                tf(in, n, d, lambda, 2).gradients(), 2e-3);
    }

    @Test
    void perfectlyCorrelatedViewsLeaveOnlyTheRedundancyOfTheirDimensions() {
        int n = 16;
        int d = 4;
        float[][] in = LossCheck.gaussian(3, new long[] {n, d}, new long[] {n, d});
        for (int r = 0; r < n; r++) {
            in[0][r * d + 1] += in[0][r * d]; // make dims 0 and 1 correlated
            for (int j = 0; j < d; j++) {
                in[1][r * d + j] = (j + 0.5f) * in[0][r * d + j] - j; // positive affine map per dim
            }
        }
        double lambda = 0.1;
        // Expected: C_ii = 1, C_ij = Pearson correlation ρ_ij of the first view's dims, computed here
        // with the unbiased formula (the 1/(n−1) cancels).
        double[][] c = centredColumns(LossCheck.toDouble(in)[0], n, d);
        double offDiagonal = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (i != j) {
                    double rho = covariance(c[i], c[j]) / Math.sqrt(covariance(c[i], c[i]) * covariance(c[j], c[j]));
                    offDiagonal += rho * rho;
                }
            }
        }
        assertTrue(offDiagonal > 0.5, "dims 0 and 1 should be strongly correlated: " + offDiagonal);
        LossCheck.assertRelativeClose(lambda * offDiagonal, tf(in, n, d, lambda, 2).value(), 1e-4);
        assertEquals(0, tf(in, n, d, lambda, 0).value(), 1e-6, "the invariance term vanishes");
    }

    private static double covariance(double[] x, double[] y) {
        double s = 0;
        for (int r = 0; r < x.length; r++) {
            s += x[r] * y[r];
        }
        return s / (x.length - 1);
    }

    @Test
    void decorrelatedIdenticalViewsCostNothingAndSwappedDimensionsCostDTimesOnePlusLambda() {
        // Columns 1..4 of the 8×8 Sylvester–Hadamard matrix: zero mean, mutually orthogonal.
        int n = 8;
        int d = 4;
        float[] same = new float[n * d];
        float[] shifted = new float[n * d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                same[r * d + j] = 3f * hadamard(r, j + 1);
                shifted[r * d + j] = 3f * hadamard(r, (j + 1) % d + 1); // view 2 dim j = view 1 dim j+1
            }
        }
        double lambda = 0.1;
        assertEquals(0, tf(new float[][] {same, same}, n, d, lambda, 2).value(), 1e-5);
        // C is then a permutation matrix without fixed points: every C_ii = 0, d entries C_ij = 1.
        LossCheck.assertRelativeClose(d * (1 + lambda), tf(new float[][] {same, shifted}, n, d, lambda, 2).value(), 1e-4);
    }

    /** Entry (r, c) of the Sylvester–Hadamard matrix: (−1)^popcount(r AND c). */
    private static float hadamard(int r, int c) {
        return Integer.bitCount(r & c) % 2 == 0 ? 1f : -1f;
    }
}
