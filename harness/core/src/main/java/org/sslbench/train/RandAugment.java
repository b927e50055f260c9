package org.sslbench.train;

import java.util.List;
import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;

/**
 * FixMatch's RandAugment variant (Sohn et al., "FixMatch: Simplifying Semi-Supervised Learning with
 * Consistency and Confidence", NeurIPS 2020, §2.3 and the appendix's table of RandAugment
 * transformations): each image gets {@code ops} transformations drawn uniformly, with replacement,
 * from the 14 below, each with a magnitude drawn uniformly from its range at every application
 * (FixMatch's change to RandAugment, whose magnitude is one global constant). Cutout, which the
 * paper applies after these, is the separate pipeline key {@code cutout} ({@link #cutout}).
 *
 * <p>Works on float images in [0, 1] (HWC, before normalisation, like every {@link Augmenter}
 * step) and returns values in [0, 1]. The semantics are PIL's, as the reference implementations
 * use them (kekmodel/FixMatch-pytorch dataset/randaugment.py@01f41b07 {@code fixmatch_augment_pool},
 * google-research/fixmatch libml/ctaugment.py@b41d9e37): Equalize and Posterize quantise to 8 bits
 * as PIL's uint8 images are; geometric ops sample the nearest source pixel (PIL's default
 * resampling) and fill what comes from outside the image with 0 (PIL's default fill). Colour ops
 * use the ITU-R 601 luma; Color is the identity on one-channel images, every other op acts per
 * channel, so grayscale data works.
 *
 * <table>
 * <caption>operations and magnitude ranges (kekmodel's {@code fixmatch_augment_pool}, commented "FixMatch paper")</caption>
 * <tr><td>Identity</td><td>—</td></tr>
 * <tr><td>AutoContrast</td><td>— (per channel: min → 0, max → 1)</td></tr>
 * <tr><td>Equalize</td><td>— (per-channel histogram equalisation, PIL's algorithm)</td></tr>
 * <tr><td>Rotate</td><td>θ ∈ [−30, 30] degrees about the centre</td></tr>
 * <tr><td>Solarize</td><td>T ∈ [0, 1]: values ≥ T become 1 − v</td></tr>
 * <tr><td>Color</td><td>f ∈ [0.05, 0.95]: blend with the gray image, gray + f·(v − gray)</td></tr>
 * <tr><td>Posterize</td><td>B ∈ {4, …, 8} bits kept of 8</td></tr>
 * <tr><td>Contrast</td><td>f ∈ [0.05, 0.95]: blend with the mean luma, m + f·(v − m)</td></tr>
 * <tr><td>Brightness</td><td>f ∈ [0.05, 0.95]: blend with black, f·v</td></tr>
 * <tr><td>Sharpness</td><td>f ∈ [0.05, 0.95]: blend with PIL's SMOOTH filter (3×3, centre 5, others 1, /13; border kept)</td></tr>
 * <tr><td>ShearX, ShearY</td><td>s ∈ [−0.3, 0.3]: source x = x + s·y (ShearY: y = y + s·x)</td></tr>
 * <tr><td>TranslateX, TranslateY</td><td>λ ∈ [−0.3, 0.3] of the width (height), whole pixels</td></tr>
 * </table>
 * Deviation, stated: kekmodel's {@code RandAugmentMC} also skips each drawn op with probability
 * 0.5 and quantises magnitudes to 10 levels; here, as the paper describes, every drawn op applies
 * with a continuous magnitude.
 *
 * <pre>{@code
 * RandAugment ra = new RandAugment(2);
 * ra.apply(src, dst, shape, rng);   // src, dst: one image each, [h, w, c] in [0, 1]
 * }</pre>
 */
public final class RandAugment {
    /** The transformations, with their magnitude ranges (lo, hi; signed ops are drawn in [lo, hi] directly). */
    public enum Op {
        IDENTITY(0, 0), AUTO_CONTRAST(0, 0), EQUALIZE(0, 0), ROTATE(-30, 30), SOLARIZE(0, 1), COLOR(0.05, 0.95),
        POSTERIZE(4, 8), CONTRAST(0.05, 0.95), BRIGHTNESS(0.05, 0.95), SHARPNESS(0.05, 0.95), SHEAR_X(-0.3, 0.3),
        SHEAR_Y(-0.3, 0.3), TRANSLATE_X(-0.3, 0.3), TRANSLATE_Y(-0.3, 0.3);

        /** Smallest magnitude. */
        public final double lo;
        /** Largest magnitude. */
        public final double hi;

        Op(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }

        /** A magnitude drawn uniformly from [lo, hi]; Posterize's bit count uniformly from {4, …, 8}. */
        public double sample(SplittableRandom rng) {
            if (this == POSTERIZE) {
                return (int) lo + rng.nextInt((int) (hi - lo) + 1);
            }
            return lo + rng.nextDouble() * (hi - lo);
        }

        /** Writes {@code src} transformed with magnitude {@code m} into {@code dst} (one image each). */
        public void apply(float[] src, float[] dst, ImageShape s, double m) {
            switch (this) {
                case IDENTITY -> System.arraycopy(src, 0, dst, 0, s.size());
                case AUTO_CONTRAST -> autoContrast(src, dst, s);
                case EQUALIZE -> equalize(src, dst, s);
                case ROTATE -> rotate(src, dst, s, m);
                case SOLARIZE -> solarize(src, dst, s, m);
                case COLOR -> color(src, dst, s, m);
                case POSTERIZE -> posterize(src, dst, s, (int) m);
                case CONTRAST -> contrast(src, dst, s, m);
                case BRIGHTNESS -> brightness(src, dst, s, m);
                case SHARPNESS -> sharpness(src, dst, s, m);
                case SHEAR_X -> affine(src, dst, s, 1, m, 0, 0, 1, 0);
                case SHEAR_Y -> affine(src, dst, s, 1, 0, 0, m, 1, 0);
                case TRANSLATE_X -> affine(src, dst, s, 1, 0, (int) (m * s.width()), 0, 1, 0);
                default -> affine(src, dst, s, 1, 0, 0, 0, 1, (int) (m * s.height()));
            }
        }
    }

    /** Every operation, in the paper's table order. */
    public static final List<Op> OPS = List.of(Op.values());

    /** Cutout's fill: PIL's (127, 127, 127) gray, as both reference implementations paint it. */
    static final float CUTOUT_GRAY = 127f / 255;

    private final int ops;

    /**
     * @param ops transformations per image (FixMatch: 2), ≥ 0
     * @throws IllegalArgumentException for a negative count
     */
    public RandAugment(int ops) {
        if (ops < 0) {
            throw new IllegalArgumentException("randaugment ops per image must be >= 0, got " + ops);
        }
        this.ops = ops;
    }

    /**
     * Writes {@code src} through {@code ops} random transformations into {@code dst}. Draws from
     * {@code rng} in a fixed order (op index, then magnitude, per op), so a seeded stream gives
     * the same image.
     */
    public void apply(float[] src, float[] dst, ImageShape s, SplittableRandom rng) {
        float[] a = src.clone();
        float[] b = new float[s.size()];
        for (int i = 0; i < ops; i++) {
            Op op = OPS.get(rng.nextInt(OPS.size()));
            op.apply(a, b, s, op.sample(rng));
            float[] t = a;
            a = b;
            b = t;
        }
        System.arraycopy(a, 0, dst, 0, s.size());
    }

    /**
     * Cutout (DeVries &amp; Taylor 2017) as FixMatch's strong augmentation uses it: a gray square
     * whose side is drawn uniformly from the whole pixel counts 0 … ⌊maxFraction·min(h, w)⌋
     * ("up to half the side" as issue 15 states the paper's range, not re-read here; the reference
     * implementations always paint the largest, 16 px on 32), centred uniformly in the image and clipped at its borders (kekmodel's
     * {@code CutoutAbs}).
     */
    static void cutout(float[] src, float[] dst, ImageShape s, SplittableRandom rng, double maxFraction) {
        int side = rng.nextInt((int) (maxFraction * Math.min(s.height(), s.width())) + 1);
        double cx = rng.nextDouble() * s.width();
        double cy = rng.nextDouble() * s.height();
        System.arraycopy(src, 0, dst, 0, s.size());
        int x0 = (int) Math.max(0, cx - side / 2.0);
        int y0 = (int) Math.max(0, cy - side / 2.0);
        paint(dst, s, x0, y0, Math.min(s.width(), x0 + side), Math.min(s.height(), y0 + side));
    }

    /** Fills pixels [x0, x1) × [y0, y1) of every channel with {@link #CUTOUT_GRAY}. */
    static void paint(float[] img, ImageShape s, int x0, int y0, int x1, int y1) {
        int c = s.channels();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int k = 0; k < c; k++) {
                    img[(y * s.width() + x) * c + k] = CUTOUT_GRAY;
                }
            }
        }
    }

    /** Per channel: (v − min) / (max − min); a constant channel is left as it is (PIL autocontrast, cutoff 0). */
    static void autoContrast(float[] src, float[] dst, ImageShape s) {
        int c = s.channels();
        int pixels = s.height() * s.width();
        for (int k = 0; k < c; k++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < pixels; p++) {
                lo = Math.min(lo, src[p * c + k]);
                hi = Math.max(hi, src[p * c + k]);
            }
            for (int p = 0; p < pixels; p++) {
                float v = src[p * c + k];
                dst[p * c + k] = hi > lo ? Augmenter.clamp((v - lo) / (double) (hi - lo)) : v;
            }
        }
    }

    /** The 8-bit level PIL would hold for a value in [0, 1]. */
    static int level(float v) {
        return (int) Math.round(Augmenter.clamp(v) * 255.0);
    }

    /**
     * PIL's {@code ImageOps.equalize}, per channel on 8-bit levels: step = (n − count of the
     * highest occupied level) / 255 (integer division); identity when step is 0 or one level is
     * occupied; else level i maps to (step/2 + number of values below i) / step, capped at 255.
     */
    static void equalize(float[] src, float[] dst, ImageShape s) {
        int c = s.channels();
        int pixels = s.height() * s.width();
        for (int k = 0; k < c; k++) {
            int[] hist = new int[256];
            for (int p = 0; p < pixels; p++) {
                hist[level(src[p * c + k])]++;
            }
            int last = 255;
            while (hist[last] == 0) {
                last--;
            }
            int occupied = 0;
            for (int h : hist) {
                occupied += h > 0 ? 1 : 0;
            }
            int step = (pixels - hist[last]) / 255;
            if (occupied <= 1 || step == 0) {
                for (int p = 0; p < pixels; p++) {
                    dst[p * c + k] = src[p * c + k];
                }
                continue;
            }
            int[] lut = new int[256];
            long n = step / 2;
            for (int i = 0; i < 256; i++) {
                lut[i] = (int) Math.min(255, n / step);
                n += hist[i];
            }
            for (int p = 0; p < pixels; p++) {
                dst[p * c + k] = lut[level(src[p * c + k])] / 255f;
            }
        }
    }

    /** Values ≥ {@code threshold} become 1 − v (PIL solarize: levels at or above the threshold are inverted). */
    static void solarize(float[] src, float[] dst, ImageShape s, double threshold) {
        for (int i = 0; i < s.size(); i++) {
            dst[i] = src[i] >= threshold ? 1 - src[i] : src[i];
        }
    }

    /** Keeps the top {@code bits} of each 8-bit level (PIL posterize). */
    static void posterize(float[] src, float[] dst, ImageShape s, int bits) {
        int mask = (0xFF << (8 - bits)) & 0xFF;
        for (int i = 0; i < s.size(); i++) {
            dst[i] = (level(src[i]) & mask) / 255f;
        }
    }

    /** f·v (PIL ImageEnhance.Brightness: blend with black). */
    static void brightness(float[] src, float[] dst, ImageShape s, double f) {
        System.arraycopy(src, 0, dst, 0, s.size());
        Augmenter.scale(dst, s, f, 0);
    }

    /** m + f·(v − m), m the image's mean luma (PIL ImageEnhance.Contrast; PIL rounds m to a level). */
    static void contrast(float[] src, float[] dst, ImageShape s, double f) {
        int pixels = s.height() * s.width();
        double mean = 0;
        for (int p = 0; p < pixels; p++) {
            mean += Augmenter.luma(src, p, s.channels());
        }
        System.arraycopy(src, 0, dst, 0, s.size());
        Augmenter.scale(dst, s, f, mean / pixels);
    }

    /** gray + f·(v − gray) per pixel on R, G, B (PIL ImageEnhance.Color); one-channel images unchanged. */
    static void color(float[] src, float[] dst, ImageShape s, double f) {
        System.arraycopy(src, 0, dst, 0, s.size());
        Augmenter.saturate(dst, s, f);
    }

    /**
     * smooth + f·(v − smooth), smooth = PIL's SMOOTH filter (3×3 kernel, centre 5, the rest 1,
     * divided by 13) on interior pixels; border pixels keep their value, as PIL's 3×3 filters copy
     * them (PIL ImageEnhance.Sharpness).
     */
    static void sharpness(float[] src, float[] dst, ImageShape s, double f) {
        int h = s.height();
        int w = s.width();
        int c = s.channels();
        System.arraycopy(src, 0, dst, 0, s.size());
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int k = 0; k < c; k++) {
                    double sum = 4 * src[(y * w + x) * c + k];
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            sum += src[((y + dy) * w + x + dx) * c + k];
                        }
                    }
                    double smooth = sum / 13;
                    dst[(y * w + x) * c + k] = Augmenter.clamp(smooth + f * (src[(y * w + x) * c + k] - smooth));
                }
            }
        }
    }

    /** Rotation by {@code degrees} about the image centre (nearest source pixel, 0 outside). */
    static void rotate(float[] src, float[] dst, ImageShape s, double degrees) {
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double cx = s.width() / 2.0;
        double cy = s.height() / 2.0;
        // source = centre + R·(output − centre), as an affine map of the output pixel centre
        affine(src, dst, s, cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy);
    }

    /**
     * PIL's {@code Image.transform(AFFINE, (a, b, c, d, e, f))} with nearest resampling: output
     * pixel (x, y) takes the source pixel containing (a·x' + b·y' + c, d·x' + e·y' + f), where
     * (x', y') = (x + ½, y + ½) is its centre; 0 where that lies outside the image.
     */
    static void affine(float[] src, float[] dst, ImageShape s, double a, double b, double c, double d, double e, double f) {
        int h = s.height();
        int w = s.width();
        int ch = s.channels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                int sx = (int) Math.floor(a * px + b * py + c);
                int sy = (int) Math.floor(d * px + e * py + f);
                boolean inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
                for (int k = 0; k < ch; k++) {
                    dst[(y * w + x) * ch + k] = inside ? src[(sy * w + sx) * ch + k] : 0f;
                }
            }
        }
    }
}
