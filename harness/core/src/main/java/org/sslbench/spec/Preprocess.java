package org.sslbench.spec;

/**
 * Input normalisation applied after scaling pixels to [0, 1].
 *
 * @param normalize {@code none}, {@code pixel_mean} (subtract the training set's per-pixel mean,
 *                  as the rotation table's source does) or {@code standardize} (per-channel mean/std)
 */
public record Preprocess(String normalize) {
}
