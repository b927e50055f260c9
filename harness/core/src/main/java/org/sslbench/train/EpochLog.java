package org.sslbench.train;

import java.util.Map;

/**
 * One epoch of a training phase: mean loss, the method's metrics, learning rate at the end, the
 * fraction of step time spent waiting for the prefetched data, throughput and the collapse monitor (std of the L2-normalised embedding, averaged over dims:
 * ≈ 1/√d when healthy, → 0 when collapsed) and the embedding's effective rank ({@link RankMe}, on
 * the epoch's last batch; NaN when not measured).
 */
public record EpochLog(int epoch, double loss, Map<String, Double> metrics, double lr, double dataWaitFraction,
                       double imagesPerSecond, double collapseStd, double rankMe) {
    /** Without the effective rank (NaN). */
    public EpochLog(int epoch, double loss, Map<String, Double> metrics, double lr, double dataWaitFraction,
                    double imagesPerSecond, double collapseStd) {
        this(epoch, loss, metrics, lr, dataWaitFraction, imagesPerSecond, collapseStd, Double.NaN);
    }
}
