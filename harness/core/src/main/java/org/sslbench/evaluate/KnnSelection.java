package org.sslbench.evaluate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chooses kNN's k among the spec's candidates ({@code k: [5, 10, 20, 50]}) by leave-one-out
 * accuracy on the labelled subset only; its inputs are the labelled rows, so the test split cannot
 * reach it.
 *
 * <p><b>Rule.</b> Each labelled row is classified by {@link Knn}'s weighted vote (same
 * similarity, temperature, neighbour order and tie rules) among the other n − 1 labelled rows; a
 * candidate's score is the number of rows classified right. The k with the most wins; ties go to
 * the smaller k (the more local vote, listed first when sorted). A candidate k ≥ n acts as "every
 * other row" (n − 1 neighbours) here and as "every row" at test time (Knn uses min(k, n)), so
 * candidates at or above n all score the same and the smallest of them stands for them. A zero
 * (all-zero-feature) row is an error, as in Knn.
 *
 * <p><b>Fallback.</b> With fewer than 2 labels of some class (e.g. 1 label per class) that
 * class's row has no same-class neighbour once left out, so it can never be right and every k
 * ties: the first k listed is used.
 *
 * <p>Cost: one pass of n × n similarities (O(n² · dim)), shared by all candidates.
 */
final class KnnSelection {
    private KnnSelection() {
    }

    /**
     * @param k         the chosen k
     * @param selection {@code leave-one-out}, {@code fixed} (one k given) or the fallback's
     *                  {@code fixed (1 label per class: first k listed)}
     * @param selected  {@code k=20;loo_accuracy=0.4120} (fraction of labelled rows right); {@code k=5}
     *                  for the fallback; empty for one k
     */
    record Choice(int k, String selection, String selected) {
    }

    /**
     * @param train      [labels.length, dim] row-major, rows L2-normalised or zero (as Knn prepares them)
     * @param candidates k values, each ≥ 1, distinct, in the spec's order; one value = no selection
     */
    static Choice choose(float[] train, int[] labels, int dim, int classes, List<Integer> candidates, double temperature) {
        if (candidates.size() == 1) {
            return new Choice(candidates.get(0), "fixed", "");
        }
        int n = labels.length;
        if (Holdout.smallestClass(labels) < 2) {
            return new Choice(candidates.get(0), "fixed (" + Holdout.tooFew(labels) + ": first k listed)", "k=" + candidates.get(0));
        }
        int[] ks = candidates.stream().mapToInt(Integer::intValue).sorted().toArray();
        int most = Math.min(ks[ks.length - 1], n - 1);
        int[] right = new int[ks.length];
        double[] sims = new double[n];
        int[] top = new int[most];
        double[] votes = new double[classes];
        for (int t = 0; t < n; t++) {
            if (Knn.isZero(train, t, dim)) {
                continue; // no direction: not classified, an error (Knn.NO_PREDICTION)
            }
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += train[t * dim + d] * train[i * dim + d]; // as Knn.predict computes it
                }
                sims[i] = dot;
            }
            sims[t] = Double.NEGATIVE_INFINITY; // leave the row itself out: never among the n − 1 nearest
            Knn.topK(sims, top);
            for (int c = 0; c < ks.length; c++) {
                int[] prefix = Arrays.copyOf(top, Math.min(ks[c], n - 1));
                if (Knn.vote(sims, prefix, labels, temperature, votes) == labels[t]) {
                    right[c]++;
                }
            }
        }
        int best = 0;
        for (int c = 1; c < ks.length; c++) {
            if (right[c] > right[best]) { // strict: of equal scores the smaller k stays
                best = c;
            }
        }
        return new Choice(ks[best], "leave-one-out", "k=" + ks[best] + ";loo_accuracy="
                + String.format(Locale.ROOT, "%.4f", (double) right[best] / n));
    }
}
