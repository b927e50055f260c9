package org.sslbench.train;

/** A loss became NaN or infinite; the cell is recorded as {@code diverged} with the epoch. */
public class DivergedException extends RuntimeException {
    private final int epoch;

    public DivergedException(String phase, int epoch, long step, float value) {
        super(phase + " loss became " + value + " at epoch " + (epoch + 1) + ", step " + step);
        this.epoch = epoch;
    }

    /** 0-based epoch in which the loss diverged. */
    public int epoch() {
        return epoch;
    }
}
