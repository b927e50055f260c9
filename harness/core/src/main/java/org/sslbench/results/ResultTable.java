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
     * One block per (dataset, backbone, protocol): a line per configuration ({@link #lineLabels}),
     * a column per label count,
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
        board.warnings().forEach(w -> out.println("warning: " + w));
    }

    /** The board's rows by block, in board order (dataset, backbone, protocol). */
    static Map<Block, List<LeaderboardRow>> blocks(Leaderboard board) {
        Map<Block, List<LeaderboardRow>> blocks = new LinkedHashMap<>();
        for (LeaderboardRow r : board.rows()) {
            blocks.computeIfAbsent(Block.of(r), k -> new ArrayList<>()).add(r);
        }
        return blocks;
    }

    /**
     * Header {@code method, n=…} then a line per configuration ({@link #lineLabels}, sorted);
     * {@code -} where a line lacks a label count.
     */
    static List<List<String>> grid(List<LeaderboardRow> rows, Function<LeaderboardRow, String> cell) {
        TreeSet<Integer> labelCounts = new TreeSet<>();
        Map<String, Map<Integer, String>> cells = new TreeMap<>();
        List<String> labels = lineLabels(rows);
        for (int i = 0; i < rows.size(); i++) {
            LeaderboardRow r = rows.get(i);
            labelCounts.add(r.nLabels());
            cells.computeIfAbsent(labels.get(i), k -> new TreeMap<>()).put(r.nLabels(), cell.apply(r));
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

    /**
     * The line label of each of a block's rows (same order): the method; {@code (folds)} for
     * predefined folds; when the block holds several configurations of the method, the params
     * that set this one apart ({@code {temperature=0.5}}); {@code (not current)} for a
     * configuration that is not the current spec's; and when two rows would still share a line
     * and a label count, the config id. So two configurations never share a table cell or a
     * plotted series.
     */
    static List<String> lineLabels(List<LeaderboardRow> rows) {
        Map<String, java.util.Set<String>> paramSets = new TreeMap<>();
        List<String> base = new ArrayList<>();
        for (LeaderboardRow r : rows) {
            String b = r.method() + (r.isFold() ? " (folds)" : "");
            base.add(b);
            paramSets.computeIfAbsent(b, k -> new java.util.TreeSet<>()).add(r.methodParams());
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            LeaderboardRow r = rows.get(i);
            String label = base.get(i);
            java.util.Set<String> sets = paramSets.get(label);
            if (sets.size() > 1) {
                List<String> own = params(r.methodParams());
                List<String> distinct = own.stream()
                        .filter(p -> !sets.stream().allMatch(other -> params(other).contains(p))).toList();
                label += " {" + String.join(";", distinct.isEmpty() ? own : distinct) + "}";
            }
            labels.add(label + (r.isOld() ? " (not current)" : ""));
        }
        Map<String, Long> perCell = new java.util.HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            perCell.merge(labels.get(i) + "\u0000" + rows.get(i).nLabels(), 1L, Long::sum);
        }
        java.util.Set<String> clashing = new java.util.HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            if (perCell.get(labels.get(i) + "\u0000" + rows.get(i).nLabels()) > 1) {
                clashing.add(labels.get(i));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (clashing.contains(labels.get(i))) {
                labels.set(i, labels.get(i) + " [config " + ResultKey.of(rows.get(i)).shortConfig() + "]");
            }
        }
        return labels;
    }

    private static List<String> params(String methodParams) {
        return methodParams.isEmpty() ? List.of() : List.of(methodParams.split(";"));
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
        // A fold cell names its fold: ten cells of one seed must not read as one cell ten times.
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%d/%d] %s %s %s %s n=%d seed=%d%s: ",
                index, total, c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.fold() < 0 ? "" : " fold=" + c.fold()));
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
