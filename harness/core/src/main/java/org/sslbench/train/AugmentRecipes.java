package org.sslbench.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The augmentation recipes the methods' in-code defaults share ({@code preset: none}), as
 * {@link Augmenter} spec maps: random resized crop (min scale 0.2), flip, colour jitter with p 0.8
 * (brightness 0.4, contrast 0.4, the given saturation, hue 0.1), grayscale with p 0.2; methods add
 * blur or solarize per view. The jitter is SimCLR's colour distortion at strength 0.5 (saturation
 * 0.4) or BYOL's (saturation 0.2). The 0.2 crop is MoCo v2's (facebookresearch/moco
 * main_moco.py@010242b7) and solo-learn's CIFAR VICReg (scripts/pretrain/cifar/vicreg.yaml@1df0b89d);
 * solo-learn's other CIFAR configs (augmentations/asymmetric.yaml, symmetric.yaml,
 * symmetric_weak.yaml) and Lightly's CIFAR-10 benchmark crop from 0.08. The per-method presets
 * ({@code presets.yaml}) carry the published recipes.
 */
public final class AugmentRecipes {
    private AugmentRecipes() {
    }

    /** The shared small-image recipe (crop 0.2, jitter 0.4/0.4/saturation/0.1 at p 0.8, gray 0.2). */
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
     * Multi-crop's local crops (Caron et al. 2020, §3.2): {@code recipe} cropping an area fraction in
     * [{@code crop}, {@code cropMax}] at {@code size} of the image's side, for {@code count}
     * consecutive views (Augmenter keys crop, crop_max, size, count).
     */
    public static Map<String, Object> localCrops(Map<String, Object> recipe, double crop, double cropMax, double size,
                                                 int count) {
        Map<String, Object> out = new HashMap<>(recipe);
        out.put("crop", crop);
        out.put("crop_max", cropMax);
        out.put("size", size);
        out.put("count", count);
        return Map.copyOf(out);
    }

    /**
     * BYOL's asymmetric view pair without blur: solarize 0 on the first view, 0.2 on the second, as
     * solo-learn's CIFAR asymmetric.yaml@24322891 (which crops from 0.08, not 0.2); used by Barlow
     * Twins and VICReg, whose papers take BYOL's augmentations (solo-learn's CIFAR VICReg instead
     * solarizes both views with p 0.1).
     */
    public static List<Map<String, Object>> viewPairWithoutBlur() {
        return List.of(with(smallImage(0.2), "solarize", 0.0), with(smallImage(0.2), "solarize", 0.2));
    }
}
