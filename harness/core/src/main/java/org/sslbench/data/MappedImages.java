package org.sslbench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A file of uint8 images, memory-mapped and converted to floats one image at a time, so that a
 * pool larger than the heap (STL-10's 2.7 GB unlabeled split, a decoded image folder) stays in the
 * page cache as bytes. Two layouts: {@link Layout#HWC} (row-major height × width × channels, the
 * image-folder cache) and {@link Layout#STL10} (3 column-major planes per image, as STL-10's
 * {@code *_X.bin} files are written by MATLAB).
 *
 * <p>One {@link MappedByteBuffer} cannot exceed 2 GB, so the file is mapped in segments of whole
 * images. Reads are absolute, so concurrent readers are safe.
 */
public final class MappedImages implements ImageSet {
    /** How the bytes of one image are ordered. */
    public enum Layout {
        /** byte {@code (y * width + x) * channels + c} holds row y, column x, channel c. */
        HWC,
        /** plane c, then column-major: byte {@code c * h * w + x * h + y} (STL-10 binary format). */
        STL10
    }

    private static final float INV_255 = 1f / 255f;
    /** Whole images within 1 GiB per mapping, well under the 2 GB limit of one mapping. */
    static final int SEGMENT_BYTES = 1 << 30;

    private final ByteBuffer[] segments;
    private final int imagesPerSegment;
    private final int count;
    private final int[] labels;
    private final ImageShape shape;
    private final Layout layout;
    private final ThreadLocal<byte[]> scratch;

    private MappedImages(ByteBuffer[] segments, int imagesPerSegment, int count, int[] labels, ImageShape shape,
                         Layout layout) {
        this.segments = segments;
        this.imagesPerSegment = imagesPerSegment;
        this.count = count;
        this.labels = labels;
        this.shape = shape;
        this.layout = layout;
        this.scratch = ThreadLocal.withInitial(() -> new byte[shape.size()]);
    }

    /**
     * Maps the first {@code count} images of {@code file} read-only. The channel is closed at once;
     * the mappings stay valid until they are garbage-collected.
     *
     * @param shape            every image's shape ({@link Layout#STL10} needs 3 channels)
     * @param imagesPerSegment images per mapping (tests use small values); 0 = as many as fit in 1 GiB
     * @param labels           0-based labels, one per image, or {@code null} for an unlabeled set
     * @throws IOException when the file is shorter than {@code count} images or cannot be mapped
     */
    public static MappedImages map(Path file, ImageShape shape, Layout layout, int count, int imagesPerSegment,
                                   int[] labels) throws IOException {
        int bytes = shape.size();
        int perSegment = imagesPerSegment == 0 ? Math.max(1, SEGMENT_BYTES / bytes) : imagesPerSegment;
        if (perSegment <= 0 || (long) perSegment * bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("images per segment " + perSegment + " outside 1.." + Integer.MAX_VALUE / bytes);
        }
        if (layout == Layout.STL10 && shape.channels() != 3) {
            throw new IllegalArgumentException("the STL-10 layout has 3 planes, not " + shape.channels());
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
        int n = (count + perSegment - 1) / perSegment;
        ByteBuffer[] segments = new ByteBuffer[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < (long) count * bytes) {
                throw new IOException(file + " holds " + ch.size() + " bytes, fewer than " + count + " images of "
                        + shape + " (" + (long) count * bytes + " bytes)");
            }
            for (int s = 0; s < n; s++) {
                long first = (long) s * perSegment;
                long images = Math.min(perSegment, count - first);
                segments[s] = ch.map(FileChannel.MapMode.READ_ONLY, first * bytes, images * bytes);
            }
        }
        return new MappedImages(segments, perSegment, count, labels == null ? null : labels.clone(), shape, layout);
    }

    /** A set of no images (an empty split of a cache: mapping 0 bytes is not allowed everywhere). */
    public static MappedImages empty(ImageShape shape, boolean labelled) {
        return new MappedImages(new ByteBuffer[0], 1, 0, labelled ? new int[0] : null, shape, Layout.HWC);
    }

    /** Number of mapping segments (for tests). */
    int segmentCount() {
        return segments.length;
    }

    @Override public int size() { return count; }
    @Override public ImageShape shape() { return shape; }

    /** Copies the raw bytes of image {@code index} into {@code dst} (length ≥ {@code shape().size()}). */
    public void readBytes(int index, byte[] dst) {
        Objects.checkIndex(index, count);
        segments[index / imagesPerSegment].get((index % imagesPerSegment) * shape.size(), dst, 0, shape.size());
    }

    @Override
    public void readImage(int index, float[] dst, int offset) {
        Objects.checkFromIndexSize(offset, shape.size(), dst.length);
        byte[] b = scratch.get();
        readBytes(index, b);
        if (layout == Layout.HWC) {
            for (int i = 0; i < b.length; i++) {
                dst[offset + i] = (b[i] & 0xFF) * INV_255;
            }
            return;
        }
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < w; x++) {
                int src = c * plane + x * h;  // column x, rows 0..h-1 follow each other
                int out = offset + x * 3 + c; // HWC: (y * w + x) * 3 + c
                for (int y = 0; y < h; y++) {
                    dst[out + y * w * 3] = (b[src + y] & 0xFF) * INV_255;
                }
            }
        }
    }

    @Override public int label(int index) { return labels == null ? -1 : labels[index]; }
    @Override public boolean labelled() { return labels != null; }
}
