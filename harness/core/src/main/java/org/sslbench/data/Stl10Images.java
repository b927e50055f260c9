package org.sslbench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * An STL-10 {@code *_X.bin} file, memory-mapped and converted one image at a time: the pixels stay
 * uint8 in the page cache (never a float array, never one {@code byte[]}), which is what lets the
 * 2.7 GB unlabeled pool be used with a small heap.
 *
 * <p>One {@link MappedByteBuffer} cannot exceed 2 GB, so the file is mapped in segments of whole
 * images. Each image is 3 planes (R, G, B) of 96×96 bytes, every plane column-major as MATLAB writes
 * it (byte {@code x * 96 + y} holds row {@code y}, column {@code x}); {@link #readImage} converts
 * to row-major HWC in [0, 1]. Reads are absolute, so concurrent readers are safe.
 */
final class Stl10Images implements ImageSet {
    static final int SIDE = 96;
    static final int PLANE = SIDE * SIDE;
    static final int IMAGE_BYTES = 3 * PLANE;
    static final ImageShape SHAPE = new ImageShape(SIDE, SIDE, 3);
    /** Images per mapping segment by default: whole images within 1 GiB, well under the 2 GB limit. */
    static final int DEFAULT_IMAGES_PER_SEGMENT = (1 << 30) / IMAGE_BYTES;
    private static final float INV_255 = 1f / 255f;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[IMAGE_BYTES]);

    private final ByteBuffer[] segments;
    private final int imagesPerSegment;
    private final int count;
    private final int[] labels;

    private Stl10Images(ByteBuffer[] segments, int imagesPerSegment, int count, int[] labels) {
        this.segments = segments;
        this.imagesPerSegment = imagesPerSegment;
        this.count = count;
        this.labels = labels;
    }

    /**
     * Maps the first {@code count} images of {@code file} read-only. The channel is closed at once;
     * the mappings stay valid until they are garbage-collected.
     *
     * @param labels 0-based labels, one per image, or {@code null} for an unlabeled set
     */
    static Stl10Images map(Path file, int count, int imagesPerSegment, int[] labels) throws IOException {
        if (imagesPerSegment <= 0 || (long) imagesPerSegment * IMAGE_BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("images per segment " + imagesPerSegment + " outside 1.."
                    + Integer.MAX_VALUE / IMAGE_BYTES);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
        int n = (count + imagesPerSegment - 1) / imagesPerSegment;
        ByteBuffer[] segments = new ByteBuffer[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int s = 0; s < n; s++) {
                long first = (long) s * imagesPerSegment;
                long images = Math.min(imagesPerSegment, count - first);
                segments[s] = ch.map(FileChannel.MapMode.READ_ONLY, first * IMAGE_BYTES, images * IMAGE_BYTES);
            }
        }
        return new Stl10Images(segments, imagesPerSegment, count, labels == null ? null : labels.clone());
    }

    /** Number of mapping segments (for tests). */
    int segmentCount() {
        return segments.length;
    }

    @Override public int size() { return count; }
    @Override public ImageShape shape() { return SHAPE; }

    @Override
    public void readImage(int index, float[] dst, int offset) {
        Objects.checkIndex(index, count);
        Objects.checkFromIndexSize(offset, IMAGE_BYTES, dst.length);
        byte[] b = SCRATCH.get();
        segments[index / imagesPerSegment].get((index % imagesPerSegment) * IMAGE_BYTES, b);
        for (int c = 0; c < 3; c++) {
            int plane = c * PLANE;
            for (int x = 0; x < SIDE; x++) {
                int src = plane + x * SIDE;       // column x, rows 0..95 follow each other
                int out = offset + x * 3 + c;     // HWC: (y * 96 + x) * 3 + c
                for (int y = 0; y < SIDE; y++) {
                    dst[out + y * SIDE * 3] = (b[src + y] & 0xFF) * INV_255;
                }
            }
        }
    }

    @Override public int label(int index) { return labels == null ? -1 : labels[index]; }
    @Override public boolean labelled() { return labels != null; }
}
