package org.sslbench.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The documented defaults (specs/README.md): what a spec gets for every key it leaves out. */
final class Defaults {
    private Defaults() {
    }

    static final OptimizerSpec ADAM = new OptimizerSpec("adam", 1e-3, 0.9, 0.0, false);
    static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", 0, List.of(), List.of());
    static final Map<String, Object> SHIFT_AND_FLIP = augment(0.1, true);

    static final TrainSpec PRETEXT = new TrainSpec(10, 128, ADAM,
            new ScheduleSpec("cosine", 0, List.of(), List.of()), SHIFT_AND_FLIP);
    static final TrainSpec FINETUNE = new TrainSpec(20, 64, ADAM, CONSTANT, SHIFT_AND_FLIP);
    /** A frozen encoder with a linear head wants a larger lr and sees the images as they are. */
    static final TrainSpec LINEAR = new TrainSpec(50, 256, new OptimizerSpec("adam", 1e-2, 0.9, 0.0, false),
            CONSTANT, Map.of());

    static final int KNN_K = 20;
    static final double KNN_TEMPERATURE = 0.07;

    static final String NORMALIZE = "pixel_mean";
    static final List<Integer> SEEDS = List.of(0);

    /** The downstream defaults of a protocol; protocols other than linear train like finetune. */
    static TrainSpec protocol(String name) {
        return name.equals("linear") ? LINEAR : FINETUNE;
    }

    private static Map<String, Object> augment(double shift, boolean hflip) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shift", shift);
        m.put("hflip", hflip);
        return Collections.unmodifiableMap(m);
    }
}
