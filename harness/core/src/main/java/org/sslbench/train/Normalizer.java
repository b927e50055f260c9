package org.sslbench.train;

import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;

/**
 * Input normalisation after scaling pixels to [0, 1]: {@code none}, {@code pixel_mean} (subtract
 * the training images' per-pixel mean, as Keras' CIFAR ResNet example and the rotation table's
 * source do) or {@code standardize} (per-channel mean and standard deviation).
 */
public final class Normalizer {
    public static final java.util.List<String> MODES = java.util.List.of("none", "pixel_mean", "standardize");

    private final float[] subtract; // per value of an image
    private final float[] scale;    // per value of an image

    private Normalizer(float[] subtract, float[] scale) {
        this.subtract = subtract;
        this.scale = scale;
    }

    /** Statistics computed over every image of {@code reference} (the labelled training pool). */
    public static Normalizer fit(String mode, ImageSet reference) {
        ImageShape shape = reference.shape();
        int n = shape.size();
        float[] sub = new float[n];
        float[] scale = new float[n];
        java.util.Arrays.fill(scale, 1f);
        if (mode.equals("none")) {
            return new Normalizer(sub, scale);
        }
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        float[] img = new float[n];
        for (int i = 0; i < reference.size(); i++) {
            reference.readImage(i, img, 0);
            for (int j = 0; j < n; j++) {
                sum[j] += img[j];
                sumSq[j] += (double) img[j] * img[j];
            }
        }
        int count = reference.size();
        switch (mode) {
            case "pixel_mean" -> {
                for (int j = 0; j < n; j++) {
                    sub[j] = (float) (sum[j] / count);
                }
            }
            case "standardize" -> {
                int c = shape.channels();
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    double s2 = 0;
                    for (int j = ch; j < n; j += c) {
                        s += sum[j];
                        s2 += sumSq[j];
                    }
                    double values = (double) count * (n / c);
                    double mean = s / values;
                    double std = Math.sqrt(Math.max(s2 / values - mean * mean, 1e-12));
                    for (int j = ch; j < n; j += c) {
                        sub[j] = (float) mean;
                        scale[j] = (float) (1 / std);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown normalize '" + mode + "'; allowed: " + MODES);
        }
        return new Normalizer(sub, scale);
    }

    /** Normalises one image in place. */
    public void apply(float[] buf, int offset) {
        for (int j = 0; j < subtract.length; j++) {
            buf[offset + j] = (buf[offset + j] - subtract[j]) * scale[j];
        }
    }
}
