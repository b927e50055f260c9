package org.sslbench.train;

import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;

/**
 * Input normalisation after scaling pixels to [0, 1]: {@code none}, {@code pixel_mean} (subtract
 * the training images' per-pixel mean, as Keras' CIFAR ResNet example and the rotation table's
 * source do) or {@code standardize} (per-channel mean and population standard deviation; a
 * channel that is constant over the reference images is only centred, its scale stays 1).
 */
public final class Normalizer {
    public static final java.util.List<String> MODES = java.util.List.of("none", "pixel_mean", "standardize");

    private final ImageShape shape;
    private final float[] subtract; // per value of an image
    private final float[] scale;    // per value of an image
    /** subtract and scale resampled to smaller view shapes (multi-crop), made once per shape. */
    private final java.util.Map<ImageShape, float[][]> resized = new java.util.concurrent.ConcurrentHashMap<>();

    private Normalizer(ImageShape shape, float[] subtract, float[] scale) {
        this.shape = shape;
        this.subtract = subtract;
        this.scale = scale;
    }

    /**
     * Statistics computed over every image of {@code reference} (the labelled training pool).
     *
     * @throws IllegalArgumentException for an unknown mode, or an empty {@code reference} with a mode
     *                                  that needs statistics
     */
    public static Normalizer fit(String mode, ImageSet reference) {
        ImageShape shape = reference.shape();
        int n = shape.size();
        float[] sub = new float[n];
        float[] scale = new float[n];
        java.util.Arrays.fill(scale, 1f);
        if (mode.equals("none")) {
            return new Normalizer(shape, sub, scale);
        }
        int count = reference.size();
        if (count == 0) {
            throw new IllegalArgumentException("normalize: " + mode + " needs at least one reference image, got none");
        }
        double[] sum = new double[n];
        float[] img = new float[n];
        for (int i = 0; i < count; i++) {
            reference.readImage(i, img, 0);
            for (int j = 0; j < n; j++) {
                sum[j] += img[j];
            }
        }
        switch (mode) {
            case "pixel_mean" -> {
                for (int j = 0; j < n; j++) {
                    sub[j] = (float) (sum[j] / count);
                }
            }
            case "standardize" -> {
                int c = shape.channels();
                double values = (double) count * (n / c);
                double[] mean = new double[c];
                for (int j = 0; j < n; j++) {
                    mean[j % c] += sum[j];
                }
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] /= values;
                }
                // Second pass over deviations from the mean (corrected two-pass), not E[x²] − E[x]²,
                // which cancels for a nearly constant channel.
                double[] squares = new double[c];
                double[] deviations = new double[c];
                boolean[] varies = new boolean[c];
                float[] first = new float[c];
                for (int i = 0; i < count; i++) {
                    reference.readImage(i, img, 0);
                    if (i == 0) {
                        System.arraycopy(img, 0, first, 0, c);
                    }
                    for (int j = 0; j < n; j++) {
                        double d = img[j] - mean[j % c];
                        squares[j % c] += d * d;
                        deviations[j % c] += d;
                        varies[j % c] |= img[j] != first[j % c];
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    double variance = Math.max(squares[ch] - deviations[ch] * deviations[ch] / values, 0) / values;
                    // A constant channel (grayscale images stored as RGB, a single-colour set) has
                    // std 0: it is centred but not scaled (as scikit-learn's StandardScaler), since
                    // dividing by 0, or by an ε floor, would blow any later deviation (an augmented
                    // view's colour) up by orders of magnitude.
                    double inv = varies[ch] ? 1 / Math.sqrt(variance) : 1.0;
                    for (int j = ch; j < n; j += c) {
                        sub[j] = (float) mean[ch];
                        scale[j] = (float) inv;
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown normalize '" + mode + "'; allowed: " + MODES);
        }
        return new Normalizer(shape, sub, scale);
    }

    /**
     * What is subtracted from each value of an image (height × width × channels, channels last,
     * pixels in [0, 1]) before {@link #scale()}: a copy.
     */
    public float[] subtract() {
        return subtract.clone();
    }

    /** The factor each centred value is multiplied by (1 for {@code none} and {@code pixel_mean}): a copy. */
    public float[] scale() {
        return scale.clone();
    }

    /** Normalises one image in place. */
    public void apply(float[] buf, int offset) {
        for (int j = 0; j < subtract.length; j++) {
            buf[offset + j] = (buf[offset + j] - subtract[j]) * scale[j];
        }
    }

    /**
     * Normalises one view of shape {@code view} in place. A view of another size than the images
     * (multi-crop's local crops) uses the statistics resampled to its size (bilinear, as the view's
     * own pixels): exact for {@code standardize} and {@code none}, whose values are per channel; the
     * per-pixel mean image of {@code pixel_mean} shrunk like the image.
     */
    public void apply(float[] buf, int offset, ImageShape view) {
        if (view.equals(shape)) {
            apply(buf, offset);
            return;
        }
        float[][] stats = resized.computeIfAbsent(view, v -> {
            float[] sub = new float[v.size()];
            float[] sc = new float[v.size()];
            Augmenter.resizeBilinear(subtract, shape, sub, v, 0, 0, shape.width(), shape.height());
            Augmenter.resizeBilinear(scale, shape, sc, v, 0, 0, shape.width(), shape.height());
            return new float[][] {sub, sc};
        });
        for (int j = 0; j < stats[0].length; j++) {
            buf[offset + j] = (buf[offset + j] - stats[0][j]) * stats[1][j];
        }
    }
}
