package org.sslbench.evaluate;

import java.util.SplittableRandom;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;

/**
 * Tiny learnable images for the protocol tests (fine-tune selection, SupCon, FixMatch): 8×8
 * grayscale, 3 classes, class c a bright horizontal band at rows 2c .. 2c+1 over uniform noise.
 */
final class BandImages {
    static final ImageShape SHAPE = new ImageShape(8, 8, 1);
    static final int CLASSES = 3;

    private BandImages() {
    }

    /** {@code perClass} images of each class, labels cycling 0, 1, 2, seeded. */
    static ArrayImageSet images(int perClass, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = perClass * CLASSES;
        byte[] pixels = new byte[n * SHAPE.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int p = 0; p < SHAPE.size(); p++) {
                int row = p / SHAPE.width();
                pixels[i * SHAPE.size() + p] = (byte) (rng.nextInt(80) + (row / 2 == labels[i] ? 150 : 0));
            }
        }
        return new ArrayImageSet(SHAPE, pixels, labels);
    }
}
