package org.sslbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sslbench.results.AtomicFiles;
import org.sslbench.results.CsvTable;

/**
 * Where a bench run's wall time went (issue 16): pretext training, downstream training (a cell's
 * protocol minus its scoring), evaluation (scoring the test split and held-out parts,
 * {@link org.sslbench.evaluate.Outcome#evalSeconds()}), I/O (dataset loading and conversion,
 * checkpoint read and write, cells.csv / leaderboard / report / plots / TensorBoard / subset files)
 * and other (the rest: matrix expansion, graph-free bookkeeping, printing), in wall seconds. So a
 * regression shows where it comes from: printed as one line at the end of {@code bench} and
 * appended as a row of {@code <results>/timings.csv} ({@link #FILE}).
 */
public final class TimeSplit {
    /** The file, in the results directory, one row per bench run. */
    public static final String FILE = "timings.csv";

    static final List<String> COLUMNS = List.of("timestamp", "git_commit", "spec", "cells_run", "pretext_seconds",
            "downstream_training_seconds", "evaluation_seconds", "io_seconds", "other_seconds", "total_seconds");

    /** The accounted parts; {@code other} is what is left of the total. */
    public enum Part {
        PRETEXT("pretext"), DOWNSTREAM("downstream training"), EVALUATION("evaluation"), IO("I/O");

        private final String label;

        Part(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final long started = System.nanoTime();
    private final double[] seconds = new double[Part.values().length];
    private double total = Double.NaN;
    private int cells;

    /** Starts the clock of the total now. */
    public TimeSplit() {
    }

    /** A finished split from known parts (tests, merged figures); {@code total} must cover them. */
    public static TimeSplit of(double pretext, double downstream, double evaluation, double io, double total) {
        TimeSplit t = new TimeSplit();
        t.seconds[0] = pretext;
        t.seconds[1] = downstream;
        t.seconds[2] = evaluation;
        t.seconds[3] = io;
        t.total = total;
        return t;
    }

    /** Adds {@code s} seconds to {@code part}; NaN or negative values add nothing. */
    public void add(Part part, double s) {
        if (s > 0) {
            seconds[part.ordinal()] += s;
        }
    }

    /** Adds the wall time since {@code startNanos} ({@link System#nanoTime()}) to {@code part}. */
    public void addSince(Part part, long startNanos) {
        add(part, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Counts one evaluated cell. */
    void cellRun() {
        cells++;
    }

    public int cellsRun() {
        return cells;
    }

    /** Stops the total's clock (once; later calls keep the first total). */
    public TimeSplit finish() {
        if (Double.isNaN(total)) {
            total = (System.nanoTime() - started) / 1e9;
        }
        return this;
    }

    public double seconds(Part part) {
        return seconds[part.ordinal()];
    }

    /** Wall seconds of the run ({@link #finish()}ed), or so far. */
    public double total() {
        return Double.isNaN(total) ? (System.nanoTime() - started) / 1e9 : total;
    }

    /** The total minus the accounted parts, at least 0. */
    public double other() {
        double sum = 0;
        for (double s : seconds) {
            sum += s;
        }
        return Math.max(0, total() - sum);
    }

    /** {@code time: pretext X s, downstream training Y s, evaluation Z s, I/O W s, other V s, total T s}. */
    public String line() {
        StringBuilder sb = new StringBuilder("time:");
        for (Part p : Part.values()) {
            sb.append(String.format(Locale.ROOT, " %s %.1f s,", p.label(), seconds(p)));
        }
        return sb.append(String.format(Locale.ROOT, " other %.1f s, total %.1f s", other(), total())).toString();
    }

    /**
     * Appends this run's row to {@code dir}/{@value #FILE} (created with its header when missing;
     * rewritten atomically, so an interrupted write leaves the previous rows).
     */
    public void append(Path dir, Instant timestamp, String gitCommit, String spec) throws IOException {
        Path file = dir.resolve(FILE);
        List<List<String>> rows = new ArrayList<>();
        String old = Files.exists(file) ? Files.readString(file) : "";
        List<String> row = List.of(timestamp.toString(), gitCommit, spec, Integer.toString(cells), num(seconds(Part.PRETEXT)),
                num(seconds(Part.DOWNSTREAM)), num(seconds(Part.EVALUATION)), num(seconds(Part.IO)), num(other()), num(total()));
        rows.add(row);
        String rendered = CsvTable.render(COLUMNS, rows);
        if (old.isEmpty()) {
            AtomicFiles.writeString(file, rendered);
        } else {
            // The new row without the header, after the existing rows.
            String body = rendered.substring(rendered.indexOf('\n') + 1);
            AtomicFiles.writeString(file, old.endsWith("\n") ? old + body : old + "\n" + body);
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
