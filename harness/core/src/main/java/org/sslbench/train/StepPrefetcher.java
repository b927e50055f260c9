package org.sslbench.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * Prepares training step k+1's data on one background thread while TensorFlow runs step k. Steps
 * are prepared strictly in order, one at a time, and step k+1 is submitted only when the trainer
 * takes step k: a preparer that writes into buffer {@code step % 2} therefore never overwrites
 * the batch the trainer is still using. Results must derive from the step number alone (seeded
 * per step), so prefetching changes no result.
 *
 * @param <T> one step's prepared data
 */
public final class StepPrefetcher<T> implements AutoCloseable {
    /** One step's data and how long the trainer was blocked waiting for it. */
    public record Ready<T>(long step, T data, long waitNanos) {
    }

    private final LongFunction<T> prepare;
    private final long totalSteps;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sslbench-prefetch");
        t.setDaemon(true);
        return t;
    });
    private long submitted;
    private Future<T> inFlight;
    private long waitNanos;

    /** Starts preparing step 0 at once; {@code prepare} runs on the background thread only. */
    public StepPrefetcher(long totalSteps, LongFunction<T> prepare) {
        this.prepare = prepare;
        this.totalSteps = totalSteps;
        submitNext();
    }

    private void submitNext() {
        if (submitted >= totalSteps) {
            inFlight = null;
            return;
        }
        long step = submitted++;
        inFlight = thread.submit(() -> prepare.apply(step));
    }

    /** The next step's data; the step after it starts preparing at once. */
    public Ready<T> next() {
        if (inFlight == null) {
            throw new IllegalStateException("no steps left");
        }
        long step = submitted - 1;
        long t0 = System.nanoTime();
        T data;
        try {
            data = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        long waited = System.nanoTime() - t0;
        waitNanos += waited;
        submitNext();
        return new Ready<>(step, data, waited);
    }

    /** Total time the trainer has been blocked in {@link #next()}. */
    public long totalWaitNanos() {
        return waitNanos;
    }

    /**
     * Stops the thread and waits (up to 10 s) for a step still being prepared, so that a caller
     * may release buffers the preparer writes into (reused tensors) once this returns.
     */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
