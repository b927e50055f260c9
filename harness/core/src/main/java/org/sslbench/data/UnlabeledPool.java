package org.sslbench.data;

import java.util.Arrays;
import java.util.Random;

/**
 * The pretext pool, optionally cut to {@code unlabeledLimit} images. The cut is a seeded random
 * subset (not the first N, which could be ordered by class) with a fixed seed, so every method,
 * run and machine pretrains on the same images; it is the prefix of one fixed shuffle, so a
 * smaller limit's pool lies inside a larger one's.
 */
public final class UnlabeledPool {
    /** Seed of the pool shuffle. Changing it changes every limited pool, so results stop being comparable. */
    public static final long SEED = 0x5EED_2017L;

    private UnlabeledPool() {
    }

    /** Indices (ascending) of the {@code limit} pool images kept; {@code limit == 0} keeps all. */
    public static int[] indices(int poolSize, int limit) {
        if (limit < 0 || limit > poolSize) {
            throw new IllegalArgumentException("unlabeled limit " + limit + " outside 0.." + poolSize);
        }
        int[] all = new int[poolSize];
        Arrays.setAll(all, i -> i);
        if (limit == 0 || limit == poolSize) {
            return all;
        }
        shuffle(all, new Random(SEED));
        int[] kept = Arrays.copyOf(all, limit);
        Arrays.sort(kept); // file order reads better and keeps memory access sequential
        return kept;
    }

    /**
     * {@code images} with labels hidden, cut to {@code limit} images (0 = all).
     *
     * @throws DataException when {@code images} is empty or {@code limit} is outside 0..size
     */
    public static ImageSet of(String dataset, ImageSet images, int limit) throws DataException {
        if (images.size() == 0) {
            // Pretext training cannot draw a batch from nothing.
            throw new DataException(dataset + ": the unlabeled pool is empty (0 images); the dataset's files"
                    + " hold no pool images: put the complete files in the data directory");
        }
        if (limit < 0 || limit > images.size()) {
            throw new DataException(dataset + ": unlabeled limit " + limit + " is " + (limit < 0 ? "negative" : "larger than the unlabeled pool of "
                    + images.size() + " images") + "; use 0 for the whole pool or at most " + images.size());
        }
        ImageSet pool = images.withoutLabels();
        return limit == 0 || limit == images.size() ? pool : pool.subset(indices(images.size(), limit));
    }

    /** For {@link Dataset#source()}: which part of the pool was kept. */
    public static String describe(int poolSize, int limit) {
        return limit == 0 || limit == poolSize
                ? "unlabeled pool: all " + poolSize + " train images"
                : "unlabeled pool: " + limit + " of " + poolSize + " train images (seed 0x" + Long.toHexString(SEED) + ")";
    }

    /** Fisher-Yates with {@link Random}, whose algorithm the JDK specifies, so the order never changes. */
    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
