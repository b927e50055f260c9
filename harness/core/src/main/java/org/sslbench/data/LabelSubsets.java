package org.sslbench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Stratified, seeded, nested label subsets. Each class's images are shuffled with a seed that
 * depends only on the run seed and the class, and a subset takes the same number from the front of
 * every class's order. So for one seed, the 100-label subset lies inside the 250-label subset, and
 * a learning curve over label counts varies only the count, not which images were drawn.
 */
public final class LabelSubsets {
    private LabelSubsets() {
    }

    /**
     * Indices (ascending) into the labelled pool: exactly {@code count / classes} of each class.
     *
     * @param labels the pool's labels, each in [0, classes)
     * @throws IllegalArgumentException if count is negative or not a multiple of classes, a label is
     *                                  out of range, or a class has fewer images than asked for
     */
    public static int[] select(int[] labels, int classes, int count, long seed) {
        return select(labels, classes, count, seed, false);
    }

    /**
     * As {@link #select(int[], int, int, long)}; with {@code uneven} a count that is not a multiple
     * of the class count gives one extra label to {@code count % classes} classes chosen by a seeded
     * permutation of the classes. Nesting still holds: for one seed a smaller count's classes with
     * an extra label are a prefix of a larger count's, and every class's labels are a prefix of its
     * seeded order.
     */
    public static int[] select(int[] labels, int classes, int count, long seed, boolean uneven) {
        if (classes <= 0) {
            throw new IllegalArgumentException("need at least one class, got " + classes);
        }
        if (count < 0 || (!uneven && count % classes != 0)) {
            throw new IllegalArgumentException("label count " + count + " is not a non-negative multiple of the "
                    + classes + " classes; stratified subsets take the same number from every class");
        }
        int base = count / classes;
        int[] extra = new int[classes];
        int[] classOrder = new int[classes];
        for (int c = 0; c < classes; c++) {
            classOrder[c] = c;
        }
        UnlabeledPool.shuffle(classOrder, new Random(classSeed(seed, -1)));
        for (int i = 0; i < count % classes; i++) {
            extra[classOrder[i]] = 1;
        }
        int[][] byClass = indicesByClass(labels, classes);
        int[] out = new int[count];
        int filled = 0;
        for (int c = 0; c < classes; c++) {
            int perClass = base + extra[c];
            int[] members = byClass[c];
            if (members.length < perClass) {
                throw new IllegalArgumentException("label count " + count + " needs " + perClass + " images of class " + c
                        + " but the labelled pool has only " + members.length + " (at most "
                        + minSize(byClass) * classes + " labels fit every class)");
            }
            UnlabeledPool.shuffle(members, new Random(classSeed(seed, c)));
            System.arraycopy(members, 0, out, filled, perClass);
            filled += perClass;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Refuses a label count the loaded training pool cannot supply in every class, naming the class:
     * what the spec check does on the dataset's description, again on the images actually loaded
     * (an image folder with {@code skip_unreadable} can leave out images after validation).
     *
     * @throws DataException naming the dataset, the class, its size and the per-class need
     */
    public static void checkFits(Dataset data, int count, boolean uneven) throws DataException {
        int classes = data.classes();
        int need = uneven ? (count + classes - 1) / classes : count / classes;
        int[][] byClass = indicesByClass(data.train().labels(), classes);
        for (int c = 0; c < classes; c++) {
            if (byClass[c].length < need) {
                throw new DataException("dataset '" + data.name() + "': class '" + data.classNames().get(c) + "' has "
                        + byClass[c].length + " labelled training images, but the label count " + count + " needs " + need
                        + " per class" + (data.leftOut().isEmpty() ? "" : " (" + data.leftOut().size()
                        + " unreadable images were left out: see datasets/" + data.name() + "-unreadable.txt)")
                        + "; use a smaller label count or replace the images");
            }
        }
    }

    /** Short hex SHA-256 of the sorted indices: names a subset in result rows, whatever its order. */
    public static String fingerprint(int[] indices) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        ByteBuffer buf = ByteBuffer.allocate(4 * sorted.length);
        buf.asIntBuffer().put(sorted);
        return DataFiles.shortSha256(buf.array());
    }

    /** Writes the indices, one per line, so a run's exact labelled images can be reproduced or audited. */
    public static void write(Path file, int[] indices) throws IOException {
        StringBuilder sb = new StringBuilder(indices.length * 6);
        for (int i : indices) {
            sb.append(i).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** Reads indices written by {@link #write}; blank lines are skipped. */
    public static int[] read(Path file) throws IOException, DataException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(line));
            } catch (NumberFormatException e) {
                throw new DataException("file " + file + ": line " + (i + 1) + " is not an index: '" + line + "'", e);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[][] indicesByClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is outside 0.." + (classes - 1));
            }
            counts[labels[i]]++;
        }
        int[][] byClass = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        return byClass;
    }

    private static int minSize(int[][] byClass) {
        return Arrays.stream(byClass).mapToInt(a -> a.length).min().orElse(0);
    }

    /** Mixes the class into the seed (golden-ratio step) so each class gets its own shuffle. */
    private static long classSeed(long seed, int c) {
        return seed + 0x9E3779B97F4A7C15L * (c + 1);
    }
}
