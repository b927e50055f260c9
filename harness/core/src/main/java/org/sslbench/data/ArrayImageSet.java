package org.sslbench.data;

/** In-memory uint8 images (HWC, one image after the other) with optional labels. */
public final class ArrayImageSet implements ImageSet {
    private static final float INV_255 = 1f / 255f;
    private final ImageShape shape;
    private final byte[] pixels;
    private final int[] labels;

    /**
     * @param pixels uint8 values, {@code shape.size()} per image, HWC
     * @param labels one label per image, or {@code null} for an unlabeled set
     */
    public ArrayImageSet(ImageShape shape, byte[] pixels, int[] labels) {
        if (pixels.length % shape.size() != 0) {
            throw new IllegalArgumentException("pixel array of " + pixels.length + " values is not a whole number of " + shape + " images");
        }
        int n = pixels.length / shape.size();
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
        }
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override public int size() { return pixels.length / shape.size(); }
    @Override public ImageShape shape() { return shape; }

    @Override
    public void readImage(int index, float[] dst, int offset) {
        int n = shape.size();
        int base = index * n;
        for (int i = 0; i < n; i++) {
            dst[offset + i] = (pixels[base + i] & 0xFF) * INV_255;
        }
    }

    @Override public int label(int index) { return labels == null ? -1 : labels[index]; }
    @Override public boolean labelled() { return labels != null; }
}
