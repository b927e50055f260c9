package org.sslbench.results;

import java.util.Locale;

/** Outcome of one cell, written lower-case in the {@code status} column. */
public enum Status {
    /** Trained and evaluated; the only status that enters leaderboard means. */
    OK,
    /** Loss became NaN/Inf. A real outcome of the method, so it is not retried on rerun. */
    DIVERGED,
    /**
     * The pretext embedding collapsed (org.sslbench.train.CollapseRule: RankMe of the last epoch
     * under its threshold, or the kNN monitor's early stop). The cell is still evaluated and its
     * accuracy recorded, but like diverged it never enters leaderboard means, ranks or verdicts;
     * a real outcome of the method, so it is not retried on rerun.
     */
    COLLAPSED,
    /** Crashed (exception, OOM, missing data). Possibly transient, so a rerun retries it. */
    FAILED;

    public String csv() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a rerun should skip the cell: ok, diverged or collapsed. */
    public boolean isCompleted() {
        return this != FAILED;
    }

    public static Status parse(String value) {
        for (Status s : values()) {
            if (s.csv().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be ok, diverged, collapsed or failed, found '" + value + "'");
    }
}
