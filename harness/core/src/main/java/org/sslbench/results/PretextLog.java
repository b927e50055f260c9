package org.sslbench.results;

import static org.sslbench.results.CsvValues.getDouble;
import static org.sslbench.results.CsvValues.getInt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A pretext run's per-epoch log, {@code pretext/<hash>.log.csv}: epoch, loss, the method's own
 * metrics (which vary, so they are not read here), lr, images_per_second, collapse_std, and the kNN
 * monitor's accuracy {@code monitor_knn} (a fraction; NaN where not measured or in logs written
 * before the monitor existed).
 */
public record PretextLog(List<Epoch> epochs) {
    /** The columns every log has. */
    public static final List<String> COLUMNS = List.of("epoch", "loss", "lr", "images_per_second", "collapse_std");

    /** @param epoch 1-based */
    public record Epoch(int epoch, double loss, double lr, double imagesPerSecond, double collapseStd, double monitorKnn) {
        /** Without a monitor measurement. */
        public Epoch(int epoch, double loss, double lr, double imagesPerSecond, double collapseStd) {
            this(epoch, loss, lr, imagesPerSecond, collapseStd, Double.NaN);
        }
    }

    public static final PretextLog EMPTY = new PretextLog(List.of());

    public PretextLog {
        epochs = List.copyOf(epochs);
    }

    public static PretextLog read(Path file) throws IOException {
        return new PretextLog(CsvTable.readContaining(file, COLUMNS, r -> new Epoch(getInt(r, "epoch"),
                getDouble(r, "loss"), getDouble(r, "lr"), getDouble(r, "images_per_second"),
                getDouble(r, "collapse_std"), r.isMapped("monitor_knn") ? getDouble(r, "monitor_knn") : Double.NaN)));
    }

    /** Mean throughput over epochs; NaN for an empty log. */
    public double meanImagesPerSecond() {
        return Stats.mean(epochs.stream().mapToDouble(Epoch::imagesPerSecond).filter(v -> !Double.isNaN(v)).toArray());
    }
}
