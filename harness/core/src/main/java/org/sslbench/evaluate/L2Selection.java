package org.sslbench.evaluate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Chooses the linear probe's L2 strength λ by stratified k-fold cross-validation on the labelled
 * subset only. Its inputs are the labelled rows and labels: the test split cannot reach it.
 *
 * <p><b>Rule.</b> With m the smallest number of labels of any class present in the subset,
 * k = min({@value #MAX_FOLDS}, m) folds. Each class's rows are shuffled (seeded) and dealt round-robin
 * to the folds, continuing the deal across classes, so every fold holds ⌊m/k⌋ or more rows of every
 * class. For each fold, the other k − 1 folds are standardised with their own statistics and
 * fitted ({@link LogisticRegression}) for every candidate λ, from the largest to the smallest, each
 * fit warm-started from the previous λ's solution (the regularisation path: neighbouring optima are
 * close, so this costs a few iterations each; each stops at ‖∇f‖_∞ ≤ {@value #CV_GRADIENT_TOLERANCE});
 * the held-out fold is scored by accuracy. The λ
 * with the most held-out rows right over all folds wins; ties go to the larger λ (the simpler
 * model). One candidate: used as given, no cross-validation.
 *
 * <p><b>Fallback.</b> With m &lt; 2 (one label of some class, e.g. 1 label per class) a fold
 * would hold that class's only row, which a model fitted without it cannot predict: there is no
 * validation signal. λ is then the middle candidate of the grid (sorted; of an even count the
 * larger middle one), for the default grid 0.1.
 *
 * <p><b>Default grid</b> ({@link #DEFAULT_GRID}): 11 values 10⁻⁶, 10⁻⁵, …, 10⁴ (Kornblith et al.
 * 2019 use 45 log-spaced values over 10⁻⁶…10⁵; one per decade keeps 5 folds × 11 fits in seconds).
 */
final class L2Selection {
    /** Folds at most (the common 5-fold cross-validation). */
    static final int MAX_FOLDS = 5;
    /**
     * The cross-validation fits stop at ‖∇f‖_∞ ≤ this (scikit-learn's default {@code tol}): they are
     * there for held-out accuracies, which a tighter optimum barely moves, and stopping earlier
     * roughly halves the cost; the final fit on the whole subset converges to
     * {@link LogisticRegression#GRADIENT_TOLERANCE}.
     */
    static final double CV_GRADIENT_TOLERANCE = 1e-4;
    /** λ candidates when the spec gives none: one per decade, 10⁻⁶ … 10⁴. */
    static final List<Double> DEFAULT_GRID = List.of(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4);

    private L2Selection() {
    }

    /**
     * The chosen λ and how.
     *
     * @param l2         the chosen L2 strength
     * @param selection  the rule, e.g. {@code 5-fold} or {@code fixed (1 label per class: middle of the l2 grid)}
     * @param selected   {@code l2=0.001;cv_accuracy=0.4120} ({@code cv_accuracy}: pooled held-out
     *                   accuracy, fraction; absent when there was no cross-validation)
     */
    record Choice(double l2, String selection, String selected) {
    }

    /**
     * @param rows   [labels.length, dim] row-major raw features of the labelled subset
     * @param grid   candidate λ values (each finite and &gt; 0, distinct; any order)
     * @param seed   seeds the fold assignment
     */
    static Choice choose(float[] rows, int[] labels, int dim, int classes, List<Double> grid, long seed) {
        List<Double> lambdas = new ArrayList<>(grid);
        lambdas.sort(java.util.Comparator.reverseOrder());
        if (lambdas.size() == 1) {
            return new Choice(lambdas.get(0), "fixed (one l2 given)", "l2=" + plain(lambdas.get(0)));
        }
        int smallest = Holdout.smallestClass(labels);
        if (smallest < 2) {
            double middle = lambdas.get((lambdas.size() - 1) / 2);
            return new Choice(middle, "fixed (" + Holdout.tooFew(labels) + ": middle of the l2 grid)", "l2=" + plain(middle));
        }
        int k = Math.min(MAX_FOLDS, smallest);
        int[] fold = folds(labels, classes, k, seed);
        int[] right = new int[lambdas.size()];
        for (int f = 0; f < k; f++) {
            int[] train = rowsWhere(fold, f, false);
            int[] held = rowsWhere(fold, f, true);
            var standardizer = LogisticRegression.Standardizer.of(rows, train, train.length, dim);
            double[] xTrain = standardizer.apply(rows, train, train.length);
            double[] xHeld = standardizer.apply(rows, held, held.length);
            int[] yTrain = pick(labels, train);
            int[] yHeld = pick(labels, held);
            double[] theta = new double[classes * (dim + 1)];
            for (int l = 0; l < lambdas.size(); l++) {
                LogisticRegression.minimize(new LogisticRegression.Objective(xTrain, yTrain, dim, classes, lambdas.get(l)), theta,
                        CV_GRADIENT_TOLERANCE);
                right[l] += LogisticRegression.correct(xHeld, yHeld, theta, dim, classes);
            }
        }
        int best = 0;
        for (int l = 1; l < lambdas.size(); l++) {
            if (right[l] > right[best]) { // strict: of equal accuracies the larger λ (earlier) stays
                best = l;
            }
        }
        return new Choice(lambdas.get(best), k + "-fold", "l2=" + plain(lambdas.get(best)) + ";cv_accuracy="
                + String.format(Locale.ROOT, "%.4f", (double) right[best] / labels.length));
    }

    /** Fold index per row: each class's rows in seeded order dealt round-robin, continuing across classes. */
    static int[] folds(int[] labels, int classes, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x4c32L); // "L2": a stream of its own
        int[] fold = new int[labels.length];
        int next = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    rows.add(i);
                }
            }
            for (int i = rows.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = rows.get(i);
                rows.set(i, rows.get(j));
                rows.set(j, t);
            }
            for (int row : rows) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    private static int[] rowsWhere(int[] fold, int f, boolean in) {
        return java.util.stream.IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == in).toArray();
    }

    private static int[] pick(int[] labels, int[] which) {
        int[] out = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            out[i] = labels[which[i]];
        }
        return out;
    }

    /** 0.001, 10000: plain decimal, no exponent, no trailing zeros (as spec values are hashed). */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
