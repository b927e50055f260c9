package org.sslbench.train;

import java.util.Map;

/**
 * One epoch of a training phase: mean loss, the method's metrics, learning rate at the end, the
 * fraction of step time spent waiting for the prefetched data, throughput and the collapse monitor (std of the L2-normalised embedding, averaged over dims:
 * ≈ 1/√d when healthy, → 0 when collapsed) and the embedding's effective rank ({@link RankMe}, on
 * the epoch's last batch; NaN when not measured). {@code monitorKnn} (fraction in [0, 1]) and
 * {@code monitorRankMe} are the {@link PretextMonitor}'s kNN accuracy and encoder RankMe on its
 * fixed labelled training images, NaN in epochs it did not measure.
 */
public record EpochLog(int epoch, double loss, Map<String, Double> metrics, double lr, double dataWaitFraction,
                       double imagesPerSecond, double collapseStd, double rankMe, double monitorKnn,
                       double monitorRankMe) {
    /** Without monitor measurements (NaN). */
    public EpochLog(int epoch, double loss, Map<String, Double> metrics, double lr, double dataWaitFraction,
                    double imagesPerSecond, double collapseStd, double rankMe) {
        this(epoch, loss, metrics, lr, dataWaitFraction, imagesPerSecond, collapseStd, rankMe, Double.NaN, Double.NaN);
    }

    /** Without the effective rank (NaN). */
    public EpochLog(int epoch, double loss, Map<String, Double> metrics, double lr, double dataWaitFraction,
                    double imagesPerSecond, double collapseStd) {
        this(epoch, loss, metrics, lr, dataWaitFraction, imagesPerSecond, collapseStd, Double.NaN);
    }

    /** This epoch with a monitor measurement. */
    public EpochLog withMonitor(PretextMonitor.Measurement m) {
        return new EpochLog(epoch, loss, metrics, lr, dataWaitFraction, imagesPerSecond, collapseStd, rankMe, m.knn(),
                m.rankMe());
    }
}
