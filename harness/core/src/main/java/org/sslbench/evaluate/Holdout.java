package org.sslbench.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.sslbench.train.Batches;

/**
 * A stratified split of a labelled subset into a training part and a held-out part, for choosing
 * downstream settings on labels only: {@value #PERCENT} % of each class's labels (rounded, at
 * least 1, and at least 1 left to train on) are held out, drawn with a seed derived from the
 * cell's seed, so a rerun holds out the same images. Possible only when every class in the subset
 * has at least 2 labels.
 *
 * @param train   positions in the subset (ascending) of the training part
 * @param heldOut positions in the subset (ascending) of the held-out part
 */
public record Holdout(int[] train, int[] heldOut) {
    /** Share of each class held out, in percent. */
    public static final int PERCENT = 20;
    /** Mixed into the cell seed so the split's stream differs from the subset's and the batches'. */
    private static final long SALT = 0x5E1EC7104L;

    /**
     * The split of a subset with these labels, or empty when some class has fewer than 2 labels
     * (nothing to hold out without leaving the class untrained).
     *
     * @param labels the subset's labels, in subset order
     */
    public static Optional<Holdout> of(int[] labels, long seed) {
        if (smallestClass(labels) < 2) {
            return Optional.empty();
        }
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<Integer> members = e.getValue();
            int[] order = Batches.permutation(members.size(), Batches.rng(seed ^ SALT, e.getKey(), -1));
            int n = heldOutCount(members.size());
            for (int j = 0; j < order.length; j++) {
                (j < n ? held : train).add(members.get(order[j]));
            }
        }
        return Optional.of(new Holdout(sorted(train), sorted(held)));
    }

    /** How many of a class's {@code labels} (≥ 2) are held out: 20 % rounded, clamped to [1, labels − 1]. */
    static int heldOutCount(int labels) {
        return (int) Math.max(1, Math.min(labels - 1, Math.round(labels * PERCENT / 100.0)));
    }

    /**
     * Why a labelled subset leaves nothing to validate on, as the selection rules record it:
     * {@code 1 label per class} when every class has that count, else {@code a class has 1 label}
     * (uneven subsets).
     */
    static String tooFew(int[] labels) {
        int smallest = smallestClass(labels);
        String n = smallest + " label" + (smallest == 1 ? "" : "s");
        return balanced(labels) ? n + " per class" : "a class has " + n;
    }

    /** The label count of the smallest class present in {@code labels} (0 when there are none). */
    public static int smallestClass(int[] labels) {
        return counts(labels).values().stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    /** True when every class present has the same count. */
    static boolean balanced(int[] labels) {
        return counts(labels).values().stream().distinct().count() <= 1;
    }

    /** Labels per class present. */
    private static TreeMap<Integer, Integer> counts(int[] labels) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int l : labels) {
            counts.merge(l, 1, Integer::sum);
        }
        return counts;
    }

    private static int[] sorted(List<Integer> list) {
        int[] out = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Holdout h && Arrays.equals(train, h.train) && Arrays.equals(heldOut, h.heldOut);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(heldOut);
    }

    @Override
    public String toString() {
        return "Holdout[train=" + Arrays.toString(train) + ", heldOut=" + Arrays.toString(heldOut) + "]";
    }
}
