package org.sslbench.train;

import java.util.SplittableRandom;

/**
 * The pretext trainer's data: each step's views (read, augment, normalise) prepared on the
 * {@link StepPrefetcher} thread into one of two alternating buffers. Each step's RNG still
 * derives from (seed, epoch, step) and is handed to the trainer with its batch, so prefetching
 * changes no result.
 */
final class Prefetcher implements AutoCloseable {
    /** One step's views, its RNG (positioned after the augmentation draws) and how long the trainer waited. */
    record Ready(int epoch, int stepInEpoch, long step, float[][] views, SplittableRandom random, long waitNanos) {
    }

    private record Prepared(int epoch, int stepInEpoch, float[][] views, SplittableRandom random) {
    }

    private final Batches batches;
    private final Augmenter[] augmenters;
    private final int batch;
    private final int stepsPerEpoch;
    private final float[][][] buffers;
    private final StepPrefetcher<Prepared> steps;
    private int[] order; // touched by the prefetch thread only
    private int orderEpoch = -1;

    Prefetcher(Batches batches, Augmenter[] augmenters, int views, int batch, int stepsPerEpoch, int epochs) {
        this.batches = batches;
        this.augmenters = augmenters;
        this.batch = batch;
        this.stepsPerEpoch = stepsPerEpoch;
        // Each view's buffer holds a batch of its own size (multi-crop's local views are smaller).
        this.buffers = new float[2][views][];
        for (int b = 0; b < 2; b++) {
            for (int v = 0; v < views; v++) {
                buffers[b][v] = new float[batch * (augmenters[v] == null ? batches.shape() : augmenters[v].outputShape(batches.shape())).size()];
            }
        }
        this.steps = new StepPrefetcher<>((long) stepsPerEpoch * epochs, this::prepare);
    }

    /** Runs on the prefetch thread only, in step order: the epoch order is computed there too. */
    private Prepared prepare(long step) {
        int epoch = (int) (step / stepsPerEpoch);
        int s = (int) (step % stepsPerEpoch);
        if (epoch != orderEpoch) {
            order = batches.order(epoch);
            orderEpoch = epoch;
        }
        float[][] views = buffers[(int) (step % 2)];
        SplittableRandom rng = batches.random(epoch, step);
        batches.fillViews(order, s * batch, batch, views, augmenters, rng);
        return new Prepared(epoch, s, views, rng);
    }

    /** The next step's data; the step after it starts preparing at once. */
    Ready next() {
        StepPrefetcher.Ready<Prepared> r = steps.next();
        Prepared p = r.data();
        return new Ready(p.epoch(), p.stepInEpoch(), r.step(), p.views(), p.random(), r.waitNanos());
    }

    @Override
    public void close() {
        steps.close();
    }
}
