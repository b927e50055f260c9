package org.sslbench.train;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prepares the next pretext step's views (read, augment, normalise) on one background thread
 * while TensorFlow runs the current step. Two buffers alternate: step k fills buffer k mod 2, and
 * step k+2 is submitted only after the trainer asked for step k+1, i.e. after it finished with
 * step k's buffer. Each step's RNG still derives from (seed, epoch, step) and is handed to the
 * trainer with its batch, so prefetching changes no result.
 */
final class Prefetcher implements AutoCloseable {
    /** One step's views, its RNG (positioned after the augmentation draws) and how long the trainer waited. */
    record Ready(int epoch, int stepInEpoch, long step, float[][] views, SplittableRandom random, long waitNanos) {
    }

    private final Batches batches;
    private final Augmenter[] augmenters;
    private final int batch;
    private final int stepsPerEpoch;
    private final long totalSteps;
    private final float[][][] buffers;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sslbench-prefetch");
        t.setDaemon(true);
        return t;
    });
    private int[] order;
    private int orderEpoch = -1;
    private long submitted;
    private Future<Ready> inFlight;

    Prefetcher(Batches batches, Augmenter[] augmenters, int views, int batch, int stepsPerEpoch, int epochs) {
        this.batches = batches;
        this.augmenters = augmenters;
        this.batch = batch;
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = (long) stepsPerEpoch * epochs;
        this.buffers = new float[2][views][batch * batches.shape().size()];
        submitNext();
    }

    private void submitNext() {
        if (submitted >= totalSteps) {
            inFlight = null;
            return;
        }
        long step = submitted++;
        inFlight = thread.submit(() -> prepare(step));
    }

    /** Runs on the prefetch thread only, in step order: the epoch order is computed there too. */
    private Ready prepare(long step) {
        int epoch = (int) (step / stepsPerEpoch);
        int s = (int) (step % stepsPerEpoch);
        if (epoch != orderEpoch) {
            order = batches.order(epoch);
            orderEpoch = epoch;
        }
        float[][] views = buffers[(int) (step % 2)];
        SplittableRandom rng = batches.random(epoch, step);
        batches.fillViews(order, s * batch, batch, views, augmenters, rng);
        return new Ready(epoch, s, step, views, rng, 0);
    }

    /** The next step's data; the step after it starts preparing at once. */
    Ready next() {
        if (inFlight == null) {
            throw new IllegalStateException("no steps left");
        }
        long t0 = System.nanoTime();
        Ready ready;
        try {
            ready = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        long waited = System.nanoTime() - t0;
        submitNext();
        return new Ready(ready.epoch(), ready.stepInEpoch(), ready.step(), ready.views(), ready.random(), waited);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
