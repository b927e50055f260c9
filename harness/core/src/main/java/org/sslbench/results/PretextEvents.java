package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sslbench.train.EpochLog;

/**
 * A pretext run's per-epoch scalars as TensorBoard event files,
 * {@code <results>/tensorboard/pretext/<method>-<dataset>-<backbone>-seed<k>-<hash>/}: loss, the
 * method's metrics, learning rate, images/s, data-wait share, collapse monitor and RankMe, one
 * point per epoch, and the kNN monitor's accuracy and encoder RankMe at the epochs it measured (1-based), so {@code tensorboard --logdir results/<spec>} compares runs.
 */
public final class PretextEvents {
    private PretextEvents() {
    }

    /** Writes the events of {@code epochs} for run {@code name} under {@code resultsDir}. */
    public static void write(Path resultsDir, String name, List<EpochLog> epochs) throws IOException {
        try (TensorBoard tb = TensorBoard.open(resultsDir.resolve("tensorboard").resolve("pretext").resolve(name))) {
            for (EpochLog e : epochs) {
                long step = e.epoch() + 1;
                tb.scalar("pretext/loss", step, e.loss());
                e.metrics().forEach((k, v) -> tb.scalar("pretext/" + k, step, v));
                tb.scalar("pretext/lr", step, e.lr());
                tb.scalar("pretext/images_per_second", step, e.imagesPerSecond());
                tb.scalar("pretext/data_wait_fraction", step, e.dataWaitFraction());
                tb.scalar("pretext/collapse_std", step, e.collapseStd());
                tb.scalar("pretext/rankme", step, e.rankMe());
                if (!Double.isNaN(e.monitorKnn())) { // epochs the monitor measured only
                    tb.scalar("pretext/monitor_knn", step, e.monitorKnn());
                    tb.scalar("pretext/monitor_rankme", step, e.monitorRankMe());
                }
            }
        }
    }
}
