package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    /** Seeds with equal accuracy: the leaderboard shows that accuracy and std 0, not rounding noise. */
    @Test
    void equalValuesGiveExactlyThatMeanAndZeroStd() {
        for (double v : new double[] {0.7, 0.1, 0.8123, 1.0 / 3}) {
            for (int n : new int[] {2, 3, 5, 7, 10}) {
                double[] values = new double[n];
                java.util.Arrays.fill(values, v);
                assertEquals(v, Stats.mean(values), 0.0, v + " x" + n);
                assertEquals(0.0, Stats.sampleStd(values), 0.0, v + " x" + n);
            }
        }
    }

    @Test
    void knownValuesAndEdgeCases() {
        assertEquals(0.6, Stats.mean(new double[] {0.5, 0.6, 0.7}), 1e-15);
        assertEquals(0.1, Stats.sampleStd(new double[] {0.5, 0.6, 0.7}), 1e-15);
        // a large common offset does not swamp the spread
        assertEquals(1.0, Stats.sampleStd(new double[] {1e9 + 1, 1e9 + 2, 1e9 + 3}), 1e-12);
        assertEquals(0.0, Stats.sampleStd(new double[] {0.42}), 0.0);
        assertTrue(Double.isNaN(Stats.mean(new double[0])));
        assertTrue(Double.isNaN(Stats.sampleStd(new double[0])));
    }
}
