package org.sslbench.engine;

import org.sslbench.spec.ScheduleSpec;

/**
 * Learning rate as a function of training progress, evaluated in Java each step.
 *
 * <p>{@code epoch} is fractional progress (2.5 = half-way through the third epoch). Warm-up ramps
 * linearly from 0 to the base rate over {@code warmupEpochs}. {@code step}: factor i applies from
 * the 0-based epoch {@code milestones[i]} on (Keras' "lr × 0.1 after epoch 80" is milestone 81).
 * {@code cosine}: half-cosine from the base rate to 0 over the epochs after warm-up.
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
            default -> throw new IllegalArgumentException("unknown schedule " + spec.name() + " (constant, step, cosine)");
        };
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
