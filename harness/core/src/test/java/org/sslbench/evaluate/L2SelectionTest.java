package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class L2SelectionTest {
    private static final List<Double> GRID = L2Selection.DEFAULT_GRID;

    private static double l2(L2Selection.Choice c) {
        return c.l2();
    }

    @Test
    void noiseLabelsChooseAStrongPenalty() {
        // Labels independent of 40 noise features, 70 % class 0: a weak penalty fits the noise and
        // loses held-out accuracy; a strong one predicts the majority (0.7 held out).
        Random r = new Random(10);
        int n = 100;
        int dim = 40;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < 70 ? 0 : 1;
        }
        float[] rows = new float[n * dim];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) r.nextGaussian();
        }
        L2Selection.Choice c = L2Selection.choose(rows, y, dim, 2, GRID, 0);
        assertEquals("5-fold", c.selection());
        assertTrue(l2(c) >= 1, "noise labels chose l2 " + l2(c));
        assertTrue(c.selected().startsWith("l2=" + L2Selection.plain(l2(c)) + ";cv_accuracy=0."), c.selected());
    }

    @Test
    void cleanLinearlySeparableDataChooseAWeakPenalty() {
        // x1 = s + u, x2 = u with a large shared nuisance u: only x1 − x2 = s separates the classes.
        // A strong penalty shrinks W toward the class-mean difference (x1 alone, about 63 % right);
        // a weak one finds x1 − x2 (all right).
        Random r = new Random(11);
        int n = 100;
        int[] y = new int[n];
        float[] rows = new float[n * 2];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double u = 3 * r.nextGaussian();
            double s = (y[i] == 1 ? 1 : -1) * (1 + 0.1 * r.nextDouble());
            rows[2 * i] = (float) (s + u);
            rows[2 * i + 1] = (float) u;
        }
        L2Selection.Choice c = L2Selection.choose(rows, y, 2, 2, GRID, 0);
        assertTrue(l2(c) < 1, "clean data chose l2 " + l2(c)); // below the noise case's >= 1
        assertTrue(c.selected().endsWith("cv_accuracy=1.0000"), c.selected());
        // the strongest penalty alone would have been much worse: the choice mattered
        L2Selection.Choice strong = L2Selection.choose(rows, y, 2, 2, List.of(1e4, 1e3), 0);
        double strongAccuracy = Double.parseDouble(strong.selected().replaceAll(".*cv_accuracy=", ""));
        assertTrue(strongAccuracy < 0.8, strong.selected());
    }

    @Test
    void foldsAreStratifiedAndTheirCountFollowsTheSmallestClass() {
        int[] y = new int[23];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 3 ? 2 : i % 2; // class 2 has 3 rows: 3 folds
        }
        int[] fold = L2Selection.folds(y, 3, 3, 7);
        for (int f = 0; f < 3; f++) {
            for (int c = 0; c < 3; c++) {
                int cc = c;
                int ff = f;
                assertTrue(java.util.stream.IntStream.range(0, y.length).anyMatch(i -> y[i] == cc && fold[i] == ff),
                        "fold " + f + " has class " + c);
            }
        }
        Random r = new Random(12);
        float[] rows = LogisticRegressionTest.gaussianRows(r, y, 3, 2);
        assertEquals("3-fold", L2Selection.choose(rows, y, 3, 3, GRID, 0).selection());
        int[] many = LogisticRegressionTest.labels(r, 200, 3);
        assertEquals("5-fold", L2Selection.choose(LogisticRegressionTest.gaussianRows(r, many, 3, 2), many, 3, 3, GRID, 0)
                .selection());
    }

    @Test
    void oneLabelOfAClassFallsBackToTheMiddleOfTheGrid() {
        int[] y = {0, 1, 2};
        float[] rows = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        L2Selection.Choice c = L2Selection.choose(rows, y, 3, 3, GRID, 0);
        assertEquals(0.1, l2(c));
        assertEquals("fixed (1 label per class: middle of the l2 grid)", c.selection());
        assertEquals("l2=0.1", c.selected());
        // uneven subset (tester F12): only one class has 1 label, and the rule says so
        assertEquals("fixed (a class has 1 label: middle of the l2 grid)", L2Selection.choose(
                new float[] {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, new int[] {0, 0, 1, 2}, 3, 3, GRID, 0).selection());
        // an even count: the larger middle value
        assertEquals(1.0, l2(L2Selection.choose(rows, y, 3, 3, List.of(0.01, 1.0, 0.1, 10.0), 0)));
        // one candidate: used as given
        assertEquals("l2=0.5", L2Selection.choose(rows, y, 3, 3, List.of(0.5), 0).selected());
    }

    @Test
    void selectionIsDeterministicAndTiesGoToTheLargerPenalty() {
        Random r = new Random(13);
        int[] y = LogisticRegressionTest.labels(r, 120, 4);
        float[] rows = LogisticRegressionTest.gaussianRows(r, y, 6, 1.5);
        assertEquals(L2Selection.choose(rows, y, 6, 4, GRID, 3), L2Selection.choose(rows.clone(), y.clone(), 6, 4, GRID, 3));
        // perfectly separated clusters: every moderate λ is 100 % right, the largest of those wins
        int[] two = new int[40]; // balanced: each training fold is too, so the bias stays 0 at any λ
        for (int i = 0; i < two.length; i++) {
            two[i] = i % 2;
        }
        float[] far = LogisticRegressionTest.gaussianRows(r, two, 2, 50);
        assertEquals(1e4, l2(L2Selection.choose(far, two, 2, 2, GRID, 0)));
    }

    @Test
    void theTestSplitIsReadOnceAfterSelectionAndDoesNotSteerIt() {
        Random r = new Random(14);
        int[] y = LogisticRegressionTest.labels(r, 60, 3);
        float[] rows = LogisticRegressionTest.gaussianRows(r, y, 4, 2);
        int[] testY = LogisticRegressionTest.labels(r, 50, 3);
        float[] test = LogisticRegressionTest.gaussianRows(r, testY, 4, 2);
        AtomicInteger reads = new AtomicInteger();
        Outcome o = LinearProbe.logistic(rows, y, () -> {
            reads.incrementAndGet();
            return test;
        }, testY, 4, 3, GRID, 0);
        assertEquals(1, reads.get());
        assertEquals("5-fold", o.selection());
        assertTrue(o.testAccuracy() > 0.6 && Double.isFinite(o.testLoss()), o.toString());
        assertTrue(Double.isNaN(o.maxTestAccuracy()), "no epochs: nothing is selected on the test split");
        // other test rows (shuffled labels) give another accuracy but the very same choice
        int[] shuffled = testY.clone();
        Arrays.sort(shuffled);
        Outcome other = LinearProbe.logistic(rows, y, () -> test, shuffled, 4, 3, GRID, 0);
        assertEquals(o.selected(), other.selected());
        // non-finite test features fail the cell after the choice, never pass for a number
        float[] poisoned = test.clone();
        poisoned[0] = Float.NaN;
        assertThrows(IllegalStateException.class, () -> LinearProbe.logistic(rows, y, () -> poisoned, testY, 4, 3, GRID, 0));
    }
}
