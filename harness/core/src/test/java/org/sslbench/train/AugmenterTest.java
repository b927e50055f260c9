package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;

class AugmenterTest {
    private static final ImageShape S = new ImageShape(4, 5, 1);

    private static float[] ramp() {
        float[] img = new float[S.size()];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        return img;
    }

    @Test
    void hflipMirrorsColumns() {
        float[] dst = new float[S.size()];
        Augmenter.hflip(ramp(), dst, S);
        assertEquals(4f, dst[0]);   // row 0: 0 1 2 3 4 -> 4 3 2 1 0
        assertEquals(0f, dst[4]);
        assertEquals(9f, dst[5]);   // row 1 starts with the old last column
    }

    @Test
    void shiftRepeatsEdgesAndKeepsValuesFromTheImage() {
        float[] src = ramp();
        float[] dst = new float[S.size()];
        SplittableRandom rng = new SplittableRandom(5);
        boolean moved = false;
        for (int t = 0; t < 20; t++) {
            Augmenter.shift(src, dst, S, rng, 0.4);
            for (float v : dst) {
                assertTrue(v >= 0 && v < S.size(), "value outside the image: " + v);
            }
            moved |= !java.util.Arrays.equals(src, dst);
        }
        assertTrue(moved, "a 40% shift should move the image at least once in 20 draws");
    }

    @Test
    void fullWindowCropIsTheIdentity() {
        float[] dst = new float[S.size()];
        Augmenter.resizeBilinear(ramp(), dst, S, 0, 0, S.width(), S.height());
        assertArrayEquals(ramp(), dst, 1e-5f);
    }

    @Test
    void sameSeedSameViewDifferentSeedDifferentView() {
        Augmenter a = new Augmenter(Map.of("crop", 0.3, "hflip", true, "shift", 0.2));
        float[][] scratch = {new float[S.size()], new float[S.size()]};
        float[] x = ramp();
        float[] y = ramp();
        float[] z = ramp();
        a.apply(x, 0, S, new SplittableRandom(9), scratch);
        a.apply(y, 0, S, new SplittableRandom(9), scratch);
        a.apply(z, 0, S, new SplittableRandom(10), scratch);
        assertArrayEquals(x, y);
        assertNotEquals(java.util.Arrays.toString(x), java.util.Arrays.toString(z));
    }

    @Test
    void emptySpecIsIdentity() {
        assertTrue(new Augmenter(Map.of()).isIdentity());
        assertTrue(new Augmenter(Map.of("hflip", false)).isIdentity());
    }

    /**
     * Issue 10 follow-up: colour jitter with the largest finite strengths (which the spec now
     * refuses, but a plugin's default recipe could carry) never yields NaN or infinite pixels: the
     * factor is drawn without overflowing and the blend keeps every term finite.
     */
    @Test
    void extremeJitterStrengthsKeepEveryPixelFiniteAndInRange() {
        ImageShape rgb = new ImageShape(4, 5, 3);
        for (double strength : new double[] {1e308, Double.MAX_VALUE, 3.0}) {
            Augmenter a = new Augmenter(Map.of("jitter", 1.0, "brightness", strength, "contrast", strength,
                    "saturation", strength, "hue", 0.5));
            float[] img = new float[rgb.size()];
            for (int i = 0; i < img.length; i++) {
                img[i] = (i % 7) / 7f;
            }
            SplittableRandom rng = new SplittableRandom(1);
            float[][] scratch = {new float[rgb.size()], new float[rgb.size()]};
            for (int round = 0; round < 20; round++) {
                float[] out = img.clone();
                a.apply(out, 0, rgb, rng, scratch);
                for (float v : out) {
                    assertTrue(v >= 0 && v <= 1, "strength " + strength + ": pixel " + v);
                }
            }
        }
    }

    @Test
    void jitterFactorStaysInTorchvisionsIntervalForAnyFiniteStrength() {
        SplittableRandom rng = new SplittableRandom(2);
        for (double s : new double[] {0.4, 1.0, 2.0, 1e308, Double.MAX_VALUE}) {
            for (int i = 0; i < 100; i++) {
                double f = Augmenter.factor(rng, s);
                assertTrue(Double.isFinite(f) && f >= Math.max(0, 1 - s) && f <= 1 + s, "strength " + s + ": " + f);
            }
        }
        assertEquals(0f, Augmenter.clamp(Double.NaN));
        assertEquals(1f, Augmenter.clamp(Double.POSITIVE_INFINITY));
        assertEquals(0.25f, Augmenter.clamp(0.25));
    }
}
