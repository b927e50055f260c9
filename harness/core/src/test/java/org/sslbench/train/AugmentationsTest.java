package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;

/**
 * What each augmentation must do, checked against its definition rather than against a recorded
 * output: jitter factors are recovered from the result and must explain every value.
 */
class AugmentationsTest {
    private static final ImageShape RGB = new ImageShape(6, 6, 3);
    private static final ImageShape GRAY = new ImageShape(6, 6, 1);
    private static final double EPS = 1e-5;

    // ---- helpers ----

    /** Values uniform in [lo, hi], seeded. */
    private static float[] image(ImageShape s, long seed, double lo, double hi) {
        Random r = new Random(seed);
        float[] img = new float[s.size()];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return img;
    }

    private static float[] filled(ImageShape s, float value) {
        float[] img = new float[s.size()];
        Arrays.fill(img, value);
        return img;
    }

    /** The pipeline applied to a copy of {@code img} with {@code new SplittableRandom(seed)}. */
    private static float[] apply(Augmenter a, float[] img, ImageShape s, long seed) {
        float[] out = img.clone();
        a.apply(out, 0, s, new SplittableRandom(seed), new float[][] {new float[s.size()], new float[s.size()]});
        return out;
    }

    private static double luma(float[] img, int pixel) {
        return 0.299 * img[pixel * 3] + 0.587 * img[pixel * 3 + 1] + 0.114 * img[pixel * 3 + 2];
    }

    private static double mean(float[] img) {
        double sum = 0;
        for (float v : img) {
            sum += v;
        }
        return sum / img.length;
    }

    private static double variance(float[] img) {
        double m = mean(img);
        double sum = 0;
        for (float v : img) {
            sum += (v - m) * (v - m);
        }
        return sum / img.length;
    }

    private static int argMaxAbsDiff(float[] a, float[] b) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > Math.abs(a[best] - b[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Checks factors lie in [1−s, 1+s] and, over many draws, cover most of it (they are really drawn). */
    private static void assertFactorsSpanRange(double[] factors, double s) {
        double min = Arrays.stream(factors).min().orElseThrow();
        double max = Arrays.stream(factors).max().orElseThrow();
        assertTrue(min >= 1 - s - EPS && max <= 1 + s + EPS, "factors " + min + ".." + max + " outside 1±" + s);
        assertTrue(min < 1 - 0.8 * s && max > 1 + 0.8 * s, "factors " + min + ".." + max + " do not cover 1±" + s);
    }

    // ---- colour jitter ----

    @Test
    void brightnessMultipliesEveryValueByOneFactorFromOneMinusToOnePlusStrength() {
        double s = 0.5;
        Augmenter a = new Augmenter(Map.of("jitter", 1.0, "brightness", s));
        float[] x = image(RGB, 1, 0.2, 0.6); // f·x stays inside [0, 1]: no clamping to hide errors
        double[] factors = new double[200];
        for (int seed = 0; seed < factors.length; seed++) {
            float[] y = apply(a, x, RGB, seed);
            double f = y[0] / x[0];
            for (int i = 0; i < x.length; i++) {
                assertEquals(f * x[i], y[i], EPS, "value " + i + " seed " + seed);
            }
            factors[seed] = f;
        }
        assertFactorsSpanRange(factors, s);
    }

    @Test
    void contrastBlendsTowardTheMeanLuma() {
        double s = 0.5;
        Augmenter a = new Augmenter(Map.of("jitter", 1.0, "contrast", s));
        float[] x = image(RGB, 2, 0.2, 0.6);
        double meanLuma = 0;
        for (int p = 0; p < RGB.height() * RGB.width(); p++) {
            meanLuma += luma(x, p) / (RGB.height() * RGB.width());
        }
        int i0 = argMaxAbsDiff(x, filled(RGB, (float) meanLuma));
        double[] factors = new double[200];
        for (int seed = 0; seed < factors.length; seed++) {
            float[] y = apply(a, x, RGB, seed);
            // y = f·x + (1−f)·m  ⇒  f = (y − m) / (x − m), read off the value farthest from m
            double f = (y[i0] - meanLuma) / (x[i0] - meanLuma);
            for (int i = 0; i < x.length; i++) {
                assertEquals(f * x[i] + (1 - f) * meanLuma, y[i], EPS, "value " + i + " seed " + seed);
            }
            factors[seed] = f;
        }
        assertFactorsSpanRange(factors, s);
    }

    @Test
    void saturationBlendsEachPixelTowardItsOwnLuma() {
        double s = 0.5;
        Augmenter a = new Augmenter(Map.of("jitter", 1.0, "saturation", s));
        float[] x = image(RGB, 3, 0.2, 0.6);
        float[] gray = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            gray[i] = (float) luma(x, i / 3);
        }
        int i0 = argMaxAbsDiff(x, gray);
        double[] factors = new double[200];
        for (int seed = 0; seed < factors.length; seed++) {
            float[] y = apply(a, x, RGB, seed);
            double f = (y[i0] - gray[i0]) / (x[i0] - gray[i0]);
            for (int i = 0; i < x.length; i++) {
                assertEquals(f * x[i] + (1 - f) * gray[i], y[i], EPS, "value " + i + " seed " + seed);
            }
            factors[seed] = f;
        }
        assertFactorsSpanRange(factors, s);
    }

    @Test
    void hueShiftRotatesPureRedAroundTheColourWheel() {
        ImageShape one = new ImageShape(1, 1, 3);
        Map<Double, float[]> expected = Map.of(
                1.0 / 6, new float[] {1, 1, 0},   // yellow
                1.0 / 3, new float[] {0, 1, 0},   // green
                0.5, new float[] {0, 1, 1},       // cyan
                2.0 / 3, new float[] {0, 0, 1},   // blue
                -1.0 / 6, new float[] {1, 0, 1}); // magenta
        expected.forEach((shift, rgb) -> {
            float[] red = {1, 0, 0};
            Augmenter.hueShift(red, one, shift);
            assertArrayEquals(rgb, red, 1e-6f, "red shifted by " + shift + " turns");
        });
        float[] dark = {0.5f, 0.25f, 0.25f}; // value 0.5, saturation 0.5: both must survive the shift
        Augmenter.hueShift(dark, one, 1.0 / 3);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f}, dark, 1e-6f);
    }

    @Test
    void hueJitterKeepsValueAndSaturationAndChangesTheHue() {
        ImageShape one = new ImageShape(1, 1, 3);
        Augmenter a = new Augmenter(Map.of("jitter", 1.0, "hue", 0.5));
        boolean moved = false;
        for (int seed = 0; seed < 50; seed++) {
            float[] y = apply(a, new float[] {1, 0, 0}, one, seed);
            float max = Math.max(y[0], Math.max(y[1], y[2]));
            float min = Math.min(y[0], Math.min(y[1], y[2]));
            assertEquals(1f, max, 1e-6f);
            assertEquals(0f, min, 1e-6f);
            moved |= y[0] < 0.99f || y[1] > 0.01f || y[2] > 0.01f;
        }
        assertTrue(moved, "50 hue draws in ±0.5 turns never moved pure red");
    }

    // ---- grayscale, blur, solarize ----

    @Test
    void grayscaleGivesEqualChannelsWithItuR601Luma() {
        float[] x = image(RGB, 4, 0, 1);
        float[] y = apply(new Augmenter(Map.of("grayscale", 1.0)), x, RGB, 0);
        for (int p = 0; p < RGB.height() * RGB.width(); p++) {
            double expected = 0.299 * x[3 * p] + 0.587 * x[3 * p + 1] + 0.114 * x[3 * p + 2];
            for (int k = 0; k < 3; k++) {
                assertEquals(expected, y[3 * p + k], 1e-6, "pixel " + p + " channel " + k);
            }
        }
    }

    /** σ → 0 tends to the identity; the centre tap was 0/0 = NaN at σ = 0 and once σ² underflowed. */
    @Test
    void blurWithVanishingSigmaIsTheIdentityNotNaN() {
        float[] img = image(RGB, 9, 0, 1);
        for (double sigma : new double[] {0.0, 1e-200, 1e-3, 0.05}) {
            float[] out = new float[RGB.size()];
            Augmenter.gaussianBlur(img, out, RGB, sigma);
            assertArrayEquals(img, out, 0f, "sigma " + sigma);
        }
    }

    @Test
    void blurPreservesAConstantImageAndSmoothsACheckerboard() {
        ImageShape s = new ImageShape(10, 10, 1);
        float[] flat = filled(s, 0.37f);
        float[] checker = new float[s.size()];
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                checker[y * 10 + x] = (x + y) % 2;
            }
        }
        for (double sigma : new double[] {0.3, 1.0, 2.0}) {
            float[] out = new float[s.size()];
            Augmenter.gaussianBlur(flat, out, s, sigma);
            assertArrayEquals(flat, out, 1e-6f, "a normalised kernel leaves a constant image unchanged");
            Augmenter.gaussianBlur(checker, out, s, sigma);
            assertEquals(mean(checker), mean(out), 1e-5, "sigma " + sigma);
            // σ = 0.3 barely blurs; from σ = 1 the 3-tap kernel nearly averages the pattern away.
            double bound = sigma < 1 ? variance(checker) : 0.1 * variance(checker);
            assertTrue(variance(out) < bound, "sigma " + sigma + ": variance " + variance(out) + " not below " + bound);
        }
        Augmenter always = new Augmenter(Map.of("blur", 1.0));
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(0.37, mean(apply(always, flat, s, seed)), 1e-6);
            assertTrue(variance(apply(always, checker, s, seed)) < variance(checker));
        }
    }

    @Test
    void solarizeInvertsExactlyTheValuesFromOneHalfUp() {
        float[] x = {0f, 0.25f, 0.4999f, 0.5f, 0.5001f, 0.75f, 1f};
        ImageShape s = new ImageShape(1, x.length, 1);
        float[] y = apply(new Augmenter(Map.of("solarize", 1.0)), x, s, 0);
        assertArrayEquals(new float[] {0f, 0.25f, 0.4999f, 0.5f, 1 - 0.5001f, 0.25f, 0f}, y);
    }

    // ---- properties of every operation ----

    private static final List<Map<String, Object>> EVERY_OPERATION = List.of(
            Map.of("crop", 0.08),
            Map.of("shift", 0.3),
            Map.of("hflip", true),
            Map.of("jitter", 1.0, "brightness", 0.9),
            Map.of("jitter", 1.0, "contrast", 0.9),
            Map.of("jitter", 1.0, "saturation", 0.9),
            Map.of("jitter", 1.0, "hue", 0.5),
            Map.of("grayscale", 1.0),
            Map.of("blur", 1.0),
            Map.of("solarize", 1.0),
            Map.of("crop", 0.2, "hflip", true, "jitter", 0.8, "brightness", 0.8, "contrast", 0.8, "saturation", 0.8,
                    "hue", 0.2, "grayscale", 0.2, "blur", 0.5, "solarize", 0.2));

    @Test
    void everyOperationKeepsValuesInTheUnitInterval() {
        for (ImageShape s : List.of(RGB, GRAY)) {
            float[] x = image(s, 5, 0, 1);
            x[0] = 0;
            x[1] = 1; // the extremes, where overshoot would show
            for (Map<String, Object> spec : EVERY_OPERATION) {
                Augmenter a = new Augmenter(spec);
                for (int seed = 0; seed < 50; seed++) {
                    for (float v : apply(a, x, s, seed)) {
                        assertTrue(v >= 0 && v <= 1, spec + " on " + s + " seed " + seed + " gave " + v);
                    }
                }
            }
        }
    }

    @Test
    void colourOperationsAreNoOpsOnOneChannelImages() {
        float[] x = image(GRAY, 6, 0, 1);
        for (Map<String, Object> spec : List.<Map<String, Object>>of(Map.of("jitter", 1.0, "saturation", 0.9),
                Map.of("jitter", 1.0, "hue", 0.5), Map.of("grayscale", 1.0))) {
            Augmenter a = new Augmenter(spec);
            for (int seed = 0; seed < 20; seed++) {
                assertArrayEquals(x, apply(a, x, GRAY, seed), spec + " changed a one-channel image");
            }
        }
    }

    /** Fraction of 2000 seeds for which {@code applied} says the operation happened. */
    private static double rate(Augmenter a, float[] x, ImageShape s, Predicate<float[]> applied) {
        int n = 2000;
        int hits = 0;
        for (int seed = 0; seed < n; seed++) {
            hits += applied.test(apply(a, x, s, seed)) ? 1 : 0;
        }
        return (double) hits / n;
    }

    private static void assertRate(double expected, double actual, String what) {
        // 2000 draws: the binomial sd is ≤ 1.1 %, so ±5 % is more than 4 sd either way.
        assertTrue(Math.abs(actual - expected) <= 0.05, what + " applied in " + actual + ", expected " + expected);
    }

    @Test
    void probabilitiesAreHonoured() {
        float[] colourful = image(RGB, 7, 0, 1);
        assertRate(0.2, rate(new Augmenter(Map.of("grayscale", 0.2)), colourful, RGB,
                y -> y[0] == y[1] && y[1] == y[2]), "grayscale 0.2");
        assertRate(0.2, rate(new Augmenter(Map.of("jitter", 0.2, "brightness", 0.5)), colourful, RGB,
                y -> !Arrays.equals(y, colourful)), "jitter 0.2");
        assertRate(0.2, rate(new Augmenter(Map.of("solarize", 0.2)), filled(GRAY, 0.75f), GRAY,
                y -> y[0] == 0.25f), "solarize 0.2");
        // An impulse: even σ = 0.1 puts a (tiny, but non-zero) weight on the neighbour.
        float[] impulse = new float[GRAY.size()];
        impulse[3 * 6 + 3] = 1;
        assertRate(0.3, rate(new Augmenter(Map.of("blur", 0.3)), impulse, GRAY, y -> y[3 * 6 + 4] > 0), "blur 0.3");
        float[] ramp = image(GRAY, 8, 0, 1);
        float[] mirrored = new float[ramp.length];
        Augmenter.hflip(ramp, mirrored, GRAY);
        assertRate(0.5, rate(new Augmenter(Map.of("hflip", true)), ramp, GRAY, y -> Arrays.equals(y, mirrored)), "hflip");
    }

    @Test
    void sameSeedSameOutputForTheFullPipeline() {
        Augmenter a = new Augmenter(EVERY_OPERATION.get(EVERY_OPERATION.size() - 1));
        float[] x = image(RGB, 9, 0, 1);
        for (int seed = 0; seed < 20; seed++) {
            assertArrayEquals(apply(a, x, RGB, seed), apply(a, x, RGB, seed));
            assertFalse(Arrays.equals(apply(a, x, RGB, seed), apply(a, x, RGB, seed + 1000)),
                    "seeds " + seed + " and " + (seed + 1000) + " gave the same view");
        }
    }

    @Test
    void cropWindowsRespectTheMinimumScaleAspectAndBounds() {
        ImageShape s = new ImageShape(32, 32, 3);
        double area = 32 * 32;
        for (double minScale : new double[] {0.08, 0.2, 0.5}) {
            SplittableRandom rng = new SplittableRandom(11);
            double smallest = 1;
            for (int t = 0; t < 2000; t++) {
                Augmenter.Window w = Augmenter.cropWindow(s, rng, minScale);
                double fraction = w.width() * w.height() / area;
                double aspect = w.width() / w.height();
                assertTrue(fraction >= minScale - 1e-9, "area fraction " + fraction + " < " + minScale);
                assertTrue(fraction <= 1 + 1e-9);
                assertTrue(aspect >= 3.0 / 4 - 1e-9 && aspect <= 4.0 / 3 + 1e-9, "aspect " + aspect);
                assertTrue(w.x0() >= 0 && w.y0() >= 0 && w.x0() + w.width() <= 32 + 1e-9 && w.y0() + w.height() <= 32 + 1e-9,
                        "window outside the image: " + w);
                smallest = Math.min(smallest, fraction);
            }
            assertTrue(smallest < minScale + 0.05, "scales near the minimum " + minScale + " never drawn: " + smallest);
        }
    }

    @Test
    void cropZoomsIntoTheImage() {
        // Value = column / 31: a crop narrower than the image shows a narrower range of columns.
        ImageShape s = new ImageShape(32, 32, 1);
        float[] columns = new float[s.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = (i % 32) / 31f;
        }
        Augmenter a = new Augmenter(Map.of("crop", 0.08));
        boolean zoomed = false;
        for (int seed = 0; seed < 50; seed++) {
            float[] y = apply(a, columns, s, seed);
            double range = y[31] - y[0];
            assertTrue(range <= 1 + EPS && range >= Math.sqrt(0.08 * 0.75) - 0.1, "column range " + range);
            zoomed |= range < 0.7;
        }
        assertTrue(zoomed);
    }
}
