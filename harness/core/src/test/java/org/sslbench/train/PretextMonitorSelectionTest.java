package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The monitor's images: stratified, bank and queries disjoint, fixed by the seed. */
class PretextMonitorSelectionTest {
    private static int[] labels(int classes, int perClass) {
        return IntStream.range(0, classes * perClass).map(i -> i % classes).toArray();
    }

    @Test
    void bankAndQueriesAreStratifiedDisjointAndSeeded() {
        int[] labels = labels(10, 200);
        int[][] s = PretextMonitor.select(labels, 10, 50, 30, 7);
        assertEquals(500, s[0].length);
        assertEquals(300, s[1].length);
        for (int c = 0; c < 10; c++) {
            int cls = c;
            assertEquals(50, Arrays.stream(s[0]).filter(i -> labels[i] == cls).count());
            assertEquals(30, Arrays.stream(s[1]).filter(i -> labels[i] == cls).count());
        }
        assertTrue(Arrays.stream(s[0]).noneMatch(i -> Arrays.stream(s[1]).anyMatch(j -> j == i)), "disjoint");
        int[][] again = PretextMonitor.select(labels, 10, 50, 30, 7);
        assertArrayEquals(s[0], again[0]);
        assertArrayEquals(s[1], again[1]);
        assertTrue(!Arrays.equals(s[0], PretextMonitor.select(labels, 10, 50, 30, 8)[0]), "another seed, other images");
    }

    /** A class with fewer images than bank + queries is shared in their proportion, one of each at least. */
    @Test
    void smallClassesKeepAtLeastOneQuery() {
        int[] labels = labels(3, 4); // 4 images per class, default sizes 50 + 50
        int[][] s = PretextMonitor.select(labels, 3, 50, 50, 0);
        assertEquals(6, s[0].length);
        assertEquals(6, s[1].length);
        int[][] two = PretextMonitor.select(labels(2, 2), 2, 50, 50, 0);
        assertEquals(2, two[0].length);
        assertEquals(2, two[1].length);
    }
}
