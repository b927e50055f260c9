package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;

class SupConLossTest {
    /**
     * Khosla et al. 2020, Eq. 2 in double, written from the formula: anchors are all rows, A(i) all
     * rows but i, P(i) the rows of i's class but i; an anchor with an empty P(i) contributes 0 and
     * counts in the mean (SupContrast's clamped |P(i)|).
     */
    static double reference(double[][] x, int[] labels, double tau) {
        int n = x.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double denominator = 0;
            for (int a = 0; a < n; a++) {
                if (a != i) {
                    denominator += Math.exp(NtXentLossTest.cosine(x[i], x[a]) / tau);
                }
            }
            double sum = 0;
            int positives = 0;
            for (int p = 0; p < n; p++) {
                if (p != i && labels[p] == labels[i]) {
                    sum += Math.log(Math.exp(NtXentLossTest.cosine(x[i], x[p]) / tau) / denominator);
                    positives++;
                }
            }
            total += positives == 0 ? 0 : -sum / positives;
        }
        return total / n;
    }

    /** Two views [B, d] each → the 2B anchor rows (view 1 then view 2) and their labels. */
    static double twoViewReference(double[] z1, double[] z2, int[] labels, int d, double tau) {
        int b = labels.length;
        double[][] x = new double[2 * b][];
        int[] both = new int[2 * b];
        for (int k = 0; k < b; k++) {
            x[k] = java.util.Arrays.copyOfRange(z1, k * d, (k + 1) * d);
            x[k + b] = java.util.Arrays.copyOfRange(z2, k * d, (k + 1) * d);
            both[k] = labels[k];
            both[k + b] = labels[k];
        }
        return reference(x, both, tau);
    }

    private static double tfTwoViews(float[][] z, int[] labels, int d, double tau) {
        int b = labels.length;
        return LossCheck.evaluate((tf, in) -> SupConLoss.loss(tf, in.get(0), in.get(1), tf.constant(labels), tau), z,
                new long[][] {{b, d}, {b, d}}).value();
    }

    /** Classes 0 (3 images), 1 (2 images) and 2 (one image: its only positive is its other view). */
    private static final int[] LABELS = {0, 1, 0, 2, 1, 0};

    @Test
    void valueMatchesEquationTwoWithASingleImageClass() {
        int d = 5;
        float[][] z = LossCheck.gaussian(13, new long[] {LABELS.length, d}, new long[] {LABELS.length, d});
        double[][] zd = LossCheck.toDouble(z);
        for (double tau : new double[] {0.07, 0.1, 0.5}) {
            LossCheck.assertRelativeClose(twoViewReference(zd[0], zd[1], LABELS, d, tau), tfTwoViews(z, LABELS, d, tau), 1e-5);
        }
    }

    /** One class per image: P(i) is the other view only, so Eq. 2 is SimCLR's NT-Xent. */
    @Test
    void withOneClassPerImageItIsNtXent() {
        int b = 4;
        int d = 6;
        float[][] z = LossCheck.gaussian(17, new long[] {b, d}, new long[] {b, d});
        double[][] zd = LossCheck.toDouble(z);
        LossCheck.assertRelativeClose(NtXentLossTest.reference(zd[0], zd[1], b, d, 0.2),
                tfTwoViews(z, new int[] {0, 1, 2, 3}, d, 0.2), 1e-5);
    }

    /**
     * A single view, where a class with one row has no positive: that anchor adds 0 and still
     * counts in the mean (not NaN, not left out of the denominator).
     */
    @Test
    void anAnchorWithoutPositivesAddsZeroButCountsInTheMean() {
        int n = 5;
        int d = 4;
        int[] labels = {0, 0, 1, 1, 2}; // row 4 (class 2) has no positive
        float[][] z = LossCheck.gaussian(23, new long[] {n, d});
        double actual = LossCheck.evaluate((tf, in) -> SupConLoss.loss(tf, in.get(0), tf.constant(labels), 0.1), z,
                new long[][] {{n, d}}).value();
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = java.util.Arrays.copyOfRange(LossCheck.toDouble(z)[0], i * d, (i + 1) * d);
        }
        double expected = reference(x, labels, 0.1);
        assertTrue(Double.isFinite(actual), "loss " + actual);
        LossCheck.assertRelativeClose(expected, actual, 1e-5);
        // the four anchors with positives, averaged over 5 rows: 4/5 of their own mean
        double withoutRow4Anchor = 0;
        for (int i = 0; i < 4; i++) {
            withoutRow4Anchor += anchorTerm(x, labels, i, 0.1);
        }
        assertEquals(withoutRow4Anchor / 5, actual, 1e-5 * Math.abs(actual));
    }

    private static double anchorTerm(double[][] x, int[] labels, int i, double tau) {
        double denominator = 0;
        for (int a = 0; a < x.length; a++) {
            if (a != i) {
                denominator += Math.exp(NtXentLossTest.cosine(x[i], x[a]) / tau);
            }
        }
        double sum = 0;
        int positives = 0;
        for (int p = 0; p < x.length; p++) {
            if (p != i && labels[p] == labels[i]) {
                sum += Math.log(Math.exp(NtXentLossTest.cosine(x[i], x[p]) / tau) / denominator);
                positives++;
            }
        }
        return -sum / positives;
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheReference() {
        int d = 4;
        double tau = 0.2;
        int b = LABELS.length;
        float[][] z = LossCheck.gaussian(7, new long[] {b, d}, new long[] {b, d});
        LossCheck.Result r = LossCheck.evaluate((tf, in) -> SupConLoss.loss(tf, in.get(0), in.get(1), tf.constant(LABELS), tau),
                z, new long[][] {{b, d}, {b, d}});
        double[][] fd = LossCheck.finiteDifference(x -> twoViewReference(x[0], x[1], LABELS, d, tau),
                LossCheck.toDouble(z), 1e-4);
        LossCheck.assertGradientsClose(fd, r.gradients(), 2e-3);
    }

    /** Rows of one class pulled together cost less than the same rows with the labels shuffled across clusters. */
    @Test
    void clusteredClassesCostLessThanMislabelledOnes() {
        int b = 6;
        int d = 3;
        float[][] z = new float[2][b * d];
        int[] labels = {0, 1, 2, 0, 1, 2};
        java.util.Random rng = new java.util.Random(3);
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < b; i++) {
                z[v][i * d + labels[i]] = 1; // class c along axis c
                for (int j = 0; j < d; j++) {
                    z[v][i * d + j] += 0.05f * (float) rng.nextGaussian();
                }
            }
        }
        double right = tfTwoViews(z, labels, d, 0.1);
        double wrong = tfTwoViews(z, new int[] {0, 0, 1, 1, 2, 2}, d, 0.1);
        assertTrue(right < wrong - 1, "right labels " + right + " vs wrong " + wrong);
    }
}
