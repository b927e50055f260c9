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
     * (all of them on a tie) and failed/diverged/collapsed seeds are noted, so they are not invisible.
     */
    public static void print(Leaderboard board, PrintStream out) {
        boolean first = true;
        for (Map.Entry<Block, List<LeaderboardRow>> block : blocks(board).entrySet()) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println(block.getKey().title() + ": test accuracy %, mean ± std over seeds, * = best"
                    + (block.getValue().stream().anyMatch(r -> r.nStale() > 0)
                            ? ", stale = computed by other code (bench --recompute-stale)" : ""));
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
     * The line label of each of a block's rows (same order): the method; {@code (pretext: stl10)} when
     * it pretrained on another dataset's pool; {@code (folds)} for
     * predefined folds; when the block holds several configurations of the method, the settings
     * that set this one apart from the others ({@code {temperature=0.1}} for a method param,
     * {@code {knn temperature 0.07}}, {@code {pretext epochs 2}}, see {@link ConfigNames});
     * {@code (not current)} for a configuration that is not the current spec's; and when two
     * configurations would still share a label (nothing known tells them apart), the short
     * series id ({@code [config 1a2b3c4d]}). A configuration is one series ({@link
     * LeaderboardRow#seriesId()}) over all its label counts, so it is one line and one curve, and
     * two configurations never share a table cell or a plotted series.
     */
    static List<String> lineLabels(List<LeaderboardRow> rows) {
        List<String> base = new ArrayList<>();
        Map<String, Map<String, String>> seriesByBase = new LinkedHashMap<>();
        for (LeaderboardRow r : rows) {
            String b = r.method() + (r.pretextDataset().isEmpty() ? "" : " (pretext: " + r.pretextDataset() + ")")
                    + (r.isFold() ? " (folds)" : "");
            base.add(b);
            seriesByBase.computeIfAbsent(b, k -> new LinkedHashMap<>()).putIfAbsent(series(r), r.settings());
        }
        Map<String, String> nameOfSeries = new java.util.HashMap<>();
        seriesByBase.forEach((b, series) -> {
            if (series.size() < 2) {
                return;
            }
            List<String> ids = new ArrayList<>(series.keySet());
            List<String> names = ConfigNames.distinguishing(new ArrayList<>(series.values()),
                    rows.get(0).protocol(), ConfigNames::notPerLabelCount);
            for (int i = 0; i < ids.size(); i++) {
                nameOfSeries.put(b + "\u0000" + ids.get(i), names.get(i));
            }
        });
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            LeaderboardRow r = rows.get(i);
            String name = nameOfSeries.getOrDefault(base.get(i) + "\u0000" + series(r), "");
            labels.add(base.get(i) + (name.isEmpty() ? "" : " {" + name + "}") + (r.isOld() ? " (not current)" : ""));
        }
        // Two series that nothing known tells apart: named by their series id.
        Map<String, java.util.Set<String>> seriesOfLabel = new java.util.HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            seriesOfLabel.computeIfAbsent(labels.get(i), k -> new java.util.HashSet<>()).add(series(rows.get(i)));
        }
        for (int i = 0; i < rows.size(); i++) {
            if (seriesOfLabel.get(labels.get(i)).size() > 1) {
                labels.set(i, labels.get(i) + " [config " + shortId(series(rows.get(i))) + "]");
            }
        }
        // Last resort (one series holding a label count twice, e.g. legacy rows split in file
        // order): the config id, so no table cell holds two rows.
        Map<String, Long> perCell = new java.util.HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            perCell.merge(labels.get(i) + "\u0000" + rows.get(i).nLabels(), 1L, Long::sum);
        }
        List<String> out = new ArrayList<>(labels);
        for (int i = 0; i < rows.size(); i++) {
            if (perCell.get(labels.get(i) + "\u0000" + rows.get(i).nLabels()) > 1) {
                out.set(i, labels.get(i) + " [config " + ResultKey.of(rows.get(i)).shortConfig() + "]");
            }
        }
        return out;
    }

    // A row read from a leaderboard.csv without series_id is its own series.
    private static String series(LeaderboardRow r) {
        return r.seriesId().isEmpty() ? r.configId() : r.seriesId();
    }

    /** 8 hex digits of an id, as report tables show config ids; a {@code legacy-…} id whole. */
    static String shortId(String id) {
        return id.startsWith("legacy-") || id.length() <= 8 ? id : id.substring(0, 8);
    }

    static String cell(LeaderboardRow r) {
        return accuracy(r) + (r.rank() == 1 ? " *" : "") + failedNote(r);
    }

    /** {@code 71.23 ± 0.52} (percent), or {@code no ok seed}. */
    static String accuracy(LeaderboardRow r) {
        return r.nSeeds() == 0 ? "no ok seed"
                : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * r.meanTestAccuracy(), 100 * r.stdTestAccuracy());
    }

    /**
     * What a mean hides: {@code (2 not ok)} for diverged/collapsed/failed seeds (counted, not averaged) and
     * {@code (1 stale)} for ok cells computed by other code than runs the configuration now
     * (averaged and ranked, but not what the current code would give; README, "Results computed
     * by other code"); empty when neither.
     */
    static String failedNote(LeaderboardRow r) {
        List<String> notes = new java.util.ArrayList<>();
        if (r.nFailed() > 0) {
            notes.add(r.nFailed() + " not ok"); // failed, diverged or collapsed: report.md lists which
        }
        if (r.nStale() > 0) {
            notes.add(r.nStale() + " stale");
        }
        return notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")";
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
            case COLLAPSED -> sb.append(String.format(Locale.ROOT, "COLLAPSED acc %.2f%% (not ranked)", 100 * c.testAccuracy()));
            case DIVERGED -> sb.append("DIVERGED");
            case FAILED -> sb.append("FAILED");
        }
        if (c.status() == Status.OK && !Double.isNaN(c.testLoss())) {
            // %.4g beyond 1000 (or for a non-finite loss): a blown-up loss reads 2.806e+25, not 26 digits.
            sb.append(Math.abs(c.testLoss()) < 1000 ? String.format(Locale.ROOT, " loss %.3f", c.testLoss())
                    : String.format(Locale.ROOT, " loss %.4g", c.testLoss()));
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
