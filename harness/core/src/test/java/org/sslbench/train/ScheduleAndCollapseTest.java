package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sslbench.engine.LrSchedule;
import org.sslbench.spec.ScheduleSpec;

class ScheduleAndCollapseTest {
    @Test
    void stepScheduleAppliesEachFactorFromItsMilestone() {
        // The rotation table's schedule: x0.1 after 80, x0.01 after 120, x0.001 after 160, x0.0005 after 180.
        var s = new LrSchedule(new ScheduleSpec("step", 0, List.of(81, 121, 161, 181), List.of(0.1, 0.01, 0.001, 0.0005)), 1e-3, 200);
        assertEquals(1e-3, s.at(80.9), 1e-12);
        assertEquals(1e-4, s.at(81), 1e-12);
        assertEquals(1e-5, s.at(150), 1e-12);
        assertEquals(1e-6, s.at(170), 1e-12);
        assertEquals(5e-7, s.at(199.5), 1e-12);
    }

    @Test
    void cosineWithWarmupRampsThenDecaysToZero() {
        var s = new LrSchedule(new ScheduleSpec("cosine", 2, List.of(), List.of()), 0.4, 12);
        assertEquals(0.1, s.at(0.5), 1e-12);
        assertEquals(0.4, s.at(2), 1e-12);
        assertEquals(0.2, s.at(7), 1e-12);   // half-way through the 10 cosine epochs
        assertEquals(0.0, s.at(12), 1e-12);
    }

    /** FixMatch's decay lr·cos(7πk/16K): 0.03 at the start, 0.03·cos(7π/32) half-way, 0.03·cos(7π/16) at the end. */
    @Test
    void fixmatchCosineDecaysToCosSevenPiOverSixteenOfTheBase() {
        var s = new LrSchedule(new ScheduleSpec("fixmatch_cosine", 0, List.of(), List.of()), 0.03, 10);
        assertEquals(0.03, s.at(0), 1e-12);
        assertEquals(0.03 * Math.cos(7 * Math.PI / 32), s.at(5), 1e-12);
        assertEquals(0.03 * 0.19509032201612825, s.at(10), 1e-12);
        var warm = new LrSchedule(new ScheduleSpec("fixmatch_cosine", 2, List.of(), List.of()), 0.03, 10);
        assertEquals(0.015, warm.at(1), 1e-12);
        assertEquals(0.03 * Math.cos(7 * Math.PI / 32), warm.at(6), 1e-12);
    }

    @Test
    void collapseMonitorSeparatesSpreadFromCollapsedEmbeddings() {
        int n = 512;
        int d = 16;
        float[] healthy = new float[n * d];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < healthy.length; i++) {
            healthy[i] = (float) r.nextGaussian();
        }
        float[] collapsed = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                collapsed[i * d + j] = j + 1 + 1e-4f * (float) r.nextGaussian();
            }
        }
        assertEquals(1 / Math.sqrt(d), Collapse.normalizedStd(healthy, n, d), 0.02);
        assertEquals(0, Collapse.normalizedStd(collapsed, n, d), 1e-3);
    }

    /**
     * A fully collapsed embedding (every row the same direction) has per-dimension std exactly 0;
     * the one-pass E[v²] − E[v]² read ~1e-9 from cancellation. Mixed-scale rows are compared with a
     * double-precision two-pass reference, and an all-zero row counts as the zero vector.
     */
    @Test
    void collapseMonitorIsExactForACollapsedEmbeddingAndMatchesATwoPassReference() {
        int n = 256;
        int d = 8;
        float[] same = new float[n * d];
        java.util.Random r = new java.util.Random(3);
        float[] row = new float[d];
        for (int j = 0; j < d; j++) {
            row[j] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            float scale = (float) Math.scalb(1.0, i % 20 - 10); // powers of two: exactly the same direction
            for (int j = 0; j < d; j++) {
                same[i * d + j] = row[j] * scale;
            }
        }
        assertTrue(Collapse.normalizedStd(same, n, d) < 1e-15, "collapsed: " + Collapse.normalizedStd(same, n, d));

        float[] mixed = new float[n * d];
        for (int i = 1; i < n; i++) { // row 0 stays all zero
            for (int j = 0; j < d; j++) {
                mixed[i * d + j] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    norm += (double) mixed[i * d + k] * mixed[i * d + k];
                }
                v[i] = norm == 0 ? 0 : mixed[i * d + j] / Math.sqrt(norm);
            }
            double mean = java.util.Arrays.stream(v).sum() / n;
            total += Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / n);
        }
        assertEquals(total / d, Collapse.normalizedStd(mixed, n, d), 1e-12);
        assertTrue(Double.isNaN(Collapse.normalizedStd(new float[d], 1, d)), "one row has no spread");
    }
}
