package org.sslbench.train;

import java.util.SplittableRandom;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;

/**
 * Seeded epoch orders and batch assembly: read uint8 images as floats, normalise, augment.
 * Everything random derives from (seed, epoch, step), so reruns see identical batches.
 */
public final class Batches {
    private final ImageSet images;
    private final Normalizer normalizer;
    private final long seed;
    /**
     * Augmentation buffers per thread (the prefetch thread and the caller may fill at the same time):
     * two for the augmenter, a third holding the source image of a view smaller than it.
     */
    private final ThreadLocal<float[][]> scratch;

    public Batches(ImageSet images, Normalizer normalizer, long seed) {
        this.images = images;
        this.normalizer = normalizer;
        this.seed = seed;
        int n = images.shape().size();
        this.scratch = ThreadLocal.withInitial(() -> new float[][] {new float[n], new float[n], new float[n]});
    }

    public ImageSet images() {
        return images;
    }

    public ImageShape shape() {
        return images.shape();
    }

    /** The normalisation {@link #fill} applies. */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** A permutation of the image indices for {@code epoch} (Fisher-Yates, seeded by seed and epoch). */
    public int[] order(int epoch) {
        return permutation(images.size(), random(epoch, -1));
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] idx = new int[n];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** The RNG for one step's augmentations (step -1: the epoch's shuffle). */
    public SplittableRandom random(int epoch, long step) {
        return rng(seed, epoch, step);
    }

    /** The RNG for (seed, epoch, step); distinct triples give independent streams. */
    public static SplittableRandom rng(long seed, int epoch, long step) {
        long mixed = seed * 0x9E3779B97F4A7C15L ^ (epoch + 1) * 0xC2B2AE3D27D4EB4FL ^ (step + 2) * 0x165667B19E3779F9L;
        return new SplittableRandom(mixed);
    }

    /**
     * Writes images {@code order[start .. start+n)} into {@code dst} (NHWC): read in [0, 1],
     * augmented when {@code augmenter} is not null (colour operations need real pixel values),
     * then normalised. Each image takes {@code augmenter.outputShape(shape()).size()} values: fewer
     * than the image for a multi-crop pipeline with {@code size} below 1.
     */
    public void fill(int[] order, int start, int n, float[] dst, Augmenter augmenter, SplittableRandom rng) {
        ImageShape shape = images.shape();
        ImageShape out = augmenter == null ? shape : augmenter.outputShape(shape);
        int size = out.size();
        for (int i = 0; i < n; i++) {
            int off = i * size;
            if (out.equals(shape)) {
                images.readImage(order[start + i], dst, off);
                if (augmenter != null) {
                    augmenter.apply(dst, off, shape, rng, scratch.get());
                }
                normalizer.apply(dst, off);
            } else {
                // A smaller view: the whole image is read aside, then cropped and resized into dst.
                float[][] buffers = scratch.get();
                images.readImage(order[start + i], buffers[2], 0);
                augmenter.apply(buffers[2], 0, shape, dst, off, rng, buffers);
                normalizer.apply(dst, off, out);
            }
        }
    }

    /**
     * The views of one pretext step: view {@code v} of images {@code order[start .. start+n)} into
     * {@code dst[v]} through {@code augmenters[v]}, at that view's size
     * ({@link Augmenter#outputShape}: multi-crop's local views are smaller). All views draw from the one step RNG, view
     * after view, so this order is part of what makes a step reproducible.
     */
    public void fillViews(int[] order, int start, int n, float[][] dst, Augmenter[] augmenters, SplittableRandom rng) {
        for (int v = 0; v < augmenters.length; v++) {
            fill(order, start, n, dst[v], augmenters[v], rng);
        }
    }

    /** Labels of images {@code order[start .. start+n)}. */
    public int[] labels(int[] order, int start, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = images.label(order[start + i]);
        }
        return out;
    }
}
