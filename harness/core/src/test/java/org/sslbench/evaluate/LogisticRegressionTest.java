package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** Rows with a class signal: class c shifts feature c by {@code shift}. */
    static float[] gaussianRows(Random r, int[] labels, int dim, double shift) {
        float[] x = new float[labels.length * dim];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (float) (r.nextGaussian() + (j == labels[i] ? shift : 0));
            }
        }
        return x;
    }

    static int[] labels(Random r, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < classes ? i : r.nextInt(classes);
        }
        return y;
    }

    private static double[] standardised(float[] rows, int n, int dim) {
        return LogisticRegression.Standardizer.of(rows, n, dim).apply(rows, n);
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        Random r = new Random(1);
        int n = 30;
        int dim = 4;
        int classes = 3;
        int[] y = labels(r, n, classes);
        double[] x = standardised(gaussianRows(r, y, dim, 1), n, dim);
        var f = new LogisticRegression.Objective(x, y, dim, classes, 0.3);
        double[] theta = new double[f.size()];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = r.nextGaussian();
        }
        double[] grad = new double[theta.length];
        f.value(theta, grad);
        double[] scratch = new double[theta.length];
        double h = 1e-6;
        for (int j = 0; j < theta.length; j++) {
            double keep = theta[j];
            theta[j] = keep + h;
            double up = f.value(theta, scratch);
            theta[j] = keep - h;
            double down = f.value(theta, scratch);
            theta[j] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, grad[j], 1e-7 * Math.max(1, Math.abs(numeric)), "d f / d theta[" + j + "]");
        }
        // the bias entries (last C) carry no penalty: at W = 0 the objective is log C whatever λ
        double[] zero = new double[theta.length];
        assertEquals(Math.log(classes), f.value(zero, grad), 1e-12);
    }

    @Test
    void theFitIsAStationaryPointOfTheObjective() {
        Random r = new Random(2);
        int n = 200;
        int dim = 12;
        int classes = 4;
        int[] y = labels(r, n, classes);
        float[] rows = gaussianRows(r, y, dim, 0.8);
        LogisticRegression model = LogisticRegression.fit(rows, y, dim, classes, 0.01);
        double[] grad = new double[classes * (dim + 1)];
        var f = new LogisticRegression.Objective(standardised(rows, n, dim), y, dim, classes, 0.01);
        double atOptimum = f.value(model.parameters(), grad);
        assertTrue(LogisticRegression.maxAbs(grad) <= LogisticRegression.GRADIENT_TOLERANCE,
                "|grad|_inf = " + LogisticRegression.maxAbs(grad));
        // and it is a minimum: random nearby points are no lower
        for (int t = 0; t < 20; t++) {
            double[] near = model.parameters();
            for (int j = 0; j < near.length; j++) {
                near[j] += 1e-3 * r.nextGaussian();
            }
            assertTrue(f.value(near, new double[near.length]) >= atOptimum);
        }
        assertTrue(model.iterations() > 0);
    }

    @Test
    void twoClassesOnOneFeatureMatchAnIndependentNewtonSolution() {
        // Two-class softmax with penalty λ/2 (w0² + w1²) is binary logistic regression in
        // β = w1 − w0, c = b1 − b0 with penalty λ/4 β² (at the optimum w0 = −w1). Solve that
        // 2-parameter problem by Newton's method here, on the same standardised feature.
        Random r = new Random(3);
        int n = 80;
        double lambda = 0.05;
        int[] y = new int[n];
        float[] rows = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            rows[i] = (float) (r.nextGaussian() * 2 + (y[i] == 1 ? 1.5 : 0) + 10);
        }
        double[] x = standardised(rows, n, 1);
        double beta = 0;
        double c = 0;
        for (int it = 0; it < 50; it++) {
            double gB = lambda / 2 * beta;
            double gC = 0;
            double hBB = lambda / 2;
            double hBC = 0;
            double hCC = 0;
            for (int i = 0; i < n; i++) {
                double p = 1 / (1 + Math.exp(-(beta * x[i] + c)));
                double res = (p - y[i]) / n;
                double w = p * (1 - p) / n;
                gB += res * x[i];
                gC += res;
                hBB += w * x[i] * x[i];
                hBC += w * x[i];
                hCC += w;
            }
            double det = hBB * hCC - hBC * hBC;
            beta -= (hCC * gB - hBC * gC) / det;
            c -= (hBB * gC - hBC * gB) / det;
        }
        double[] theta = LogisticRegression.fit(rows, y, 1, 2, lambda).parameters();
        assertEquals(beta, theta[1] - theta[0], 1e-5);
        assertEquals(c, theta[3] - theta[2], 1e-5);
        assertEquals(0, theta[0] + theta[1], 1e-5, "the penalty splits β evenly: w0 = −w1");
    }

    @Test
    void separableClassesAreFittedAndGeneralise() {
        Random r = new Random(4);
        int[] y = labels(r, 60, 2);
        float[] rows = gaussianRows(r, y, 5, 12);
        LogisticRegression model = LogisticRegression.fit(rows, y, 5, 2, 1e-4);
        assertEquals(1.0, model.score(rows, y)[0]);
        int[] yTest = labels(r, 200, 2);
        double[] test = model.score(gaussianRows(r, yTest, 5, 12), yTest);
        assertEquals(1.0, test[0]);
        assertTrue(test[1] >= 0 && test[1] < 0.05, "test cross-entropy " + test[1]);
        for (double v : model.parameters()) {
            assertTrue(Double.isFinite(v), "the penalty keeps separable weights finite");
        }
    }

    @Test
    void theTrainingRowsStatisticsStandardiseEveryRow() {
        float[] rows = {1, 5, 3, 5, 5, 5}; // feature 0: mean 3, sd √(8/3); feature 1 constant
        var s = LogisticRegression.Standardizer.of(rows, 3, 2);
        double sd = Math.sqrt(8.0 / 3);
        assertArrayEquals(new double[] {-2 / sd, 0, 0, 0, 2 / sd, 0}, s.apply(rows, 3), 1e-12);
        // a later (test) row uses the same statistics, not its own
        assertArrayEquals(new double[] {4 / sd, 2}, s.apply(new float[] {7, 7}, 1), 1e-12);
    }

    @Test
    void collapsedFeaturesGiveTheMajorityClassAndAnAbsentClassIsNeverPredicted() {
        // a collapsed encoder: every row the same vector; standardised to 0, so only the bias learns
        int[] y = {0, 1, 1, 1, 2, 2};
        float[] rows = new float[y.length * 3];
        java.util.Arrays.fill(rows, 0.25f);
        LogisticRegression model = LogisticRegression.fit(rows, y, 3, 4, 0.1);
        double[] s = model.score(rows, y);
        assertEquals(0.5, s[0], "always class 1, the majority");
        // the bias matches the class frequencies: loss = entropy of (1/6, 3/6, 2/6), class 3 → 0
        double entropy = -(Math.log(1 / 6.0) / 6 + Math.log(0.5) / 2 + Math.log(1 / 3.0) / 3);
        assertEquals(entropy, s[1], 1e-4);
        for (int j = 0; j < 12; j++) {
            assertEquals(0, model.parameters()[j], "no weight on a constant feature");
        }
    }

    @Test
    void fitsAreBitIdentical() {
        Random r = new Random(5);
        int[] y = labels(r, 100, 3);
        float[] rows = gaussianRows(r, y, 8, 1);
        assertArrayEquals(LogisticRegression.fit(rows, y, 8, 3, 0.01).parameters(),
                LogisticRegression.fit(rows.clone(), y.clone(), 8, 3, 0.01).parameters());
    }

    @Test
    void badInputIsRefused() {
        float[] rows = {0, 1};
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(rows, new int[] {0, 1}, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(rows, new int[] {0, 2}, 1, 2, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LogisticRegression.fit(new float[] {0, Float.NaN}, new int[] {0, 1}, 1, 2, 1));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
