package org.sslbench.spec;

import java.util.Map;

/**
 * One training phase (pretext or fine-tune/linear).
 *
 * @param augment augmentation name → its setting, in spec order (e.g. {@code shift: 0.1}, {@code hflip: true})
 */
public record TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                        Map<String, Object> augment) {
}
