package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.train.Augmenter;

/** A method's own augmentation pipelines are checked like a spec's augment block (issue 15). */
class AugmentDefaultsTest {
    @Test
    void aTypoAWrongTypeOrAValueOutOfRangeIsNamed() {
        assertEquals("augmentations() pipeline: unknown augmentation 'blurr'; did you mean 'blur'? allowed: "
                        + String.join(", ", new java.util.TreeSet<>(Augmenter.KNOWN.keySet())),
                AugmentDefaults.problem(List.of(Map.of("blurr", 0.5)), Augmenter.KNOWN));
        assertEquals("augmentations() view 2: hflip must be a Boolean, got 1 (Integer)",
                AugmentDefaults.problem(List.of(Map.of("hflip", true), Map.of("hflip", 1)), Augmenter.KNOWN));
        String outOfRange = AugmentDefaults.problem(List.of(Map.of("blur", 1.5)), Augmenter.KNOWN);
        assertEquals("augmentations() pipeline: blur must be " + TrainSpecReader.AUGMENT_RANGES.get("blur").describe()
                + ", got 1.5", outOfRange);
    }

    /** FixMatch's strong-augmentation keys: randaugment an integer in [0, 14], cutout a fraction in [0, 1]. */
    @Test
    void randaugmentAndCutoutAreCheckedLikeTheOtherKeys() {
        assertNull(AugmentDefaults.problem(List.of(Map.of("hflip", true, "shift", 0.125, "randaugment", 2, "cutout", 0.5)),
                Augmenter.KNOWN));
        assertEquals("augmentations() pipeline: randaugment must be in [0, 14], got 15",
                AugmentDefaults.problem(List.of(Map.of("randaugment", 15)), Augmenter.KNOWN));
        assertEquals("augmentations() pipeline: randaugment must be a Integer, got 2.0 (Double)",
                AugmentDefaults.problem(List.of(Map.of("randaugment", 2.0)), Augmenter.KNOWN));
        assertEquals("augmentations() pipeline: cutout must be in [0, 1], got 1.5",
                AugmentDefaults.problem(List.of(Map.of("cutout", 1.5)), Augmenter.KNOWN));
    }

    @Test
    void validPipelinesPassAndAnIntegerIsANumber() {
        assertNull(AugmentDefaults.problem(List.of(), Augmenter.KNOWN));
        assertNull(AugmentDefaults.problem(List.of(Map.of("crop", 0.2, "hflip", true, "blur", 1)), Augmenter.KNOWN));
    }
}
