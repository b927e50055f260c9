package org.sslbench.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;
import org.sslbench.spec.TrainSpec;

/**
 * Augmentations on float images in [0, 1] (HWC, before normalisation), drawn from a seeded RNG so
 * every view is reproducible, applied in a fixed order whatever the spec's key order:
 * crop → shift → hflip → colour jitter → grayscale → blur → solarize (the SimCLR/BYOL order),
 * then randaugment → cutout (FixMatch's strong augmentation on top of its weak flip-and-shift).
 * Colour operations are no-ops on one-channel images, so pipelines work on grayscale data too.
 * A view smaller than the image ({@code size} below 1, multi-crop; Caron et al., SwAV, NeurIPS 2020,
 * section 3.2) is resampled to its size by the crop step (the whole image when there is no crop),
 * and every later step works at that size.
 *
 * <table>
 * <caption>spec keys</caption>
 * <tr><td>{@code crop}</td><td>random resized crop, minimum area fraction (SimCLR and solo-learn's CIFAR configs 0.08, MoCo v2 0.2), aspect 3/4–4/3</td></tr>
 * <tr><td>{@code crop_max}</td><td>maximum area fraction of that crop (default 1; multi-crop's local crops 0.4), ≥ {@code crop}</td></tr>
 * <tr><td>{@code size}</td><td>output side as a fraction of the image's height and width, (0, 1], default 1: the view is
 *     h_i = max(1, round(h·size)) × w_i = max(1, round(w·size)) (multi-crop's small local crops); pretext only</td></tr>
 * <tr><td>{@code count}</td><td>in an {@code augment_views} entry only: this pipeline makes {@code count} consecutive views (default 1)</td></tr>
 * <tr><td>{@code shift}</td><td>random translation up to this fraction of the size, edges repeated (Keras {@code width_shift_range})</td></tr>
 * <tr><td>{@code hflip}</td><td>horizontal flip with probability 0.5</td></tr>
 * <tr><td>{@code jitter}</td><td>probability of colour jitter, with strengths {@code brightness}, {@code contrast},
 *     {@code saturation} (factors drawn from [1−s, 1+s]) and {@code hue} (shift in [−h, h] turns), applied in random order</td></tr>
 * <tr><td>{@code grayscale}</td><td>probability of converting to gray (ITU-R 601 luma)</td></tr>
 * <tr><td>{@code blur}</td><td>probability of Gaussian blur, σ ∈ [0.1, 2.0] px, kernel ≈ 10 % of the side</td></tr>
 * <tr><td>{@code solarize}</td><td>probability of inverting values ≥ 0.5</td></tr>
 * <tr><td>{@code randaugment}</td><td>number of {@link RandAugment} transformations per image (FixMatch: 2), each with a random magnitude</td></tr>
 * <tr><td>{@code cutout}</td><td>a gray square of side up to this fraction of the shorter side (FixMatch: 0.5), {@link RandAugment#cutout}</td></tr>
 * </table>
 */
public final class Augmenter {
    /** Augmentation name → the Java type of its spec value. */
    public static final Map<String, Class<?>> KNOWN = known();

    private static Map<String, Class<?>> known() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (String k : List.of("crop", "shift")) {
            m.put(k, Double.class);
        }
        m.put("hflip", Boolean.class);
        for (String k : List.of("jitter", "brightness", "contrast", "saturation", "hue", "grayscale", "blur", "solarize")) {
            m.put(k, Double.class);
        }
        m.put("randaugment", Integer.class);
        m.put("cutout", Double.class);
        m.put(CROP_MAX, Double.class);
        m.put(SIZE, Double.class);
        m.put(COUNT, Integer.class);
        return Collections.unmodifiableMap(m);
    }

    /** Maximum area fraction of the random resized crop (multi-crop's local crops: 0.4). */
    public static final String CROP_MAX = "crop_max";
    /** Output side as a fraction of the image's height and width (multi-crop's small views). */
    public static final String SIZE = "size";
    /** Views a pipeline of {@code augment_views} makes (consecutive, each drawn independently). */
    public static final String COUNT = "count";

    /**
     * The shape of a view of {@code size} (a fraction in (0, 1]) of images of {@code image}:
     * max(1, round(h·size)) × max(1, round(w·size)), same channels.
     */
    public static ImageShape viewShape(ImageShape image, double size) {
        if (size == 1) {
            return image;
        }
        return new ImageShape(Math.max(1, (int) Math.round(image.height() * size)),
                Math.max(1, (int) Math.round(image.width() * size)), image.channels());
    }

    /** Views the pipeline {@code spec} makes: its {@code count}, 1 when absent. */
    public static int count(Map<String, Object> spec) {
        return spec.get(COUNT) instanceof Number n ? n.intValue() : 1;
    }

    /** One step of the pipeline, transforming {@code src} into {@code dst} (both one image). */
    private interface Step {
        void apply(float[] src, float[] dst, ImageShape s, SplittableRandom rng);
    }

    private final List<Step> steps = new ArrayList<>();
    private final double crop;
    private final double cropMax;
    private final double size;

    /**
     * @param spec augmentation name → setting, keys of {@link #KNOWN} ({@code count} is read by
     *             {@link #perView}, not here)
     */
    public Augmenter(Map<String, Object> spec) {
        crop = number(spec, "crop");
        cropMax = spec.get(CROP_MAX) instanceof Number n ? n.doubleValue() : 1;
        size = spec.get(SIZE) instanceof Number n ? n.doubleValue() : 1;
        double shift = number(spec, "shift");
        if (shift > 0) {
            steps.add((src, dst, s, rng) -> shift(src, dst, s, rng, shift));
        }
        if (Boolean.TRUE.equals(spec.get("hflip"))) {
            steps.add(withProbability(0.5, Augmenter::hflip));
        }
        double jitter = number(spec, "jitter");
        double[] strengths = {number(spec, "brightness"), number(spec, "contrast"), number(spec, "saturation"), number(spec, "hue")};
        if (jitter > 0 && (strengths[0] > 0 || strengths[1] > 0 || strengths[2] > 0 || strengths[3] > 0)) {
            steps.add((src, dst, s, rng) -> {
                System.arraycopy(src, 0, dst, 0, s.size());
                if (rng.nextDouble() < jitter) {
                    colorJitter(dst, s, rng, strengths);
                }
            });
        }
        double gray = number(spec, "grayscale");
        if (gray > 0) {
            steps.add(withProbability(gray, Augmenter::grayscale));
        }
        double blur = number(spec, "blur");
        if (blur > 0) {
            steps.add((src, dst, s, rng) -> {
                if (rng.nextDouble() < blur) {
                    gaussianBlur(src, dst, s, 0.1 + rng.nextDouble() * 1.9);
                } else {
                    System.arraycopy(src, 0, dst, 0, s.size());
                }
            });
        }
        double solarize = number(spec, "solarize");
        if (solarize > 0) {
            steps.add(withProbability(solarize, Augmenter::solarize));
        }
        Object ra = spec.get("randaugment");
        if (ra instanceof Number n && n.intValue() > 0) {
            RandAugment randAugment = new RandAugment(n.intValue());
            steps.add(randAugment::apply);
        }
        double cutout = number(spec, "cutout");
        if (cutout > 0) {
            steps.add((src, dst, s, rng) -> RandAugment.cutout(src, dst, s, rng, cutout));
        }
    }

    /**
     * One augmenter per view, from the pretext block's (possibly per-view) pipelines; an
     * {@code augment_views} entry with {@code count: n} serves n consecutive views.
     */
    public static Augmenter[] perView(TrainSpec pretext, int views) {
        Augmenter[] out = new Augmenter[views];
        for (int v = 0; v < views; v++) {
            out[v] = new Augmenter(pretext.augmentFor(v));
        }
        return out;
    }

    /** The shapes of {@code augmenters}' views of images of {@code image} (a null augmenter: the image's). */
    public static ImageShape[] viewShapes(Augmenter[] augmenters, ImageShape image) {
        ImageShape[] out = new ImageShape[augmenters.length];
        for (int v = 0; v < augmenters.length; v++) {
            out[v] = augmenters[v] == null ? image : augmenters[v].outputShape(image);
        }
        return out;
    }

    /** The shape of this pipeline's views of images of {@code image} ({@link #viewShape}). */
    public ImageShape outputShape(ImageShape image) {
        return viewShape(image, size);
    }

    private static double number(Map<String, Object> spec, String key) {
        Object v = spec.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private interface Transform {
        void apply(float[] src, float[] dst, ImageShape s);
    }

    /** Applies {@code t} with probability p, else copies (the draw is made either way: stable streams). */
    private static Step withProbability(double p, Transform t) {
        return (src, dst, s, rng) -> {
            if (rng.nextDouble() < p) {
                t.apply(src, dst, s);
            } else {
                System.arraycopy(src, 0, dst, 0, s.size());
            }
        };
    }

    public boolean isIdentity() {
        return steps.isEmpty() && crop <= 0 && size == 1;
    }

    /**
     * Augments the image at {@code buf[offset..]} in place.
     *
     * @param scratch two buffers of at least one image each, reused across calls
     * @throws IllegalStateException for a pipeline whose views are smaller than the image ({@code size} below 1):
     *                               use {@link #apply(float[], int, ImageShape, float[], int, SplittableRandom, float[][])}
     */
    public void apply(float[] buf, int offset, ImageShape s, SplittableRandom rng, float[][] scratch) {
        if (size != 1) {
            throw new IllegalStateException("this pipeline makes " + outputShape(s) + " views of " + s + " images; it cannot work in place");
        }
        apply(buf, offset, s, buf, offset, rng, scratch);
    }

    /**
     * Augments the image at {@code src[srcOffset..]} (shape {@code s}) into {@code dst[dstOffset..]},
     * {@link #outputShape}{@code (s).size()} values. {@code src} and {@code dst} may be the same
     * array. Draws: the crop's, then every later step's, as {@link #apply(float[], int, ImageShape, SplittableRandom, float[][])}.
     *
     * @param scratch two buffers of at least one image of shape {@code s} each, reused across calls
     */
    public void apply(float[] src, int srcOffset, ImageShape s, float[] dst, int dstOffset, SplittableRandom rng,
                      float[][] scratch) {
        ImageShape out = outputShape(s);
        float[] a = scratch[0];
        float[] b = scratch[1];
        System.arraycopy(src, srcOffset, a, 0, s.size());
        if (crop > 0) {
            Window w = cropWindow(s, rng, crop, cropMax);
            resizeBilinear(a, s, b, out, w.x0(), w.y0(), w.width(), w.height());
            float[] t = a;
            a = b;
            b = t;
        } else if (!out.equals(s)) {
            // No crop: the whole image, resampled to the view's size.
            resizeBilinear(a, s, b, out, 0, 0, s.width(), s.height());
            float[] t = a;
            a = b;
            b = t;
        }
        for (Step step : steps) {
            step.apply(a, b, out, rng);
            float[] t = a;
            a = b;
            b = t;
        }
        System.arraycopy(a, 0, dst, dstOffset, out.size());
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

    static void randomResizedCrop(float[] src, float[] dst, ImageShape s, SplittableRandom rng, double minScale) {
        Window c = cropWindow(s, rng, minScale);
        resizeBilinear(src, dst, s, c.x0(), c.y0(), c.width(), c.height());
    }

    static Window cropWindow(ImageShape s, SplittableRandom rng, double minScale) {
        return cropWindow(s, rng, minScale, 1);
    }

    /** A crop window in pixel coordinates (fractional: the crop is resampled bilinearly). */
    record Window(double x0, double y0, double width, double height) {
    }

    /**
     * torchvision's RandomResizedCrop with scale (minScale, maxScale): 10 tries for a window inside
     * the image, else the whole image when maxScale is 1 (torchvision's fallback for an in-range
     * aspect ratio), or else a centred window of area fraction maxScale with the image's own aspect,
     * so that the area never exceeds maxScale (a local crop never becomes the whole image).
     */
    static Window cropWindow(ImageShape s, SplittableRandom rng, double minScale, double maxScale) {
        int h = s.height();
        int w = s.width();
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + rng.nextDouble() * (maxScale - minScale));
            double logRatio = Math.log(3.0 / 4) + rng.nextDouble() * (Math.log(4.0 / 3) - Math.log(3.0 / 4));
            double ratio = Math.exp(logRatio);
            double tw = Math.sqrt(target * ratio);
            double th = Math.sqrt(target / ratio);
            if (tw <= w && th <= h) {
                return new Window(rng.nextDouble() * (w - tw), rng.nextDouble() * (h - th), tw, th);
            }
        }
        if (maxScale >= 1) {
            return new Window(0, 0, w, h);
        }
        double side = Math.sqrt(maxScale);
        return new Window((w - w * side) / 2, (h - h * side) / 2, w * side, h * side);
    }

    /** Samples the window (x0, y0, cw, ch) of {@code src} onto the full grid of {@code dst}. */
    static void resizeBilinear(float[] src, float[] dst, ImageShape s, double x0, double y0, double cw, double ch) {
        resizeBilinear(src, s, dst, s, x0, y0, cw, ch);
    }

    /**
     * Samples the window (x0, y0, cw, ch) of {@code src} (shape {@code s}) onto the whole grid of
     * {@code dst} (shape {@code out}, same channels): bilinear, pixel centres aligned, edges repeated.
     * Downsampling reads 4 source pixels per output pixel (no antialiasing filter).
     */
    static void resizeBilinear(float[] src, ImageShape s, float[] dst, ImageShape out, double x0, double y0, double cw,
                               double ch) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int oh = out.height();
        int ow = out.width();
        for (int y = 0; y < oh; y++) {
            double sy = y0 + (y + 0.5) * ch / oh - 0.5;
            int y1 = (int) Math.floor(sy);
            double fy = sy - y1;
            int ya = Math.min(h - 1, Math.max(0, y1));
            int yb = Math.min(h - 1, Math.max(0, y1 + 1));
            for (int x = 0; x < ow; x++) {
                double sx = x0 + (x + 0.5) * cw / ow - 0.5;
                int x1 = (int) Math.floor(sx);
                double fx = sx - x1;
                int xa = Math.min(w - 1, Math.max(0, x1));
                int xb = Math.min(w - 1, Math.max(0, x1 + 1));
                for (int k = 0; k < c; k++) {
                    double top = src[(ya * w + xa) * c + k] * (1 - fx) + src[(ya * w + xb) * c + k] * fx;
                    double bottom = src[(yb * w + xa) * c + k] * (1 - fx) + src[(yb * w + xb) * c + k] * fx;
                    dst[(y * ow + x) * c + k] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
    }

    /** torchvision ColorJitter: brightness, contrast, saturation, hue in a random order, each clamped to [0, 1]. */
    static void colorJitter(float[] img, ImageShape s, SplittableRandom rng, double[] strengths) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int op : order) {
            double st = strengths[op];
            if (st <= 0) {
                continue;
            }
            switch (op) {
                case 0 -> scale(img, s, factor(rng, st), 0);
                case 1 -> {
                    double mean = 0;
                    int pixels = s.height() * s.width();
                    for (int p = 0; p < pixels; p++) {
                        mean += luma(img, p, s.channels());
                    }
                    scale(img, s, factor(rng, st), mean / pixels);
                }
                case 2 -> saturate(img, s, factor(rng, st));
                default -> hueShift(img, s, (rng.nextDouble() * 2 - 1) * Math.min(st, 0.5));
            }
        }
    }

    /**
     * A factor uniform in [max(0, 1 − s), 1 + s] (torchvision ColorJitter). Drawn as lo + u·(hi − lo)
     * rather than 1 − s + u·2s, whose 2s overflows to infinity for s above half of Double.MAX_VALUE
     * (infinity · 0 = NaN pixels); any finite s gives a finite factor here.
     */
    static double factor(SplittableRandom rng, double strength) {
        double lo = Math.max(0, 1 - strength);
        double hi = 1 + strength;
        return Math.min(hi, lo + rng.nextDouble() * (hi - lo));
    }

    /**
     * out = toward + f·(x − toward), clamped to [0, 1]: the same blend as f·x + (1 − f)·toward, but
     * |x − toward| ≤ 1 keeps every term finite for any finite f (the two-term form gives ∞ − ∞ = NaN).
     */
    static void scale(float[] img, ImageShape s, double f, double toward) {
        for (int i = 0; i < s.size(); i++) {
            img[i] = clamp(toward + f * (img[i] - toward));
        }
    }

    static void saturate(float[] img, ImageShape s, double f) {
        int c = s.channels();
        if (c < 3) {
            return;
        }
        for (int p = 0; p < s.height() * s.width(); p++) {
            double gray = luma(img, p, c);
            for (int k = 0; k < 3; k++) {
                img[p * c + k] = clamp(gray + f * (img[p * c + k] - gray));
            }
        }
    }

    /** Rotates hue by {@code shift} turns in HSV space. */
    static void hueShift(float[] img, ImageShape s, double shift) {
        int c = s.channels();
        if (c < 3) {
            return;
        }
        for (int p = 0; p < s.height() * s.width(); p++) {
            int o = p * c;
            double r = img[o];
            double g = img[o + 1];
            double b = img[o + 2];
            double max = Math.max(r, Math.max(g, b));
            double min = Math.min(r, Math.min(g, b));
            double delta = max - min;
            if (delta <= 0) {
                continue;
            }
            double hue;
            if (max == r) {
                hue = ((g - b) / delta) / 6;
            } else if (max == g) {
                hue = ((b - r) / delta + 2) / 6;
            } else {
                hue = ((r - g) / delta + 4) / 6;
            }
            hue = ((hue + shift) % 1 + 1) % 1;
            double sat = delta / max;
            double v = max;
            double h6 = hue * 6;
            int sector = (int) Math.floor(h6) % 6;
            double f = h6 - Math.floor(h6);
            double pp = v * (1 - sat);
            double q = v * (1 - sat * f);
            double t = v * (1 - sat * (1 - f));
            double[] rgb = switch (sector) {
                case 0 -> new double[] {v, t, pp};
                case 1 -> new double[] {q, v, pp};
                case 2 -> new double[] {pp, v, t};
                case 3 -> new double[] {pp, q, v};
                case 4 -> new double[] {t, pp, v};
                default -> new double[] {v, pp, q};
            };
            for (int k = 0; k < 3; k++) {
                img[o + k] = clamp(rgb[k]);
            }
        }
    }

    static void grayscale(float[] src, float[] dst, ImageShape s) {
        int c = s.channels();
        if (c < 3) {
            System.arraycopy(src, 0, dst, 0, s.size());
            return;
        }
        for (int p = 0; p < s.height() * s.width(); p++) {
            float gray = (float) luma(src, p, c);
            for (int k = 0; k < c; k++) {
                dst[p * c + k] = k < 3 ? gray : src[p * c + k];
            }
        }
    }

    static double luma(float[] img, int pixel, int c) {
        int o = pixel * c;
        return c < 3 ? img[o] : 0.299 * img[o] + 0.587 * img[o + 1] + 0.114 * img[o + 2];
    }

    /**
     * Separable Gaussian blur with reflected edges; kernel ≈ 10 % of the shorter side (SimCLR), odd,
     * ≥ 3. σ in pixels; σ = 0 is the identity.
     */
    static void gaussianBlur(float[] src, float[] dst, ImageShape s, double sigma) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        int size = Math.max(3, (int) Math.round(0.1 * Math.min(h, w)) | 1);
        int r = size / 2;
        double[] k = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            // The centre tap is exactly 1, so σ → 0 (σ² underflowing to 0 included) gives the identity
            // kernel instead of 0/0 = NaN; the sum is then ≥ 1 and the normalisation never divides by 0.
            k[i] = i == r ? 1 : Math.exp(-0.5 * (i - r) * (i - r) / (sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[s.size()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * src[(y * w + reflect(x + i, w)) * c + ch];
                    }
                    tmp[(y * w + x) * c + ch] = (float) acc;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * tmp[(reflect(y + i, h) * w + x) * c + ch];
                    }
                    dst[(y * w + x) * c + ch] = (float) acc;
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    }

    static void solarize(float[] src, float[] dst, ImageShape s) {
        for (int i = 0; i < s.size(); i++) {
            dst[i] = src[i] >= 0.5f ? 1 - src[i] : src[i];
        }
    }

    /** To [0, 1]; NaN (which Math.min/max would pass through) becomes 0, so no pixel is ever NaN or infinite. */
    static float clamp(double v) {
        return v >= 1 ? 1f : v > 0 ? (float) v : 0f;
    }
}
