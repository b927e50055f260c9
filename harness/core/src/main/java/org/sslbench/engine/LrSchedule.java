package org.sslbench.engine;

import org.sslbench.spec.ScheduleSpec;

/**
 * Learning rate as a function of training progress, evaluated in Java each step.
 *
 * <p>{@code epoch} is fractional progress (2.5 = half-way through the third epoch). Warm-up ramps
 * linearly from 0 to the base rate over {@code warmupEpochs}. {@code step}: factor i applies from
 * the 0-based epoch {@code milestones[i]} on (Keras' "lr × 0.1 after epoch 80" is milestone 81).
 * {@code cosine}: half-cosine from the base rate to 0 over the epochs after warm-up.
 * {@code fixmatch_cosine}: base·cos(7π·t/16), t the fraction of the epochs after warm-up done,
 * from the base rate to cos(7π/16) ≈ 0.195 of it (Sohn et al., FixMatch, NeurIPS 2020: η·cos(7πk/16K)
 * at step k of K; google-research/fixmatch fixmatch.py@3ae68002: {@code lr *= cos(lrate·7π/(2·8))},
 * lrate = step / total steps).
 */
public final class LrSchedule {
    private final ScheduleSpec spec;
    private final double baseLr;
    private final int epochs;

    public LrSchedule(ScheduleSpec spec, double baseLr, int epochs) {
        this.spec = spec;
        this.baseLr = baseLr;
        this.epochs = epochs;
    }

    public double at(double epoch) {
        double warmup = spec.warmupEpochs();
        if (warmup > 0 && epoch < warmup) {
            return baseLr * epoch / warmup;
        }
        return switch (spec.name()) {
            case "constant" -> baseLr;
            case "step" -> baseLr * stepFactor((int) Math.floor(epoch));
            case "cosine" -> {
                double span = Math.max(epochs - warmup, 1e-9);
                double t = Math.min(1.0, Math.max(0.0, (epoch - warmup) / span));
                yield baseLr * 0.5 * (1 + Math.cos(Math.PI * t));
            }
            case "fixmatch_cosine" -> baseLr * Math.cos(7 * Math.PI * progress(epoch, warmup) / 16);
            default -> throw new IllegalArgumentException("unknown schedule " + spec.name()
                    + " (constant, step, cosine, fixmatch_cosine)");
        };
    }

    /** Fraction in [0, 1] of the epochs after warm-up done at {@code epoch}. */
    private double progress(double epoch, double warmup) {
        double span = Math.max(epochs - warmup, 1e-9);
        return Math.min(1.0, Math.max(0.0, (epoch - warmup) / span));
    }

    private double stepFactor(int epoch) {
        double factor = 1.0;
        for (int i = 0; i < spec.milestones().size(); i++) {
            if (epoch >= spec.milestones().get(i)) {
                factor = spec.factors().get(i);
            }
        }
        return factor;
    }
}
