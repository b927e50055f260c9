package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Isotonic fit and log-n interpolation of "how many labels is it worth?", against hand-computed values. */
class LabelWorthTest {
    private static final double EPS = 1e-9;

    @Test
    void poolAdjacentViolatorsPoolsDecreasingNeighboursIntoTheirWeightedMean() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, LabelWorth.isotonic(new double[] {1, 3, 2, 4},
                new double[] {1, 1, 1, 1}), EPS);
        // 3 (weight 1) and 2 (weight 3) pool to (3 + 6) / 4 = 2.25.
        assertArrayEquals(new double[] {1, 2.25, 2.25}, LabelWorth.isotonic(new double[] {1, 3, 2},
                new double[] {1, 1, 3}), EPS);
        // A pooled block that still exceeds the next value pools again: all three become 4.
        assertArrayEquals(new double[] {4, 4, 4}, LabelWorth.isotonic(new double[] {5, 4, 3}, new double[] {1, 1, 1}),
                EPS);
        assertArrayEquals(new double[] {1, 2, 3}, LabelWorth.isotonic(new double[] {1, 2, 3}, new double[] {2, 1, 5}),
                EPS);
        assertThrows(IllegalArgumentException.class, () -> LabelWorth.isotonic(new double[] {1}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> LabelWorth.isotonic(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void interpolatesOnLogLabelsBetweenTheMeasuredCounts() {
        double[] n = {100, 1000};
        double[] fit = {50, 70};
        // Half-way in accuracy is half-way in log n: sqrt(100 · 1000).
        LabelWorth.Estimate mid = LabelWorth.reach(n, fit, 60);
        assertEquals(LabelWorth.Relation.WITHIN, mid.relation());
        assertEquals(Math.sqrt(1e5), mid.labels(), 1e-9);
        // A quarter of the way: 100 · 10^0.25.
        assertEquals(100 * Math.pow(10, 0.25), LabelWorth.reach(n, fit, 55).labels(), 1e-9);
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.WITHIN, 1000), LabelWorth.reach(n, fit, 70));
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.WITHIN, 100), LabelWorth.reach(n, fit, 50));
    }

    @Test
    void beyondTheMeasuredRangeIsABoundNotAnExtrapolation() {
        double[] n = {100, 1000};
        double[] fit = {50, 70};
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.ABOVE, 1000), LabelWorth.reach(n, fit, 70.01));
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.BELOW, 100), LabelWorth.reach(n, fit, 49.99));
        assertEquals(LabelWorth.Relation.NONE, LabelWorth.reach(new double[0], new double[0], 60).relation());
        assertEquals(Double.POSITIVE_INFINITY, LabelWorth.reach(n, fit, 80).asNumber());
        assertEquals(0.0, LabelWorth.reach(n, fit, 10).asNumber());
    }

    @Test
    void aNonMonotoneSupervisedCurveIsFittedBeforeItIsRead() {
        double[] n = {10, 100, 1000};
        double[] means = {40, 60, 50};
        double[] seeds = {1, 1, 1};
        // Fit: 40, 55, 55. 55 is first reached at n = 100; 47.5 half-way from 40 to 55: sqrt(10 · 100).
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.WITHIN, 100), LabelWorth.estimate(n, means, seeds, 55));
        assertEquals(Math.sqrt(1000), LabelWorth.estimate(n, means, seeds, 47.5).labels(), 1e-9);
        // 56 is below the raw mean at n = 100 (60) but above the fitted curve's top (55).
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.ABOVE, 1000), LabelWorth.estimate(n, means, seeds, 56));
        // Weighted by seeds: 60 (1 seed) and 50 (3 seeds) pool to 52.5.
        assertArrayEquals(new double[] {40, 52.5, 52.5}, LabelWorth.isotonic(means, new double[] {1, 1, 3}), EPS);
        assertEquals(new LabelWorth.Estimate(LabelWorth.Relation.WITHIN, 100),
                LabelWorth.estimate(n, means, new double[] {1, 1, 3}, 52.5));
    }

    @Test
    void theBootstrapIntervalIsReproducibleAndHoldsThePointEstimate() {
        double[] n = {100, 1000};
        double[][] supervised = {{48, 50, 52}, {68, 70, 72}};
        double[] method = {58, 60, 62};
        double[] a = LabelWorth.interval(n, supervised, method);
        double[] b = LabelWorth.interval(n, supervised, method);
        assertArrayEquals(a, b, 0.0);
        double point = Math.sqrt(1e5);
        assertTrue(a[0] <= point && point <= a[1], a[0] + " " + a[1]);
        // Every replicate lies in [0, ∞]; with these spreads none leaves the measured range.
        assertTrue(a[0] >= 100 && a[1] <= 1000, a[0] + " " + a[1]);
        // A method far above every resampled curve: both ends beyond the range.
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                LabelWorth.interval(n, supervised, new double[] {90, 91, 92}), 0.0);
        // Fewer than 2 seeds anywhere: no interval.
        double[] none = LabelWorth.interval(n, new double[][] {{50}, {70, 71}}, method);
        assertTrue(Double.isNaN(none[0]) && Double.isNaN(none[1]));
    }
}
