package org.sslbench.data;

/** View on another image set that hides its labels (see {@link ImageSet#withoutLabels()}). */
final class UnlabeledImageSet implements ImageSet {
    private final ImageSet base;

    UnlabeledImageSet(ImageSet base) {
        this.base = base;
    }

    @Override public int size() { return base.size(); }
    @Override public ImageShape shape() { return base.shape(); }
    @Override public void readImage(int index, float[] dst, int offset) { base.readImage(index, dst, offset); }
    @Override public int label(int index) { return -1; }
    @Override public boolean labelled() { return false; }
}
