package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stratified held-out part of a labelled subset that fine-tune selection scores. */
class HoldoutTest {
    private static int[] labels(int... perClass) {
        return IntStream.range(0, perClass.length).flatMap(c -> IntStream.range(0, perClass[c]).map(i -> c)).toArray();
    }

    @ParameterizedTest(name = "{0} labels -> {1} held out")
    @CsvSource({"2,1", "3,1", "5,1", "8,2", "10,2", "12,2", "13,3", "50,10", "100,20"})
    void twentyPercentOfEachClassRoundedAtLeastOneAndOneLeft(int labels, int heldOut) {
        assertEquals(heldOut, Holdout.heldOutCount(labels));
    }

    @Test
    void everyClassIsSplitDisjointlyAndCompletely() {
        int[] labels = labels(10, 5, 2, 50);
        Holdout h = Holdout.of(labels, 3).orElseThrow();
        int[] all = IntStream.concat(Arrays.stream(h.train()), Arrays.stream(h.heldOut())).sorted().toArray();
        assertEquals(Arrays.toString(IntStream.range(0, labels.length).toArray()), Arrays.toString(all));
        int[] perClass = new int[4];
        for (int i : h.heldOut()) {
            perClass[labels[i]]++;
        }
        assertEquals("[2, 1, 1, 10]", Arrays.toString(perClass));
    }

    @Test
    void theSameSeedHoldsOutTheSameImagesAnotherSeedOthers() {
        int[] labels = labels(50, 50, 50);
        assertEquals(Holdout.of(labels, 3), Holdout.of(labels, 3));
        assertNotEquals(Holdout.of(labels, 3), Holdout.of(labels, 4));
    }

    @Test
    void aClassWithOneLabelLeavesNothingToHoldOut() {
        assertTrue(Holdout.of(labels(1, 1, 1), 0).isEmpty());
        assertTrue(Holdout.of(labels(5, 1, 5), 0).isEmpty());
        assertEquals(1, Holdout.smallestClass(labels(5, 1, 5)));
        assertTrue(Holdout.balanced(labels(2, 2)));
        assertTrue(!Holdout.balanced(labels(2, 3)));
    }
}
