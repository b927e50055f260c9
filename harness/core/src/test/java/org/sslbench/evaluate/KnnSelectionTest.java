package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnnSelectionTest {
    /** Points on the unit circle at the given angles (2-D rows). */
    private static float[] circle(double[] angles) {
        float[] rows = new float[angles.length * 2];
        for (int i = 0; i < angles.length; i++) {
            rows[2 * i] = (float) Math.cos(angles[i]);
            rows[2 * i + 1] = (float) Math.sin(angles[i]);
        }
        return rows;
    }

    /** Leave-one-out correct count of k by Knn.predict on the n − 1 other rows (an independent reference). */
    private static int leaveOneOut(float[] rows, int[] labels, int dim, int classes, int k, double temperature) {
        int n = labels.length;
        int right = 0;
        for (int t = 0; t < n; t++) {
            float[] others = new float[(n - 1) * dim];
            int[] otherLabels = new int[n - 1];
            for (int i = 0, o = 0; i < n; i++) {
                if (i != t) {
                    System.arraycopy(rows, i * dim, others, o * dim, dim);
                    otherLabels[o++] = labels[i];
                }
            }
            float[] row = java.util.Arrays.copyOfRange(rows, t * dim, (t + 1) * dim);
            if (Knn.predict(others, otherLabels, row, 1, dim, classes, k, temperature)[0] == labels[t]) {
                right++;
            }
        }
        return right;
    }

    @Test
    void leaveOneOutAgreesWithKnnPredictOnTheOtherRows() {
        Random r = new Random(20);
        int n = 45;
        int dim = 4;
        int[] y = new int[n];
        float[] rows = new float[n * dim];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < dim; d++) {
                rows[i * dim + d] = (float) (r.nextGaussian() + (d == y[i] ? 1 : 0));
            }
        }
        Knn.normalizeRows(rows, dim);
        List<Integer> ks = List.of(9, 1, 3, 20);
        KnnSelection.Choice c = KnnSelection.choose(rows, y, dim, 3, ks, 0.1);
        int best = -1;
        int bestRight = -1;
        for (int k : new int[] {1, 3, 9, 20}) { // ascending: ties keep the smaller k
            int right = leaveOneOut(rows, y, dim, 3, k, 0.1);
            if (right > bestRight) {
                best = k;
                bestRight = right;
            }
        }
        assertEquals(best, c.k());
        assertEquals("leave-one-out", c.selection());
        assertEquals("k=" + best + ";loo_accuracy=" + String.format(Locale.ROOT, "%.4f", (double) bestRight / n), c.selected());
        assertEquals(c, KnnSelection.choose(rows.clone(), y.clone(), dim, 3, ks, 0.1), "deterministic");
    }

    @Test
    void fineStructureChoosesASmallKAndLabelNoiseALargeOne() {
        // 60 points on the circle whose class alternates every 3 points: only the nearest neighbours agree
        int n = 60;
        double[] angles = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            angles[i] = 2 * Math.PI * i / n;
            y[i] = (i / 3) % 2;
        }
        assertEquals(1, KnnSelection.choose(circle(angles), y, 2, 2, List.of(1, 15, 40), 1.0).k());
        // two tight clusters, 30 % of labels flipped: one neighbour copies the noise, many vote it down
        Random r = new Random(21);
        for (int i = 0; i < n; i++) {
            angles[i] = (i < n / 2 ? 0 : Math.PI / 2) + 0.05 * r.nextGaussian();
            y[i] = (i < n / 2 ? 0 : 1) ^ (i % 10 < 3 ? 1 : 0);
        }
        assertEquals(15, KnnSelection.choose(circle(angles), y, 2, 2, List.of(1, 15), 1.0).k());
    }

    @Test
    void candidatesAtOrAboveTheLabelCountTieAndTheSmallestStands() {
        double[] angles = {0, 0.1, 0.2, 1.5, 1.6, 1.7};
        int[] y = {0, 0, 0, 1, 1, 1};
        // 7 and 9 both mean "every other row" here: a tie, so 7
        KnnSelection.Choice c = KnnSelection.choose(circle(angles), y, 2, 2, List.of(9, 7), Double.POSITIVE_INFINITY);
        assertEquals(7, c.k());
        // with an unweighted vote among all 5 others, each row's own class has 2 against 3: all wrong
        assertTrue(c.selected().endsWith("loo_accuracy=0.0000"), c.selected());
        assertEquals(2, KnnSelection.choose(circle(angles), y, 2, 2, List.of(9, 7, 2), Double.POSITIVE_INFINITY).k());
    }

    @Test
    void oneLabelOfAClassOrOneCandidateIsNoSelection() {
        float[] rows = circle(new double[] {0, 1, 2});
        KnnSelection.Choice fallback = KnnSelection.choose(rows, new int[] {0, 1, 2}, 2, 3, List.of(5, 1), 0.1);
        assertEquals(5, fallback.k());
        assertEquals("fixed (1 label per class: first k listed)", fallback.selection());
        assertEquals("k=5", fallback.selected());
        assertEquals("fixed (a class has 1 label: first k listed)", KnnSelection.choose(circle(new double[] {0, 0.1, 2}),
                new int[] {0, 0, 1}, 2, 2, List.of(5, 1), 0.1).selection(), "uneven: only one class is short");
        KnnSelection.Choice one = KnnSelection.choose(rows, new int[] {0, 1, 2}, 2, 3, List.of(20), 0.1);
        assertEquals(new KnnSelection.Choice(20, "fixed", ""), one);
    }
}
