package org.sslbench.method;

import java.util.SplittableRandom;
import org.sslbench.data.ImageShape;

/** One pretext step's data as the method sees it in {@link Objective#feed}. */
public interface StepBatch {
    /**
     * Images in this batch: always {@link PretextContext#batchSize()} (min(batch_size, pool size));
     * the last partial batch of an epoch is dropped, never fed smaller.
     */
    int size();

    ImageShape shape();

    /**
     * Augmented view {@code v}: {@code size() × viewShape(v).size()} floats (at least; only that
     * prefix is this step's), NHWC, already normalised.
     */
    float[] view(int v);

    /** Shape of view {@code v} (see PretextContext#viewShape); default {@link #shape()}. */
    default ImageShape viewShape(int v) {
        return shape();
    }

    /** Seeded per step: methods draw their own randomness (e.g. rotation choices) from it. */
    SplittableRandom random();

    /** 0-based optimizer step. */
    long step();
}
