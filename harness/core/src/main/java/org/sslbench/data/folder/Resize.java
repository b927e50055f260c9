package org.sslbench.data.folder;

import java.util.Locale;

/**
 * How an image of any size becomes the declared {@code image_size} (spec key {@code resize}).
 * Every mode resamples with a Lanczos-3 filter (TwelveMonkeys {@code ResampleOp.FILTER_LANCZOS},
 * a windowed sinc, as PIL's {@code Image.LANCZOS}), which antialiases when shrinking.
 */
public enum Resize {
    /** Scale the shorter side to the target, then cut the centre (torchvision's Resize + CenterCrop); the default. */
    CROP,
    /** Scale each side to the target independently; the aspect ratio changes, nothing is cut. */
    STRETCH,
    /** Scale the longer side to the target and pad the rest with black, centred; nothing is cut or distorted. */
    PAD;

    /** Spec spelling: {@code crop}, {@code stretch}, {@code pad}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
