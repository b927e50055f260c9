package org.sslbench.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sslbench.engine.Precision;

/**
 * One training phase (pretext or fine-tune/linear).
 *
 * @param augment      augmentation name → setting (e.g. {@code crop: 0.2}, {@code hflip: true}),
 *                     the pipeline of every view unless {@code augmentViews} is given
 * @param augmentViews pretext only: one pipeline per view (BYOL's asymmetric blur/solarize);
 *                     empty when all views share {@code augment}
 * @param bnMomentum   BatchNorm moving-average momentum m of this phase (Keras convention:
 *                     moving = m·moving + (1 − m)·batch; PyTorch's {@code momentum} is 1 − m), in
 *                     [0, 1); empty means {@link #DEFAULT_BN_MOMENTUM}. Empty rather than 0.9 so
 *                     that the default stays out of config hashes (ConfigHash leaves an empty
 *                     Optional out) and results stored before this setting existed keep their hashes.
 * @param dataset      pretext only: the dataset whose unlabeled pool the pretext trains on instead of
 *                     the evaluation dataset's own (spec key {@code pretext.dataset}); its images are
 *                     resized to the evaluation dataset's shape ({@link org.sslbench.data.folder.ResizedPool}).
 *                     Empty = the evaluation dataset's own pool, and then left out of every hash.
 * @param monitor      pretext only: the kNN monitor ({@link MonitorSpec}); in hashes only with
 *                     {@code monitor_stop: true}. Downstream blocks carry {@link MonitorSpec#DEFAULT}, unused.
 * @param precision    the compute precision this phase ASKS for (spec key {@code precision}, the block's
 *                     or else the top-level one; {@link Precision#FP32} when absent). What a session
 *                     runs is {@link Precision#effective} of it on the run's device. fp32 is left out
 *                     of config hashes ({@link Precision#identity}), so specs without the key keep theirs.
 */
public record TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                        Map<String, Object> augment, List<Map<String, Object>> augmentViews,
                        Optional<Double> bnMomentum, Optional<DatasetRef> dataset, MonitorSpec monitor,
                        Precision precision) {
    /**
     * The BatchNorm momentum when a spec sets none: 0.9 (PyTorch's momentum=0.1). Statistics then
     * forget their start within a few dozen steps, which a CPU-sized run of a few hundred steps
     * needs; Keras' 0.99 keeps 0.99^460 ≈ 1 % of its initial value after 460 steps.
     */
    public static final double DEFAULT_BN_MOMENTUM = 0.9;

    /** @throws IllegalArgumentException for a BatchNorm momentum outside [0, 1), also after the cast to float32 */
    public TrainSpec {
        dataset = dataset == null ? Optional.empty() : dataset;
        monitor = monitor == null ? MonitorSpec.DEFAULT : monitor;
        precision = precision == null ? Precision.FP32 : precision;
        bnMomentum = bnMomentum == null ? Optional.empty() : bnMomentum.filter(m -> m != DEFAULT_BN_MOMENTUM);
        // (float) m is what the graph uses (Layers): 0.9999999999 would become 1f and freeze the statistics.
        if (bnMomentum.isPresent() && !(bnMomentum.get() >= 0 && (float) (double) bnMomentum.get() < 1f)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1), got " + bnMomentum.get());
        }
    }

    /** In fp32. */
    public TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                     Map<String, Object> augment, List<Map<String, Object>> augmentViews,
                     Optional<Double> bnMomentum, Optional<DatasetRef> dataset, MonitorSpec monitor) {
        this(epochs, batchSize, optimizer, schedule, augment, augmentViews, bnMomentum, dataset, monitor, Precision.FP32);
    }

    /** With the default monitor. */
    public TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                     Map<String, Object> augment, List<Map<String, Object>> augmentViews,
                     Optional<Double> bnMomentum, Optional<DatasetRef> dataset) {
        this(epochs, batchSize, optimizer, schedule, augment, augmentViews, bnMomentum, dataset, MonitorSpec.DEFAULT);
    }

    /** Without a pretext dataset (the evaluation dataset's own pool). */
    public TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                     Map<String, Object> augment, List<Map<String, Object>> augmentViews, Optional<Double> bnMomentum) {
        this(epochs, batchSize, optimizer, schedule, augment, augmentViews, bnMomentum, Optional.empty());
    }

    public TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule,
                     Map<String, Object> augment, List<Map<String, Object>> augmentViews) {
        this(epochs, batchSize, optimizer, schedule, augment, augmentViews, Optional.empty());
    }

    public TrainSpec(int epochs, int batchSize, OptimizerSpec optimizer, ScheduleSpec schedule, Map<String, Object> augment) {
        this(epochs, batchSize, optimizer, schedule, augment, List.of());
    }

    /**
     * The augmentation pipeline of view {@code view}: {@code augment}, or the {@code augmentViews}
     * entry it falls in, an entry with {@code count: n} serving n consecutive views (multi-crop:
     * 2 global pipelines then one local pipeline with count 6 serve views 0, 1 and 2–7). Views past
     * the pipelines' total start over from the first.
     */
    public Map<String, Object> augmentFor(int view) {
        if (augmentViews.isEmpty()) {
            return augment;
        }
        int v = view % viewsOfPipelines();
        for (Map<String, Object> pipeline : augmentViews) {
            int n = org.sslbench.train.Augmenter.count(pipeline);
            if (v < n) {
                return pipeline;
            }
            v -= n;
        }
        throw new IllegalStateException("unreachable: view " + view + " of " + viewsOfPipelines());
    }

    /** Views the {@code augmentViews} pipelines make: the sum of their counts (0 when there are none). */
    public int viewsOfPipelines() {
        int sum = 0;
        for (Map<String, Object> pipeline : augmentViews) {
            sum += org.sslbench.train.Augmenter.count(pipeline);
        }
        return sum;
    }

    /** The momentum every BatchNorm moving-average update of this phase uses (default filled in). */
    public double bnMomentumValue() {
        return bnMomentum.orElse(DEFAULT_BN_MOMENTUM);
    }

    /** This phase with another BatchNorm momentum (the default given explicitly hashes as absent). */
    public TrainSpec withBnMomentum(double momentum) {
        return new TrainSpec(epochs, batchSize, optimizer, schedule, augment, augmentViews, Optional.of(momentum), dataset, monitor, precision);
    }

    /** This phase pretraining on {@code pretextDataset}'s unlabeled pool (empty = the evaluation dataset's own). */
    public TrainSpec withDataset(Optional<DatasetRef> pretextDataset) {
        return new TrainSpec(epochs, batchSize, optimizer, schedule, augment, augmentViews, bnMomentum, pretextDataset, monitor, precision);
    }

    /** This phase with another kNN monitor. */
    public TrainSpec withMonitor(MonitorSpec newMonitor) {
        return new TrainSpec(epochs, batchSize, optimizer, schedule, augment, augmentViews, bnMomentum, dataset, newMonitor, precision);
    }

    /** This phase asking for another compute precision. */
    public TrainSpec withPrecision(Precision newPrecision) {
        return new TrainSpec(epochs, batchSize, optimizer, schedule, augment, augmentViews, bnMomentum, dataset, monitor,
                newPrecision);
    }
}
