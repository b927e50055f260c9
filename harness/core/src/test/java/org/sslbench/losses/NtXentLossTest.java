package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

class NtXentLossTest {
    /**
     * SimCLR's Eq. 1 in double, on the paper's own layout: the 2N augmented examples are
     * interleaved (2k, 2k+1 are the two views of image k), sim is cosine similarity and
     * L = 1/(2N) Σ_k [ℓ(2k, 2k+1) + ℓ(2k+1, 2k)].
     */
    static double reference(double[] z1, double[] z2, int n, int d, double tau) {
        double[][] x = new double[2 * n][];
        for (int k = 0; k < n; k++) {
            x[2 * k] = java.util.Arrays.copyOfRange(z1, k * d, (k + 1) * d);
            x[2 * k + 1] = java.util.Arrays.copyOfRange(z2, k * d, (k + 1) * d);
        }
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += ell(x, 2 * k, 2 * k + 1, tau) + ell(x, 2 * k + 1, 2 * k, tau);
        }
        return total / (2 * n);
    }

    private static double ell(double[][] x, int i, int j, double tau) {
        double denominator = 0;
        for (int k = 0; k < x.length; k++) {
            if (k != i) {
                denominator += Math.exp(cosine(x[i], x[k]) / tau);
            }
        }
        return -Math.log(Math.exp(cosine(x[i], x[j]) / tau) / denominator);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double tfLoss(float[][] z, int n, int d, double tau) {
        return LossCheck.evaluate((tf, in) -> NtXentLoss.loss(tf, in.get(0), in.get(1), n, tau), z,
                new long[][] {{n, d}, {n, d}}).value();
    }

    private static float[][] oneHotRows(int n, int[] hot) {
        float[][] z = {new float[n * n], new float[n * n]};
        for (int i = 0; i < n; i++) {
            z[0][i * n + i] = 1;
            z[1][i * n + hot[i]] = 1;
        }
        return z;
    }

    @Test
    void valueMatchesThePaperFormula() {
        int n = 5;
        int d = 6;
        float[][] z = LossCheck.gaussian(11, new long[] {n, d}, new long[] {n, d});
        for (double tau : new double[] {0.1, 0.5}) {
            double expected = reference(LossCheck.toDouble(z)[0], LossCheck.toDouble(z)[1], n, d, tau);
            LossCheck.assertRelativeClose(expected, tfLoss(z, n, d, tau), 1e-5);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheReference() {
        int n = 3;
        int d = 4;
        double tau = 0.2;
        // the plugin-template's few lines: the kit's defaults are step 1e-4, tolerance 2e-3
        LossCheck check = LossCheck.of((tf, in) -> NtXentLoss.loss(tf, in.get(0), in.get(1), n, tau),
                LossCheck.shape(n, d), LossCheck.shape(n, d));
        check.assertGradient(check.gaussian(5), x -> reference(x[0], x[1], n, d, tau));
    }

    @Test
    void permutingTheBatchInBothViewsLeavesTheLossUnchangedButInOneViewDoesNot() {
        int n = 4;
        int d = 3;
        int[] perm = {2, 0, 3, 1};
        float[][] z = LossCheck.gaussian(8, new long[] {n, d}, new long[] {n, d});
        for (int j = 0; j < n * d; j++) {
            z[1][j] = z[0][j] + 0.1f * z[1][j]; // view 2 ≈ view 1, so the pairing matters
        }
        float[][] both = {new float[n * d], new float[n * d]};
        float[][] one = {z[0].clone(), new float[n * d]};
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < 2; v++) {
                System.arraycopy(z[v], perm[i] * d, both[v], i * d, d);
            }
            System.arraycopy(z[1], perm[i] * d, one[1], i * d, d);
        }
        double original = tfLoss(z, n, d, 0.1);
        assertEquals(original, tfLoss(both, n, d, 0.1), 1e-5 * original);
        // mismatching the pairs must change it, or the positives are not where they should be
        assertTrue(tfLoss(one, n, d, 0.1) > original + 0.1, "mispaired views should cost more");
    }

    @Test
    void alignedOrthogonalViewsGiveTheKnownMinimumAndBeatRandomOnes() {
        int n = 4;
        double tau = 0.1;
        float[][] aligned = oneHotRows(n, new int[] {0, 1, 2, 3});
        // positive similarity 1, the 2n−2 negatives 0: ℓ = −1/τ + log(e^{1/τ} + 2n − 2)
        double known = -1 / tau + Math.log(Math.exp(1 / tau) + 2 * n - 2);
        LossCheck.assertRelativeClose(known, tfLoss(aligned, n, n, tau), 1e-5);
        float[][] random = LossCheck.gaussian(3, new long[] {n, n}, new long[] {n, n});
        assertTrue(known < tfLoss(random, n, n, tau) - 1, "aligned " + known + " vs random");
    }

    @Test
    void contrastiveAccuracyCountsRowsWhoseNearestOtherRowIsTheirPositive() {
        int n = 4;
        long[][] shapes = {{n, n}, {n, n}};
        var aligned = oneHotRows(n, new int[] {0, 1, 2, 3});
        assertEquals(1f, FeedAndFetch.run((tf, in) -> NtXentLoss.accuracy(tf, in.get(0), in.get(1), n), aligned, shapes)[0]);
        // view 2 of image i is view 1 of image i+1 (mod n): every nearest row is the wrong image's
        var shifted = oneHotRows(n, new int[] {1, 2, 3, 0});
        assertEquals(0f, FeedAndFetch.run((tf, in) -> NtXentLoss.accuracy(tf, in.get(0), in.get(1), n), shifted, shapes)[0]);
        // two of four images shifted: half of the 2n rows are right
        var half = oneHotRows(n, new int[] {1, 0, 2, 3});
        assertEquals(0.5f, FeedAndFetch.run((tf, in) -> NtXentLoss.accuracy(tf, in.get(0), in.get(1), n), half, shapes)[0]);
    }

    /**
     * SimCLR's Eq. 1 in double as a log-sum-exp (finite at any τ, unlike the exp/log form above, which
     * overflows for τ ≤ 0.0014); cosine with a zero row is 0, matching the ε in the L2 normalisation.
     */
    static double stableReference(double[] z1, double[] z2, int n, int d, double tau) {
        double[][] x = new double[2 * n][];
        for (int k = 0; k < n; k++) {
            x[k] = java.util.Arrays.copyOfRange(z1, k * d, (k + 1) * d);
            x[k + n] = java.util.Arrays.copyOfRange(z2, k * d, (k + 1) * d);
        }
        double total = 0;
        for (int i = 0; i < 2 * n; i++) {
            int positive = i < n ? i + n : i - n;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 2 * n; k++) {
                if (k != i) {
                    max = Math.max(max, safeCosine(x[i], x[k]) / tau);
                }
            }
            double sum = 0;
            for (int k = 0; k < 2 * n; k++) {
                if (k != i) {
                    sum += Math.exp(safeCosine(x[i], x[k]) / tau - max);
                }
            }
            total += max + Math.log(sum) - safeCosine(x[i], x[positive]) / tau;
        }
        return total / (2 * n);
    }

    private static double safeCosine(double[] a, double[] b) {
        double c = cosine(a, b);
        return Double.isNaN(c) ? 0 : c;
    }

    /**
     * Small temperatures (logits up to 1/τ = 1000) and an all-zero projection: TF's fused softmax
     * cross-entropy and the ε-guarded normalisation give a finite loss equal to the double reference.
     */
    @Test
    void smallTemperatureAndZeroRowsGiveTheFiniteReferenceLoss() {
        int n = 4;
        int d = 6;
        float[][] z = LossCheck.gaussian(21, new long[] {n, d}, new long[] {n, d});
        for (double tau : new double[] {0.01, 0.001}) {
            double expected = stableReference(LossCheck.toDouble(z)[0], LossCheck.toDouble(z)[1], n, d, tau);
            double actual = tfLoss(z, n, d, tau);
            assertTrue(Double.isFinite(expected) && Double.isFinite(actual), "tau " + tau + ": " + actual);
            // float cosines carry ~1e-7 error, scaled by 1/τ in the logits
            assertEquals(expected, actual, 1e-6 / tau + 1e-5 * Math.abs(expected), "tau " + tau);
        }
        java.util.Arrays.fill(z[1], 0, d, 0f); // view 2 of image 0 collapsed to the zero vector
        double expected = stableReference(LossCheck.toDouble(z)[0], LossCheck.toDouble(z)[1], n, d, 0.01);
        double actual = tfLoss(z, n, d, 0.01);
        assertTrue(Double.isFinite(actual), "zero row: " + actual);
        assertEquals(expected, actual, 1e-4 + 1e-5 * Math.abs(expected));
    }
}
