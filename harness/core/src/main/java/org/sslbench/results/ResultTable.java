package org.sslbench.results;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Human-readable views of results: the leaderboard as text tables, and the per-cell log line. */
public final class ResultTable {
    private static final String MISSING = "-";

    private ResultTable() {
    }

    /** The leaderboard's rows of one (dataset, backbone, protocol): one table of the text and Markdown views. */
    public record Block(String dataset, String backbone, String protocol) {
        static Block of(LeaderboardRow r) {
            return new Block(r.dataset(), r.backbone(), r.protocol());
        }

        public String title() {
            return dataset + " / " + backbone + " / " + protocol;
        }
    }

    /**
     * One block per (dataset, backbone, protocol): a row per method, a column per label count,
     * cells {@code mean ± std} test accuracy in percent; {@code *} marks rank 1 of the column
     * (all of them on a tie) and failed/diverged seeds are noted, so they are not invisible.
     */
    public static void print(Leaderboard board, PrintStream out) {
        boolean first = true;
        for (Map.Entry<Block, List<LeaderboardRow>> block : blocks(board).entrySet()) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println(block.getKey().title() + ": test accuracy %, mean ± std over seeds, * = best");
            out.print(TextTable.aligned(grid(block.getValue(), ResultTable::cell)));
        }
    }

    /** The board's rows by block, in board order (dataset, backbone, protocol). */
    static Map<Block, List<LeaderboardRow>> blocks(Leaderboard board) {
        Map<Block, List<LeaderboardRow>> blocks = new LinkedHashMap<>();
        for (LeaderboardRow r : board.rows()) {
            blocks.computeIfAbsent(Block.of(r), k -> new ArrayList<>()).add(r);
        }
        return blocks;
    }

    /** Header {@code method, n=…} then a row per method (sorted); {@code -} where a method lacks a label count. */
    static List<List<String>> grid(List<LeaderboardRow> rows, Function<LeaderboardRow, String> cell) {
        TreeSet<Integer> labelCounts = new TreeSet<>();
        Map<String, Map<Integer, String>> cells = new TreeMap<>();
        for (LeaderboardRow r : rows) {
            labelCounts.add(r.nLabels());
            cells.computeIfAbsent(r.method(), k -> new TreeMap<>()).put(r.nLabels(), cell.apply(r));
        }
        List<List<String>> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("method"));
        labelCounts.forEach(n -> header.add("n=" + n));
        lines.add(header);
        cells.forEach((method, byCount) -> {
            List<String> line = new ArrayList<>(List.of(method));
            labelCounts.forEach(n -> line.add(byCount.getOrDefault(n, MISSING)));
            lines.add(line);
        });
        return lines;
    }

    static String cell(LeaderboardRow r) {
        return accuracy(r) + (r.rank() == 1 ? " *" : "") + failedNote(r);
    }

    /** {@code 71.23 ± 0.52} (percent), or {@code no ok seed}. */
    static String accuracy(LeaderboardRow r) {
        return r.nSeeds() == 0 ? "no ok seed"
                : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * r.meanTestAccuracy(), 100 * r.stdTestAccuracy());
    }

    static String failedNote(LeaderboardRow r) {
        return r.nFailed() > 0 ? " (" + r.nFailed() + " failed)" : "";
    }

    /**
     * The run-log line for a finished cell, e.g.
     * {@code [12/48] rotation fashion-mnist-embedded small-cnn finetune n=100 seed=0: acc 71.23% loss 0.812 (pretext reused) 34.2s}.
     * Values that are NaN (e.g. the loss of knn) are left out.
     *
     * @param index 1-based position of the cell in the run
     */
    public static String summary(int index, int total, CellResult c, boolean pretextReused) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%d/%d] %s %s %s %s n=%d seed=%d: ",
                index, total, c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed()));
        switch (c.status()) {
            case OK -> sb.append(String.format(Locale.ROOT, "acc %.2f%%", 100 * c.testAccuracy()));
            case DIVERGED -> sb.append("DIVERGED");
            case FAILED -> sb.append("FAILED");
        }
        if (c.status() == Status.OK && !Double.isNaN(c.testLoss())) {
            sb.append(String.format(Locale.ROOT, " loss %.3f", c.testLoss()));
        }
        if (c.status() != Status.OK && !c.statusDetail().isEmpty()) {
            sb.append(" (").append(firstLine(c.statusDetail())).append(')');
        }
        if (pretextReused) {
            sb.append(" (pretext reused)");
        }
        if (!Double.isNaN(c.wallSeconds())) {
            sb.append(String.format(Locale.ROOT, " %.1fs", c.wallSeconds()));
        }
        return sb.toString();
    }

    // A log line must stay one line even when the detail is a multi-line exception message.
    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).stripTrailing() + " ...";
    }
}
