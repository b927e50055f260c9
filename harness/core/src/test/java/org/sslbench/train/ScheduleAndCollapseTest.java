package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
