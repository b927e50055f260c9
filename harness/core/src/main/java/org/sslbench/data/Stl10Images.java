package org.sslbench.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * STL-10's {@code *_X.bin} files: 3 planes (R, G, B) of 96×96 bytes per image, every plane
 * column-major as MATLAB writes it, read through {@link MappedImages} ({@link MappedImages.Layout#STL10})
 * so the 2.7 GB unlabeled pool stays memory-mapped uint8 with a small heap.
 */
final class Stl10Images {
    static final int SIDE = 96;
    static final int PLANE = SIDE * SIDE;
    static final int IMAGE_BYTES = 3 * PLANE;
    static final ImageShape SHAPE = new ImageShape(SIDE, SIDE, 3);
    /** Images per mapping segment by default: whole images within 1 GiB, well under the 2 GB limit. */
    static final int DEFAULT_IMAGES_PER_SEGMENT = MappedImages.SEGMENT_BYTES / IMAGE_BYTES;

    private Stl10Images() {
    }

    /**
     * Maps the first {@code count} images of {@code file} read-only.
     *
     * @param labels 0-based labels, one per image, or {@code null} for an unlabeled set
     */
    static MappedImages map(Path file, int count, int imagesPerSegment, int[] labels) throws IOException {
        return MappedImages.map(file, SHAPE, MappedImages.Layout.STL10, count, imagesPerSegment, labels);
    }
}
