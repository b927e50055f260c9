package org.sslbench.evaluate;

/**
 * Seconds spent scoring (the test split, a held-out part of the labelled subset, test features), per
 * thread: the scoring code adds its wall time here and each protocol reports the difference over
 * its own run as {@link Outcome#evalSeconds()}, so the time split of a run (issue 16) can tell
 * evaluation from downstream training without every caller threading a stopwatch through.
 * Per thread, so protocols running on other threads (tests) do not mix their times.
 */
public final class EvalClock {
    private static final ThreadLocal<long[]> NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private EvalClock() {
    }

    /** Scoring nanoseconds this thread has accumulated so far (a mark for {@link #secondsSince}). */
    public static long mark() {
        return NANOS.get()[0];
    }

    /** Scoring seconds on this thread since {@code mark}. */
    public static double secondsSince(long mark) {
        return (mark() - mark) / 1e9;
    }

    /** Adds the time since {@code startNanos} ({@link System#nanoTime()}) as scoring time. */
    static void addSince(long startNanos) {
        NANOS.get()[0] += System.nanoTime() - startNanos;
    }
}
