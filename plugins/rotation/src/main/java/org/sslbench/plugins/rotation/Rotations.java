package org.sslbench.plugins.rotation;

import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;

/** Pure rotation logic of RotNet: quarter turns of HWC images and the rotated batch with its labels. */
public final class Rotations {
    private Rotations() {
    }

    /**
     * Rotates a square HWC image {@code k} quarter turns counter-clockwise, as {@code numpy.rot90}:
     * {@code out[y][x] = in[x][n-1-y]} for one turn.
     */
    public static void rotate(float[] src, int srcOff, float[] dst, int dstOff, ImageShape s, int k) {
        int n = s.height();
        int c = s.channels();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int sy;
                int sx;
                switch (k & 3) {
                    case 0 -> { sy = y; sx = x; }
                    case 1 -> { sy = x; sx = n - 1 - y; }
                    case 2 -> { sy = n - 1 - y; sx = n - 1 - x; }
                    default -> { sy = n - 1 - x; sx = y; }
                }
                System.arraycopy(src, srcOff + (sy * n + sx) * c, dst, dstOff + (y * n + x) * c, c);
            }
        }
    }

    /** A batch of rotated images with the rotation (0..3 quarter turns) of each as its label. */
    public record Batch(float[] images, int[] labels) {
    }

    /**
     * @param allFour all four rotations of every image (4n images, image-major) instead of one
     *                uniformly random rotation per image (n images)
     */
    public static Batch make(float[] images, int n, ImageShape s, boolean allFour, SplittableRandom rng) {
        int size = s.size();
        int out = allFour ? 4 * n : n;
        float[] rotated = new float[out * size];
        int[] labels = new int[out];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (allFour) {
                for (int k = 0; k < 4; k++, j++) {
                    rotate(images, i * size, rotated, j * size, s, k);
                    labels[j] = k;
                }
            } else {
                int k = rng.nextInt(4);
                rotate(images, i * size, rotated, j * size, s, k);
                labels[j++] = k;
            }
        }
        return new Batch(rotated, labels);
    }
}
