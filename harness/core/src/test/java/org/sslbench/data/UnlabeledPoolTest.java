package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.data.DataAssertions.assertDataError;
import static org.sslbench.data.DataAssertions.image;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UnlabeledPoolTest {
    @Test
    void limitIsASortedDeterministicNestedSubset() {
        int[] ten = UnlabeledPool.indices(1000, 10);
        int[] fifty = UnlabeledPool.indices(1000, 50);
        assertEquals(10, ten.length);
        assertEquals(10, Arrays.stream(ten).distinct().count());
        assertArrayEquals(ten, UnlabeledPool.indices(1000, 10));
        int[] sorted = ten.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, ten);
        Set<Integer> large = Arrays.stream(fifty).boxed().collect(Collectors.toSet());
        assertTrue(Arrays.stream(ten).allMatch(large::contains));
        assertNotEquals(9, ten[9], "a random subset, not the first ten");
        assertEquals(1000, UnlabeledPool.indices(1000, 0).length);
    }

    @Test
    void poolHidesLabelsAndKeepsPixels() throws Exception {
        int[] labels = {0, 1, 2, 0, 1, 2};
        byte[] pixels = {10, 20, 30, 40, 50, 60};
        ArrayImageSet set = new ArrayImageSet(new ImageShape(1, 1, 1), pixels, labels);
        ImageSet all = UnlabeledPool.of("d", set, 0);
        assertFalse(all.labelled());
        assertEquals(-1, all.label(2));
        assertEquals(0, all.labels().length);
        assertEquals(6, all.size());
        assertEquals(30 / 255f, image(all, 2)[0], 1e-6);
        ImageSet some = UnlabeledPool.of("d", set, 4);
        assertEquals(4, some.size());
        assertFalse(some.labelled());
        int[] kept = UnlabeledPool.indices(6, 4);
        assertEquals(pixels[kept[3]] / 255f, image(some, 3)[0], 1e-6);
        assertSame(all, all.withoutLabels());
    }

    @Test
    void badLimitsAreDataErrors() {
        ArrayImageSet set = new ArrayImageSet(new ImageShape(1, 1, 1), new byte[3], new int[3]);
        assertDataError(() -> UnlabeledPool.of("mini", set, 4), "mini: unlabeled limit 4 is larger than the unlabeled pool of 3 images");
        assertDataError(() -> UnlabeledPool.of("mini", set, -1), "unlabeled limit -1 is negative");
    }

    @Test
    void emptyPoolIsADataErrorAndNonEmptySplitsCatchesPluginsToo() throws Exception {
        ImageSet none = new ArrayImageSet(new ImageShape(2, 2, 1), new byte[0], new int[0]);
        DataAssertions.assertDataError(() -> UnlabeledPool.of("toy", none, 0), "toy: the unlabeled pool is empty");
        ImageSet one = new ArrayImageSet(new ImageShape(2, 2, 1), new byte[4], new int[] {0});
        Dataset noTest = new LoadedDataset("toy", new ImageShape(2, 2, 1), java.util.List.of("a"), one.withoutLabels(),
                one, none, "test");
        DataAssertions.assertDataError(() -> NonEmptySplits.check("toy", noTest), "dataset 'toy': empty split(s): test",
                "train 1, test 0, unlabeled 1");
        DatasetInfo info = new DatasetInfo("toy", new ImageShape(2, 2, 1), java.util.List.of("a"), 0, 0, new int[] {0}, 5);
        DataAssertions.assertDataError(() -> NonEmptySplits.check("toy", info), "empty split(s): train, unlabeled");
        org.junit.jupiter.api.Assertions.assertSame(noTest.train(), NonEmptySplits.check("toy",
                new LoadedDataset("toy", new ImageShape(2, 2, 1), java.util.List.of("a"), one.withoutLabels(), one, one,
                        "ok")).train());
    }
}
