package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.data.DataAssertions.assertDataError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSubsetsTest {
    /** 10 classes with 30, 31, ..., 39 images each, in a shuffled order. */
    private static final int[] LABELS = labels();

    private static int[] labels() {
        int[] out = new int[345];
        int n = 0;
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < 30 + c; i++) {
                out[n++] = c;
            }
        }
        UnlabeledPool.shuffle(out, new Random(1));
        return out;
    }

    private static Set<Integer> set(int[] a) {
        return Arrays.stream(a).boxed().collect(Collectors.toSet());
    }

    @Test
    void exactlyCountOverClassesOfEachClass() {
        int[] s = LabelSubsets.select(LABELS, 10, 50, 3);
        assertEquals(50, s.length);
        assertEquals(50, set(s).size(), "no index twice");
        int[] perClass = new int[10];
        for (int i : s) {
            perClass[LABELS[i]]++;
        }
        int[] five = new int[10];
        Arrays.fill(five, 5);
        assertArrayEquals(five, perClass);
        int[] sorted = s.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, s, "indices come sorted");
    }

    @Test
    void smallerCountsAreNestedInLargerOnesForOneSeed() {
        int[] counts = {10, 20, 50, 100, 300};
        for (int k = 0; k + 1 < counts.length; k++) {
            Set<Integer> small = set(LabelSubsets.select(LABELS, 10, counts[k], 11));
            Set<Integer> large = set(LabelSubsets.select(LABELS, 10, counts[k + 1], 11));
            assertTrue(large.containsAll(small), counts[k] + " labels not inside " + counts[k + 1]);
        }
    }

    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        assertArrayEquals(LabelSubsets.select(LABELS, 10, 100, 5), LabelSubsets.select(LABELS, 10, 100, 5));
        assertFalse(Arrays.equals(LabelSubsets.select(LABELS, 10, 100, 5), LabelSubsets.select(LABELS, 10, 100, 6)));
        assertEquals(0, LabelSubsets.select(LABELS, 10, 0, 5).length);
    }

    @Test
    void errorsSayWhatIsWrong() {
        IllegalArgumentException notMultiple = assertThrows(IllegalArgumentException.class,
                () -> LabelSubsets.select(LABELS, 10, 25, 1));
        assertTrue(notMultiple.getMessage().contains("25 is not a non-negative multiple of the 10 classes"), notMultiple.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> LabelSubsets.select(LABELS, 10, 310, 1));
        assertTrue(tooMany.getMessage().contains("needs 31 images of class 0 but the labelled pool has only 30"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("at most 300"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelSubsets.select(LABELS, 10, -10, 1));
        IllegalArgumentException badLabel = assertThrows(IllegalArgumentException.class,
                () -> LabelSubsets.select(new int[] {0, 1, 2}, 2, 2, 1));
        assertTrue(badLabel.getMessage().contains("label 2 at index 2"), badLabel.getMessage());
    }

    @Test
    void fingerprintIgnoresOrderAndTellsSubsetsApart() {
        String f = LabelSubsets.fingerprint(new int[] {5, 1, 9});
        assertTrue(f.matches("[0-9a-f]{12}"), f);
        assertEquals(f, LabelSubsets.fingerprint(new int[] {1, 9, 5}));
        assertNotEquals(f, LabelSubsets.fingerprint(new int[] {1, 9, 6}));
        assertNotEquals(LabelSubsets.fingerprint(LabelSubsets.select(LABELS, 10, 100, 5)),
                LabelSubsets.fingerprint(LabelSubsets.select(LABELS, 10, 100, 6)));
    }

    @Test
    void writesOneIndexPerLineAndReadsItBack(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("subset.txt");
        LabelSubsets.write(file, new int[] {3, 17, 250});
        assertEquals("3\n17\n250\n", Files.readString(file));
        assertArrayEquals(new int[] {3, 17, 250}, LabelSubsets.read(file));
        Files.writeString(file, "1\nx\n");
        assertDataError(() -> LabelSubsets.read(file), "file " + file + ": line 2 is not an index");
    }

    @Test
    void unevenCountsSpreadTheRemainderAndStayNested() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        int[] previous = new int[0];
        for (int count : new int[] {100, 103, 250, 625, 627}) {
            int[] subset = LabelSubsets.select(labels, 10, count, 7, true);
            org.junit.jupiter.api.Assertions.assertEquals(count, subset.length);
            int[] perClass = new int[10];
            for (int i : subset) {
                perClass[labels[i]]++;
            }
            int min = java.util.Arrays.stream(perClass).min().orElseThrow();
            int max = java.util.Arrays.stream(perClass).max().orElseThrow();
            org.junit.jupiter.api.Assertions.assertTrue(max - min <= 1, "classes differ by at most one: " + java.util.Arrays.toString(perClass));
            java.util.Set<Integer> larger = new java.util.HashSet<>();
            for (int i : subset) {
                larger.add(i);
            }
            for (int i : previous) {
                org.junit.jupiter.api.Assertions.assertTrue(larger.contains(i), count + " labels must contain the smaller subset");
            }
            previous = subset;
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LabelSubsets.select(labels, 10, 625, 7, false));
    }

    /**
     * Why labels.uneven is not part of config_id / config_hash: on a count that is a multiple of
     * the class count it selects exactly the same subset, and any other count is refused without it
     * (a fraction it rounds differently resolves to another n_labels, which is in the hash).
     */
    @Test
    void unevenChangesNoSubsetOfACountThatDividesEvenly() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10;
        }
        for (int count : new int[] {10, 100, 250}) {
            for (long seed : new long[] {0, 3}) {
                assertArrayEquals(LabelSubsets.select(labels, 10, count, seed, false),
                        LabelSubsets.select(labels, 10, count, seed, true), count + " labels, seed " + seed);
            }
        }
        var fractions = java.util.List.of(0.0125);
        org.junit.jupiter.api.Assertions.assertEquals(10, new org.sslbench.spec.LabelSpec(
                org.sslbench.spec.LabelSpec.Kind.FRACTIONS, fractions, false).resolve(10, 1000)[0]);
        org.junit.jupiter.api.Assertions.assertEquals(12, new org.sslbench.spec.LabelSpec(
                org.sslbench.spec.LabelSpec.Kind.FRACTIONS, fractions, true).resolve(10, 1000)[0]);
    }
}
