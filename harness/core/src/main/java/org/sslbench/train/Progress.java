package org.sslbench.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of one training phase: a live bar (epoch, loss, img/s) on a terminal, and one line per
 * epoch otherwise (CI logs, redirected output), so logs stay readable either way.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream log;
    private final String phase;
    private final int epochs;

    private Progress(String phase, long totalSteps, int epochs, PrintStream log, boolean interactive) {
        this.phase = phase;
        this.epochs = epochs;
        this.log = log;
        this.bar = interactive
                ? new ProgressBarBuilder().setTaskName(phase).setInitialMax(totalSteps)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build()
                : null;
    }

    /** A bar on a terminal, plain lines when output is not a terminal or {@code quiet}; no lines when log is null. */
    public static Progress start(String phase, long totalSteps, int epochs, PrintStream log, boolean quiet) {
        boolean interactive = !quiet && System.console() != null;
        return new Progress(phase, totalSteps, epochs, log, interactive);
    }

    public void step(int epoch, double runningLoss, double imagesPerSecond) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " epoch %d/%d loss %.4f %.0f img/s",
                    epoch + 1, epochs, runningLoss, imagesPerSecond));
        }
    }

    public void epoch(EpochLog e) {
        if (bar == null && log != null) {
            StringBuilder metrics = new StringBuilder();
            e.metrics().forEach((k, v) -> metrics.append(String.format(java.util.Locale.ROOT, " %s %.4f", k, v)));
            log.printf(java.util.Locale.ROOT, "  %s epoch %d/%d loss %.4f%s lr %.2e %.0f img/s data-wait %.1f%%%s%n", phase,
                    e.epoch() + 1, epochs, e.loss(), metrics, e.lr(), e.imagesPerSecond(), 100 * e.dataWaitFraction(),
                    (Double.isNaN(e.collapseStd()) ? "" : String.format(java.util.Locale.ROOT, " emb-std %.4f", e.collapseStd()))
                    + (Double.isNaN(e.rankMe()) ? "" : String.format(java.util.Locale.ROOT, " rankme %.1f", e.rankMe()))
                    + (Double.isNaN(e.monitorKnn()) ? "" : String.format(java.util.Locale.ROOT,
                            " monitor-knn %.1f%% encoder-rankme %.1f", 100 * e.monitorKnn(), e.monitorRankMe())));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
