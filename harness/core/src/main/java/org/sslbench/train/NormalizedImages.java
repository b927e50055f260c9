package org.sslbench.train;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sslbench.data.ImageSet;

/**
 * The normalised float copy of a whole image set (no augmentation), made once per (image set,
 * normaliser) and shared by every reader in the process: a matrix scores the same test split after
 * every {@code eval_every} epochs of every fine-tune cell, and every cell of a dataset uses the
 * same loaded test images and normaliser objects, so the uint8 → float conversion and the
 * normalisation run once per run instead of once per scoring pass (issue 16).
 *
 * <p>The copy holds exactly the values {@link Batches#fill} writes without an augmenter
 * ({@link ImageSet#readImage} then {@link Normalizer#apply(float[], int)}, image by image), so
 * reading it gives bit-identical inputs. Memory-aware: the copies held together stay within
 * {@link #budgetBytes()} (1 GB, or a quarter of the JVM's maximum heap when that is smaller; CIFAR-10's
 * test split takes 123 MB, STL-10's 885 MB); a set that does not fit is not copied and its readers
 * stream as before ({@link #of} returns null). Least recently used copies are dropped first. Keys
 * are held weakly and compared by identity (image sets are views that do not define equality), so
 * a finished run's images can be collected.
 */
public final class NormalizedImages {
    private static final long DEFAULT_BUDGET = 1L << 30;

    private record Entry(WeakReference<ImageSet> images, WeakReference<Normalizer> normalizer, float[] values) {
    }

    /** Most recently used last. */
    private static final List<Entry> ENTRIES = new ArrayList<>();
    private static long budget = Math.min(DEFAULT_BUDGET, Runtime.getRuntime().maxMemory() / 4);

    private NormalizedImages() {
    }

    /** Bytes the shared copies may take together. */
    public static synchronized long budgetBytes() {
        return budget;
    }

    /** Sets the budget (tests; 0 turns the copies off) and drops copies that no longer fit. */
    public static synchronized void budgetBytes(long bytes) {
        budget = Math.max(0, bytes);
        evictTo(budget);
    }

    /** Drops every copy. */
    public static synchronized void clear() {
        ENTRIES.clear();
    }

    /**
     * The normalised copy of {@code batches}' images, [n, h, w, c] row-major ({@code n · shape().size()}
     * values, read-only by convention: never write into it), made now if missing; null when it does
     * not fit the budget (the caller streams instead).
     */
    public static float[] of(Batches batches) {
        ImageSet images = batches.images();
        Normalizer normalizer = batches.normalizer();
        long bytes = 4L * images.size() * images.shape().size();
        synchronized (NormalizedImages.class) {
            Iterator<Entry> it = ENTRIES.iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                ImageSet i = e.images().get();
                Normalizer n = e.normalizer().get();
                if (i == null || n == null) {
                    it.remove();
                } else if (i == images && n == normalizer) {
                    it.remove();
                    ENTRIES.add(e); // most recently used
                    return e.values();
                }
            }
            if (bytes > budget || bytes > Integer.MAX_VALUE * 4L) {
                return null;
            }
        }
        float[] values = convert(images, normalizer);
        synchronized (NormalizedImages.class) {
            evictTo(budget - bytes);
            ENTRIES.add(new Entry(new WeakReference<>(images), new WeakReference<>(normalizer), values));
        }
        return values;
    }

    /** Bytes held by the copies now. */
    public static synchronized long heldBytes() {
        long sum = 0;
        for (Entry e : ENTRIES) {
            sum += 4L * e.values().length;
        }
        return sum;
    }

    /** As {@link Batches#fill} without an augmenter, for every image in index order. */
    static float[] convert(ImageSet images, Normalizer normalizer) {
        int size = images.shape().size();
        float[] out = new float[Math.toIntExact((long) images.size() * size)];
        for (int i = 0; i < images.size(); i++) {
            images.readImage(i, out, i * size);
            normalizer.apply(out, i * size);
        }
        return out;
    }

    private static void evictTo(long allowed) {
        long held = heldBytes();
        while (!ENTRIES.isEmpty() && held > allowed) {
            held -= 4L * ENTRIES.remove(0).values().length;
        }
    }
}
