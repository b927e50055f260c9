package org.sslbench.plugins.rotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;

class RotationsTest {
    private static final ImageShape S = new ImageShape(3, 3, 2);

    /** Pixel (y, x) channel k holds 100·y + 10·x + k, so every value says where it came from. */
    private static float[] coded(int offsetImages) {
        float[] img = new float[(offsetImages + 1) * S.size()];
        int base = offsetImages * S.size();
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                for (int k = 0; k < 2; k++) {
                    img[base + (y * 3 + x) * 2 + k] = 100 * y + 10 * x + k;
                }
            }
        }
        return img;
    }

    private static float at(float[] img, int y, int x, int k) {
        return img[(y * 3 + x) * 2 + k];
    }

    @Test
    void quarterTurnIsCounterClockwiseLikeNumpyRot90() {
        float[] src = coded(0);
        float[] dst = new float[S.size()];
        Rotations.rotate(src, 0, dst, 0, S, 1);
        // numpy: rot90([[a,b,c],[d,e,f],[g,h,i]]) = [[c,f,i],[b,e,h],[a,d,g]]
        assertEquals(at(src, 0, 2, 0), at(dst, 0, 0, 0));
        assertEquals(at(src, 1, 2, 1), at(dst, 0, 1, 1));
        assertEquals(at(src, 0, 0, 0), at(dst, 2, 0, 0));
        assertEquals(at(src, 2, 0, 1), at(dst, 2, 2, 1));
    }

    @Test
    void twoTurnsAreAHalfTurnAndFourAreIdentity() {
        float[] src = coded(0);
        float[] once = new float[S.size()];
        float[] twice = new float[S.size()];
        float[] half = new float[S.size()];
        Rotations.rotate(src, 0, once, 0, S, 1);
        Rotations.rotate(once, 0, twice, 0, S, 1);
        Rotations.rotate(src, 0, half, 0, S, 2);
        assertArrayEquals(half, twice);
        assertEquals(at(src, 0, 0, 1), at(half, 2, 2, 1));
        float[] full = new float[S.size()];
        Rotations.rotate(src, 0, full, 0, S, 4);
        assertArrayEquals(src, full);
        float[] three = new float[S.size()];
        float[] back = new float[S.size()];
        Rotations.rotate(src, 0, three, 0, S, 3);
        Rotations.rotate(three, 0, back, 0, S, 1);
        assertArrayEquals(src, back);
    }

    @Test
    void allFourGivesEveryRotationOfEveryImageWithItsLabel() {
        float[] two = new float[2 * S.size()];
        System.arraycopy(coded(0), 0, two, 0, S.size());
        float[] second = coded(0);
        for (int i = 0; i < second.length; i++) {
            two[S.size() + i] = second[i] + 1000;
        }
        Rotations.Batch b = Rotations.make(two, 2, S, true, new SplittableRandom(1));
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, b.labels());
        for (int j = 0; j < 8; j++) {
            float[] expected = new float[S.size()];
            Rotations.rotate(two, (j / 4) * S.size(), expected, 0, S, j % 4);
            float[] actual = java.util.Arrays.copyOfRange(b.images(), j * S.size(), (j + 1) * S.size());
            assertArrayEquals(expected, actual, "image " + j);
        }
    }

    @Test
    void oneRandomRotationPerImageMatchesItsLabelAndCoversAllFour() {
        int n = 200;
        float[] images = new float[n * S.size()];
        for (int i = 0; i < n; i++) {
            float[] c = coded(0);
            for (int j = 0; j < c.length; j++) {
                images[i * S.size() + j] = c[j] + i;
            }
        }
        Rotations.Batch b = Rotations.make(images, n, S, false, new SplittableRandom(3));
        assertEquals(n, b.labels().length);
        int[] seen = new int[4];
        for (int i = 0; i < n; i++) {
            float[] expected = new float[S.size()];
            Rotations.rotate(images, i * S.size(), expected, 0, S, b.labels()[i]);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(b.images(), i * S.size(), (i + 1) * S.size()));
            seen[b.labels()[i]]++;
        }
        for (int k = 0; k < 4; k++) {
            assertTrue(seen[k] > 20, "rotation " + k + " drawn " + seen[k] + " times of " + n);
        }
    }
}
