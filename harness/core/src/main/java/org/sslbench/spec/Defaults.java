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

    /**
     * supcon's stage 1 (encoder + projector, SupCon loss), scaled for CPU: SupContrast
     * main_supcon.py@2728c677 trains 1000 epochs, batch 256, SGD lr 0.05 momentum 0.9 weight decay
     * 1e-4 (cosine with --cosine, as its README's CIFAR commands), with RandomResizedCrop(scale 0.2..1),
     * flip, ColorJitter(0.4, 0.4, 0.4, 0.1) at p 0.8 and grayscale at p 0.2 (= AugmentRecipes.smallImage(0.4));
     * here 20 epochs (as finetune) and batch 128, the rest as there.
     */
    static final TrainSpec SUPCON = new TrainSpec(20, 128, new OptimizerSpec("sgd", 0.05, 0.9, 1e-4, false),
            new ScheduleSpec("cosine", 0, List.of(), List.of()), org.sslbench.train.AugmentRecipes.smallImage(0.4));

    /**
     * fixmatch (Sohn et al., NeurIPS 2020, §4 and Table 4 of the appendix; google-research/fixmatch
     * fixmatch.py@3ae68002): SGD Nesterov lr 0.03 momentum 0.9 weight decay 5e-4, lr·cos(7πk/16K),
     * B = 64 labelled images per step, weak view flip + translate by up to 12.5 %. The paper trains
     * 2^20 steps; here 5 epochs (an epoch is one pass over the unlabeled pool at μ·B images per step),
     * scaled for CPU.
     */
    static final TrainSpec FIXMATCH = new TrainSpec(5, 64, org.sslbench.evaluate.FixMatch.PAPER_OPTIMIZER,
            org.sslbench.evaluate.FixMatch.PAPER_SCHEDULE, org.sslbench.evaluate.FixMatch.WEAK_AUGMENT);

    static final int KNN_K = 20;
    static final double KNN_TEMPERATURE = 0.07;

    static final String NORMALIZE = "pixel_mean";
    static final List<Integer> SEEDS = List.of(0);

    /**
     * The downstream training defaults of a protocol, by name: linear, supcon and fixmatch have their own;
     * every other protocol (finetune, and any protocol added without its own entry here) trains
     * like finetune.
     */
    static TrainSpec protocol(String name) {
        return switch (name) {
            case "linear" -> LINEAR;
            case "supcon" -> SUPCON;
            case "fixmatch" -> FIXMATCH;
            default -> FINETUNE;
        };
    }

    private static Map<String, Object> augment(double shift, boolean hflip) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shift", shift);
        m.put("hflip", hflip);
        return Collections.unmodifiableMap(m);
    }
}
