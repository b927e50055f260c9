package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;

/** Each RandAugment operation on tiny images against hand-computed values; sampling; determinism. */
class RandAugmentTest {
    private static final float EPS = 1e-6f;

    private static float[] run(RandAugment.Op op, float[] src, ImageShape s, double m) {
        float[] dst = new float[s.size()];
        op.apply(src, dst, s, m);
        return dst;
    }

    @Test
    void solarizeInvertsValuesAtOrAboveTheThreshold() {
        ImageShape s = new ImageShape(1, 4, 1);
        assertArrayEquals(new float[] {0.2f, 0.5f, 0.4f, 0f},
                run(RandAugment.Op.SOLARIZE, new float[] {0.2f, 0.5f, 0.6f, 1f}, s, 0.5), EPS);
        // T = 1 keeps everything below 1; T = 0 inverts every value.
        assertArrayEquals(new float[] {0.8f, 0.5f, 0.4f, 0f},
                run(RandAugment.Op.SOLARIZE, new float[] {0.2f, 0.5f, 0.6f, 1f}, s, 0), EPS);
    }

    @Test
    void posterizeKeepsTheTopBitsOfTheEightBitLevel() {
        ImageShape s = new ImageShape(1, 3, 1);
        float[] src = {200 / 255f, 37 / 255f, 1f};
        // 200 = 0b11001000 → 4 bits: 0b11000000 = 192; 37 = 0b00100101 → 0b00100000 = 32; 255 → 240
        assertArrayEquals(new float[] {192 / 255f, 32 / 255f, 240 / 255f}, run(RandAugment.Op.POSTERIZE, src, s, 4), EPS);
        assertArrayEquals(src, run(RandAugment.Op.POSTERIZE, src, s, 8), EPS);
    }

    /**
     * PIL's equalize on 765 values: 255 each at levels 10, 100 and 200. step = (765 − 255) / 255 = 2;
     * level 10 → (1 + 0) / 2 = 0, level 100 → (1 + 255) / 2 = 128, level 200 → (1 + 510) / 2 = 255.
     */
    @Test
    void equalizeFollowsPilsHistogramAlgorithm() {
        ImageShape s = new ImageShape(15, 51, 1);
        float[] src = new float[s.size()];
        for (int i = 0; i < src.length; i++) {
            src[i] = (i < 255 ? 10 : i < 510 ? 100 : 200) / 255f;
        }
        float[] out = run(RandAugment.Op.EQUALIZE, src, s, 0);
        assertEquals(0f, out[0], EPS);
        assertEquals(128 / 255f, out[300], EPS);
        assertEquals(1f, out[700], EPS);
        // Too few values for a step (PIL: step 0): unchanged.
        ImageShape tiny = new ImageShape(2, 2, 1);
        float[] few = {0.1f, 0.2f, 0.3f, 0.4f};
        assertArrayEquals(few, run(RandAugment.Op.EQUALIZE, few, tiny, 0), EPS);
    }

    @Test
    void autoContrastStretchesEachChannelToZeroOneAndKeepsAConstantChannel() {
        ImageShape s = new ImageShape(1, 3, 2);
        float[] src = {0.2f, 0.3f, 0.4f, 0.3f, 0.6f, 0.3f};
        assertArrayEquals(new float[] {0f, 0.3f, 0.5f, 0.3f, 1f, 0.3f}, run(RandAugment.Op.AUTO_CONTRAST, src, s, 0), EPS);
    }

    @Test
    void brightnessContrastAndColorBlendTowardTheirDegenerateImages() {
        ImageShape gray = new ImageShape(1, 2, 1);
        assertArrayEquals(new float[] {0.4f, 0.1f}, run(RandAugment.Op.BRIGHTNESS, new float[] {0.8f, 0.2f}, gray, 0.5), EPS);
        // mean 0.4: 0.4 + 0.5·(0.2 − 0.4) = 0.3, 0.4 + 0.5·(0.6 − 0.4) = 0.5
        assertArrayEquals(new float[] {0.3f, 0.5f}, run(RandAugment.Op.CONTRAST, new float[] {0.2f, 0.6f}, gray, 0.5), EPS);
        // Color on one channel: unchanged; on RGB (1, 0, 0) with f = 0.05: luma 0.299 + 0.05·(v − 0.299)
        assertArrayEquals(new float[] {0.2f, 0.6f}, run(RandAugment.Op.COLOR, new float[] {0.2f, 0.6f}, gray, 0.05), EPS);
        float l = 0.299f;
        assertArrayEquals(new float[] {l + 0.05f * (1 - l), l - 0.05f * l, l - 0.05f * l},
                run(RandAugment.Op.COLOR, new float[] {1f, 0f, 0f}, new ImageShape(1, 1, 3), 0.05), EPS);
    }

    /** A 3×3 impulse: SMOOTH gives 5/13 at the centre; f = 0.5 → 5/13 + ½(1 − 5/13) = 9/13; the border is kept. */
    @Test
    void sharpnessBlendsWithPilsSmoothFilterOnInteriorPixels() {
        ImageShape s = new ImageShape(3, 3, 1);
        float[] src = new float[9];
        src[4] = 1f;
        float[] out = run(RandAugment.Op.SHARPNESS, src, s, 0.5);
        assertEquals(9 / 13f, out[4], EPS);
        for (int i = 0; i < 9; i++) {
            if (i != 4) {
                assertEquals(0f, out[i], EPS);
            }
        }
    }

    @Test
    void geometricOpsMoveNearestPixelsAndFillZero() {
        ImageShape s3 = new ImageShape(3, 3, 1);
        float[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        // 90°: output (x, y) reads source (y, 2 − x): the first row becomes the first column reversed
        assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, run(RandAugment.Op.ROTATE, src, s3, 90), EPS);
        ImageShape s = new ImageShape(10, 10, 1);
        float[] img = new float[100];
        for (int i = 0; i < 100; i++) {
            img[i] = (i + 1) / 100f;
        }
        // ShearX 0.3, row 5: source x = floor(x + ½ + 0.3·5.5) = x + 2; x = 8 falls outside → 0
        float[] sx = run(RandAugment.Op.SHEAR_X, img, s, 0.3);
        assertEquals(img[5 * 10 + 2], sx[5 * 10], EPS);
        assertEquals(0f, sx[5 * 10 + 8], EPS);
        float[] sy = run(RandAugment.Op.SHEAR_Y, img, s, 0.3);
        assertEquals(img[2 * 10 + 5], sy[5], EPS);
        // TranslateX −0.3 of 10 px: output x reads x − 3, so the first 3 columns are 0
        float[] tx = run(RandAugment.Op.TRANSLATE_X, img, s, -0.3);
        assertEquals(0f, tx[2], EPS);
        assertEquals(img[0], tx[3], EPS);
        float[] ty = run(RandAugment.Op.TRANSLATE_Y, img, s, 0.3);
        assertEquals(img[3 * 10], ty[0], EPS);
        assertEquals(0f, ty[7 * 10], EPS);
        // 30° on 9×9 ones: the centre stays, the corners come from outside
        ImageShape s9 = new ImageShape(9, 9, 1);
        float[] ones = new float[81];
        Arrays.fill(ones, 1f);
        float[] r = run(RandAugment.Op.ROTATE, ones, s9, 30);
        assertEquals(1f, r[40], EPS);
        assertEquals(0f, r[0], EPS);
        assertEquals(0f, r[80], EPS);
    }

    @Test
    void magnitudesAreDrawnOverTheirWholeRange() {
        SplittableRandom rng = new SplittableRandom(3);
        for (RandAugment.Op op : RandAugment.OPS) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            Set<Double> values = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                double m = op.sample(rng);
                assertTrue(m >= op.lo && m <= op.hi, op + " magnitude " + m);
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
                values.add(m);
            }
            double span = op.hi - op.lo;
            assertTrue(lo <= op.lo + 0.01 * span && hi >= op.hi - 0.01 * span, op + " covers [" + lo + ", " + hi + "]");
            if (op == RandAugment.Op.POSTERIZE) {
                assertEquals(Set.of(4.0, 5.0, 6.0, 7.0, 8.0), values);
            }
        }
        assertEquals(14, RandAugment.OPS.size());
        assertEquals(-30, RandAugment.Op.ROTATE.lo);
        assertEquals(0.95, RandAugment.Op.BRIGHTNESS.hi);
    }

    private static float[] randomImage(ImageShape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] img = new float[s.size()];
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextInt(256) / 255f;
        }
        return img;
    }

    @Test
    void aSeededStreamGivesTheSameImageAndOtherSeedsDiffer() {
        ImageShape s = new ImageShape(8, 8, 3);
        float[] img = randomImage(s, 1);
        RandAugment ra = new RandAugment(2);
        float[] a = new float[s.size()];
        float[] b = new float[s.size()];
        ra.apply(img, a, s, new SplittableRandom(42));
        ra.apply(img, b, s, new SplittableRandom(42));
        assertArrayEquals(a, b);
        int differing = 0;
        for (long seed = 0; seed < 10; seed++) {
            float[] c = new float[s.size()];
            ra.apply(img, c, s, new SplittableRandom(seed));
            differing += Arrays.equals(a, c) ? 0 : 1;
        }
        assertTrue(differing >= 8, "other seeds give other images: " + differing + " of 10");
        float[] none = new float[s.size()];
        new RandAugment(0).apply(img, none, s, new SplittableRandom(42));
        assertArrayEquals(img, none);
    }

    /** Every op at random magnitudes on one- and three-channel images: values stay in [0, 1]. */
    @Test
    void everyOpWorksOnGrayscaleAndColourImagesWithinZeroOne() {
        SplittableRandom rng = new SplittableRandom(9);
        for (ImageShape s : new ImageShape[] {new ImageShape(7, 5, 1), new ImageShape(7, 5, 3)}) {
            float[] img = randomImage(s, s.channels());
            for (RandAugment.Op op : RandAugment.OPS) {
                for (int i = 0; i < 20; i++) {
                    for (float v : run(op, img, s, op.sample(rng))) {
                        assertTrue(v >= 0 && v <= 1, op + " on " + s + " gave " + v);
                    }
                }
            }
        }
    }

    @Test
    void cutoutPaintsOneGraySquareOfAtMostTheGivenFraction() {
        ImageShape s = new ImageShape(8, 8, 1);
        float[] img = new float[64];
        Arrays.fill(img, 0.9f);
        int largest = 0;
        for (long seed = 0; seed < 200; seed++) {
            float[] out = new float[64];
            RandAugment.cutout(img, out, s, new SplittableRandom(seed), 0.5);
            int x0 = 8;
            int x1 = -1;
            int y0 = 8;
            int y1 = -1;
            int gray = 0;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    float v = out[y * 8 + x];
                    if (v == RandAugment.CUTOUT_GRAY) {
                        gray++;
                        x0 = Math.min(x0, x);
                        x1 = Math.max(x1, x);
                        y0 = Math.min(y0, y);
                        y1 = Math.max(y1, y);
                    } else {
                        assertEquals(0.9f, v);
                    }
                }
            }
            if (gray > 0) {
                assertEquals((x1 - x0 + 1) * (y1 - y0 + 1), gray, "one rectangle");
                assertTrue(x1 - x0 + 1 <= 4 && y1 - y0 + 1 <= 4, "side at most half of 8");
            }
            largest = Math.max(largest, gray);
        }
        assertTrue(largest >= 9, "squares of side 3 or more occur: " + largest);
    }

    /** The pipeline keys: randaugment then cutout, after the weak steps, from the same step RNG. */
    @Test
    void augmenterRunsRandAugmentThenCutout() {
        ImageShape s = new ImageShape(8, 8, 3);
        float[] img = randomImage(s, 5);
        float[] viaAugmenter = img.clone();
        new Augmenter(Map.of("randaugment", 2, "cutout", 0.5)).apply(viaAugmenter, 0, s, new SplittableRandom(11),
                new float[][] {new float[s.size()], new float[s.size()]});
        SplittableRandom rng = new SplittableRandom(11);
        float[] mid = new float[s.size()];
        new RandAugment(2).apply(img, mid, s, rng);
        float[] expected = new float[s.size()];
        RandAugment.cutout(mid, expected, s, rng, 0.5);
        assertArrayEquals(expected, viaAugmenter);
        assertFalse(Arrays.equals(img, viaAugmenter));
        assertTrue(new Augmenter(Map.of("randaugment", 0, "cutout", 0.0)).isIdentity());
    }
}
