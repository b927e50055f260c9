package org.sslbench.data;

/** Index view on another image set (label subsets, unlabeled-pool limits). */
final class SubsetImageSet implements ImageSet {
    private final ImageSet base;
    private final int[] indices;

    SubsetImageSet(ImageSet base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IndexOutOfBoundsException("subset index " + i + " outside 0.." + (base.size() - 1));
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    @Override public int size() { return indices.length; }
    @Override public ImageShape shape() { return base.shape(); }
    @Override public void readImage(int index, float[] dst, int offset) { base.readImage(indices[index], dst, offset); }
    @Override public int label(int index) { return base.label(indices[index]); }
    @Override public boolean labelled() { return base.labelled(); }
}
