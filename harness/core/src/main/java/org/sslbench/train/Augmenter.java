package org.sslbench.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;

/**
 * Augmentations on normalised float images (HWC), applied in a fixed order and drawn from a seeded
 * RNG, so every view is reproducible. Spec keys:
 * <ul>
 *   <li>{@code crop}: random resized crop, minimum area scale (e.g. 0.2), aspect ratio 3/4..4/3,
 *       bilinear resize back to the input size (SimCLR)</li>
 *   <li>{@code shift}: random translation up to this fraction of width/height, edges repeated
 *       (Keras ImageDataGenerator {@code width_shift_range}, {@code fill_mode='nearest'})</li>
 *   <li>{@code hflip}: horizontal flip with probability 0.5</li>
 * </ul>
 */
public final class Augmenter {
    /** Augmentation name → the Java type of its spec value. */
    public static final Map<String, Class<?>> KNOWN = knownAugmentations();

    private static Map<String, Class<?>> knownAugmentations() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("crop", Double.class);
        m.put("shift", Double.class);
        m.put("hflip", Boolean.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** One step of the pipeline, transforming {@code src} into {@code dst} (both one image). */
    private interface Step {
        void apply(float[] src, float[] dst, ImageShape s, SplittableRandom rng);
    }

    private final List<Step> steps = new ArrayList<>();

    public Augmenter(Map<String, Object> spec) {
        // Fixed order whatever the spec's key order: geometry first, then flips.
        if (spec.containsKey("crop")) {
            double minScale = ((Number) spec.get("crop")).doubleValue();
            steps.add((src, dst, s, rng) -> randomResizedCrop(src, dst, s, rng, minScale));
        }
        if (spec.containsKey("shift")) {
            double fraction = ((Number) spec.get("shift")).doubleValue();
            if (fraction > 0) {
                steps.add((src, dst, s, rng) -> shift(src, dst, s, rng, fraction));
            }
        }
        if (Boolean.TRUE.equals(spec.get("hflip"))) {
            steps.add((src, dst, s, rng) -> {
                if (rng.nextBoolean()) {
                    hflip(src, dst, s);
                } else {
                    System.arraycopy(src, 0, dst, 0, s.size());
                }
            });
        }
    }

    public boolean isIdentity() {
        return steps.isEmpty();
    }

    /**
     * Augments the image at {@code buf[offset..]} in place.
     *
     * @param scratch two buffers of at least one image each, reused across calls
     */
    public void apply(float[] buf, int offset, ImageShape s, SplittableRandom rng, float[][] scratch) {
        if (steps.isEmpty()) {
            return;
        }
        float[] a = scratch[0];
        float[] b = scratch[1];
        System.arraycopy(buf, offset, a, 0, s.size());
        for (Step step : steps) {
            step.apply(a, b, s, rng);
            float[] t = a;
            a = b;
            b = t;
        }
        System.arraycopy(a, 0, buf, offset, s.size());
    }

    static void hflip(float[] src, float[] dst, ImageShape s) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + (w - 1 - x)) * c, dst, (y * w + x) * c, c);
            }
        }
    }

    static void shift(float[] src, float[] dst, ImageShape s, SplittableRandom rng, double fraction) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int maxX = (int) Math.round(fraction * w);
        int maxY = (int) Math.round(fraction * h);
        int dx = maxX == 0 ? 0 : rng.nextInt(-maxX, maxX + 1);
        int dy = maxY == 0 ? 0 : rng.nextInt(-maxY, maxY + 1);
        for (int y = 0; y < h; y++) {
            int sy = Math.min(h - 1, Math.max(0, y - dy));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(w - 1, Math.max(0, x - dx));
                System.arraycopy(src, (sy * w + sx) * c, dst, (y * w + x) * c, c);
            }
        }
    }

    /** torchvision's RandomResizedCrop: 10 tries for a window inside the image, else the centre crop. */
    static void randomResizedCrop(float[] src, float[] dst, ImageShape s, SplittableRandom rng, double minScale) {
        int h = s.height();
        int w = s.width();
        double area = (double) h * w;
        double cw = w;
        double ch = h;
        double x0 = 0;
        double y0 = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + rng.nextDouble() * (1 - minScale));
            double logRatio = Math.log(3.0 / 4) + rng.nextDouble() * (Math.log(4.0 / 3) - Math.log(3.0 / 4));
            double ratio = Math.exp(logRatio);
            double tw = Math.sqrt(target * ratio);
            double th = Math.sqrt(target / ratio);
            if (tw <= w && th <= h) {
                cw = tw;
                ch = th;
                x0 = rng.nextDouble() * (w - tw);
                y0 = rng.nextDouble() * (h - th);
                break;
            }
        }
        resizeBilinear(src, dst, s, x0, y0, cw, ch);
    }

    /** Samples the window (x0, y0, cw, ch) of {@code src} onto the full grid of {@code dst}. */
    static void resizeBilinear(float[] src, float[] dst, ImageShape s, double x0, double y0, double cw, double ch) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        for (int y = 0; y < h; y++) {
            double sy = y0 + (y + 0.5) * ch / h - 0.5;
            int y1 = (int) Math.floor(sy);
            double fy = sy - y1;
            int ya = Math.min(h - 1, Math.max(0, y1));
            int yb = Math.min(h - 1, Math.max(0, y1 + 1));
            for (int x = 0; x < w; x++) {
                double sx = x0 + (x + 0.5) * cw / w - 0.5;
                int x1 = (int) Math.floor(sx);
                double fx = sx - x1;
                int xa = Math.min(w - 1, Math.max(0, x1));
                int xb = Math.min(w - 1, Math.max(0, x1 + 1));
                for (int k = 0; k < c; k++) {
                    double top = src[(ya * w + xa) * c + k] * (1 - fx) + src[(ya * w + xb) * c + k] * fx;
                    double bottom = src[(yb * w + xa) * c + k] * (1 - fx) + src[(yb * w + xb) * c + k] * fx;
                    dst[(y * w + x) * c + k] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
    }
}
