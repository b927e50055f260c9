package org.sslbench.data;

/**
 * Images addressed by index, so that a large pool (STL-10's 100k unlabeled images) can stay
 * memory-mapped as uint8 and be converted to floats one batch at a time.
 */
public interface ImageSet {
    int size();

    ImageShape shape();

    /** Copies image {@code index} into {@code dst} from {@code offset}: HWC order, values in [0, 1]. */
    void readImage(int index, float[] dst, int offset);

    /** Class label of image {@code index} in [0, classes), or -1 when this set is unlabeled. */
    int label(int index);

    boolean labelled();

    /** A view on the images at {@code indices} (in that order); no pixels are copied. */
    default ImageSet subset(int[] indices) {
        return new SubsetImageSet(this, indices);
    }

    /**
     * The same images with labels hidden ({@code labelled() == false}, {@code label(i) == -1}), so a
     * pretext pool can never leak labels into pretraining. No pixels are copied.
     */
    default ImageSet withoutLabels() {
        return labelled() ? new UnlabeledImageSet(this) : this;
    }

    /** All labels as an array (empty array when unlabeled). */
    default int[] labels() {
        if (!labelled()) {
            return new int[0];
        }
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }
}
