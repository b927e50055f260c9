package org.sslbench.spec;

import java.util.List;

/**
 * Learning-rate schedule.
 *
 * @param name         {@code constant}, {@code step} or {@code cosine}
 * @param warmupEpochs linear warm-up from 0 (cosine and step), may be fractional
 * @param milestones   step: epochs after which the factor of the same index applies
 * @param factors      step: multipliers of the base lr (not cumulative), e.g. [0.1, 0.01]
 */
public record ScheduleSpec(String name, double warmupEpochs, List<Integer> milestones, List<Double> factors) {
}
