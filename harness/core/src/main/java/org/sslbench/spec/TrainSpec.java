package org.sslbench.spec;

import java.util.List;
import java.util.Map;

/**
 * One training phase (pretext or fine-tune/linear).
 *
 * @param augment      augmentation name → setting (e.g. {@code crop: 0.2}, {@code hflip: true}),
 *                     the pipeline of every view unless {@code augmentViews} is given
 * @param augmentViews pretext only: one pipeline per view (BYOL's asymmetric blur/solarize);
 *                     empty when all views share {@code augment}
 */
public record TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                        Map<String, Object> augment, List<Map<String, Object>> augmentViews) {
    public TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule, Map<String, Object> augment) {
        this(epochs, batchSize, optimizer, schedule, augment, List.of());
    }

    /** The augmentation pipeline of view {@code view}. */
    public Map<String, Object> augmentFor(int view) {
        return augmentViews.isEmpty() ? augment : augmentViews.get(view % augmentViews.size());
    }
}
