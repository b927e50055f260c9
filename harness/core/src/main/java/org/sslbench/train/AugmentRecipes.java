package org.sslbench.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The augmentation recipes the methods share, as {@link Augmenter} spec maps. For 32 px / 28 px
 * images all of them start from SimCLR's colour distortion as solo-learn's CIFAR configs set it:
 * random resized crop (min scale 0.2), flip, colour jitter with p 0.8 (brightness 0.4, contrast
 * 0.4, the given saturation, hue 0.1), grayscale with p 0.2. Methods add blur or solarize per view.
 */
public final class AugmentRecipes {
    private AugmentRecipes() {
    }

    /** SimCLR's colour distortion for small images, with the method's saturation strength. */
    public static Map<String, Object> smallImage(double saturation) {
        return Map.of("crop", 0.2, "hflip", true, "jitter", 0.8, "brightness", 0.4, "contrast", 0.4,
                "saturation", saturation, "hue", 0.1, "grayscale", 0.2);
    }

    /** {@code recipe} with one more key set. */
    public static Map<String, Object> with(Map<String, Object> recipe, String key, Object value) {
        Map<String, Object> out = new HashMap<>(recipe);
        out.put(key, value);
        return Map.copyOf(out);
    }

    /**
     * BYOL's asymmetric view pair without blur (σ up to 2 px wipes out a 32-px image): solarize
     * 0 on the first view, 0.2 on the second; used by Barlow Twins and VICReg, whose papers take
     * BYOL's augmentations.
     */
    public static List<Map<String, Object>> viewPairWithoutBlur() {
        return List.of(with(smallImage(0.2), "solarize", 0.0), with(smallImage(0.2), "solarize", 0.2));
    }
}
