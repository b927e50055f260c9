package org.sslbench.train;

/** A loss became NaN or infinite; the cell is recorded as {@code diverged} with the epoch. */
public class DivergedException extends RuntimeException {
    private final int epoch;

    public DivergedException(String phase, int epoch, long step, float value) {
        super(phase + " loss became " + value + " at epoch " + (epoch + 1) + ", step " + step);
        this.epoch = epoch;
    }

    /**
     * A value other than a training loss became NaN or infinite (a test loss, encoder features).
     *
     * @param detail what diverged and where, e.g. "finetune test loss became NaN after epoch 1, step 3"
     * @param epoch  0-based epoch it was seen in (the last one for values measured after training)
     */
    public DivergedException(String detail, int epoch) {
        super(detail);
        this.epoch = epoch;
    }

    /** 0-based epoch in which the loss diverged. */
    public int epoch() {
        return epoch;
    }
}
