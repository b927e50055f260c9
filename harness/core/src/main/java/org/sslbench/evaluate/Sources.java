package org.sslbench.evaluate;

import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;
import org.sslbench.train.Augmenter;
import org.sslbench.train.Batches;
import org.sslbench.train.NormalizedImages;

/** {@link ClassifierTraining.Source}s over images (fine-tune) and over feature rows (linear probe). */
final class Sources {
    private Sources() {
    }

    /** Normalised images, augmented with {@code augmenter} when training. */
    static ClassifierTraining.Source images(Batches batches, Augmenter augmenter) {
        ImageShape s = batches.shape();
        return new ClassifierTraining.Source() {
            @Override public int size() { return batches.images().size(); }
            @Override public int rowSize() { return s.size(); }
            @Override public long[] rowShape() { return new long[] {s.height(), s.width(), s.channels()}; }

            @Override
            public void fill(int[] order, int start, int n, float[] dst, SplittableRandom rng) {
                batches.fill(order, start, n, dst, rng == null || augmenter.isIdentity() ? null : augmenter, rng);
            }

            @Override public int[] labels(int[] order, int start, int n) { return batches.labels(order, start, n); }
            @Override public int[] order(int epoch) { return batches.order(epoch); }
            @Override public SplittableRandom random(int epoch, long step) { return batches.random(epoch, step); }
        };
    }

    /**
     * The test split (or any whole set scored as it is), unaugmented: as {@link #images} with the
     * identity augmenter, plus the shared normalised copy of its images ({@link NormalizedImages},
     * made at the first scoring and reused by every later one and every cell of the run) when it
     * fits the budget.
     */
    static ClassifierTraining.Source test(Batches batches) {
        ClassifierTraining.Source plain = images(batches, new Augmenter(java.util.Map.of()));
        return new ClassifierTraining.Source() {
            @Override public int size() { return plain.size(); }
            @Override public int rowSize() { return plain.rowSize(); }
            @Override public long[] rowShape() { return plain.rowShape(); }
            @Override public void fill(int[] order, int start, int n, float[] dst, SplittableRandom rng) { plain.fill(order, start, n, dst, rng); }
            @Override public int[] labels(int[] order, int start, int n) { return plain.labels(order, start, n); }
            @Override public int[] order(int epoch) { return plain.order(epoch); }
            @Override public SplittableRandom random(int epoch, long step) { return plain.random(epoch, step); }
            @Override public float[] rows() { return NormalizedImages.of(batches); }
        };
    }

    /**
     * Rows {@code rows} of {@code batches} (a part of the labelled subset: the training or the
     * held-out part of {@link Holdout}), with their own seeded epoch orders and augmentation
     * streams from {@code seed}; augmented with {@code augmenter} when training.
     */
    static ClassifierTraining.Source images(Batches batches, Augmenter augmenter, int[] rows, long seed) {
        ImageShape s = batches.shape();
        int[] part = rows.clone();
        return new ClassifierTraining.Source() {
            @Override public int size() { return part.length; }
            @Override public int rowSize() { return s.size(); }
            @Override public long[] rowShape() { return new long[] {s.height(), s.width(), s.channels()}; }

            @Override
            public void fill(int[] order, int start, int n, float[] dst, SplittableRandom rng) {
                batches.fill(map(order, start, n), 0, n, dst, rng == null || augmenter.isIdentity() ? null : augmenter, rng);
            }

            @Override public int[] labels(int[] order, int start, int n) { return batches.labels(map(order, start, n), 0, n); }
            @Override public int[] order(int epoch) { return Batches.permutation(part.length, Batches.rng(seed, epoch, -1)); }
            @Override public SplittableRandom random(int epoch, long step) { return Batches.rng(seed, epoch, step); }

            private int[] map(int[] order, int start, int n) {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = part[order[start + i]];
                }
                return out;
            }
        };
    }

    /** Fixed feature rows [n, dim] with their labels. */
    static ClassifierTraining.Source features(float[] rows, int dim, int[] labels, long seed) {
        return new ClassifierTraining.Source() {
            @Override public int size() { return labels.length; }
            @Override public int rowSize() { return dim; }
            @Override public long[] rowShape() { return new long[] {dim}; }

            @Override
            public void fill(int[] order, int start, int n, float[] dst, SplittableRandom rng) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(rows, order[start + i] * dim, dst, i * dim, dim);
                }
            }

            @Override
            public int[] labels(int[] order, int start, int n) {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = labels[order[start + i]];
                }
                return out;
            }

            @Override public int[] order(int epoch) { return Batches.permutation(labels.length, Batches.rng(seed, epoch, -1)); }
            @Override public SplittableRandom random(int epoch, long step) { return Batches.rng(seed, epoch, step); }
            @Override public float[] rows() { return rows.length == (long) labels.length * dim ? rows : null; }
        };
    }
}
