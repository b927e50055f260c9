package org.sslbench.results;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The text of report.md: header, the answer ({@link Answer}), provenance, datasets, leaderboard, the
 * details of pretraining vs supervised ({@link SslVersusScratch}), labels worth and ranks, pretext,
 * failures, reference comparisons.
 */
final class ReportMarkdown {
    private static final String NONE = "-";

    private ReportMarkdown() {
    }

    static String render(Report.Inputs in, Plots.Written plots, Instant now) {
        StringBuilder md = new StringBuilder();
        header(md, in, now);
        // The answer first: the first screen decides, the provenance and long tables follow.
        md.append(Answer.markdown(in.cells(), in.board(), in.pretext()));
        provenance(md, in.cells());
        md.append(in.datasets());
        leaderboard(md, in.board(), plots);
        md.append(SslVersusScratch.markdown(in.cells(), in.board()));
        md.append(Answer.rulesMarkdown(in.cells(), in.board()));
        stale(md, in.cells(), in.currentCode());
        pretext(md, in.pretext(), in.pretextLabels(), plots);
        failures(md, in.cells());
        references(md, in.references());
        return md.toString();
    }

    private static void header(StringBuilder md, Report.Inputs in, Instant now) {
        md.append("# ").append(in.spec().name()).append("\n\n");
        if (!in.spec().description().isEmpty()) {
            md.append(in.spec().description()).append("\n\n");
        }
        Map<Status, Long> byStatus = in.cells().stream().collect(Collectors.groupingBy(CellResult::status,
                () -> new EnumMap<>(Status.class), Collectors.counting()));
        md.append("Generated ").append(now.truncatedTo(ChronoUnit.SECONDS))
                .append(" from `cells.csv`: ").append(in.cells().size()).append(" cells");
        byStatus.forEach((s, n) -> md.append(", ").append(n).append(' ').append(s.csv()));
        in.cells().stream().map(c -> c.provenance().timestamp()).min(Comparator.naturalOrder()).ifPresent(first ->
                md.append("; run from ").append(first).append(" to ").append(in.cells().stream()
                        .map(c -> c.provenance().timestamp()).max(Comparator.naturalOrder()).orElseThrow()));
        md.append(".\n\n");
    }

    private static void provenance(StringBuilder md, List<CellResult> cells) {
        md.append("## Provenance\n\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("", "value (cells)"));
        rows.add(List.of("git commit", distinct(cells, Provenance::gitCommit)));
        rows.add(List.of("sslbench", distinct(cells, Provenance::sslbenchVersion)));
        rows.add(List.of("TensorFlow", distinct(cells, Provenance::tfVersion)));
        rows.add(List.of("Java", distinct(cells, Provenance::javaVersion)));
        rows.add(List.of("OS / arch", distinct(cells, p -> p.os() + " / " + p.arch())));
        rows.add(List.of("device / threads", distinct(cells, p -> p.device() + " / " + p.threads())));
        md.append(TextTable.markdown(rows)).append('\n');
    }

    // A resumed run can span commits or machines: every value is listed with its cell count.
    private static String distinct(List<CellResult> cells, Function<Provenance, String> field) {
        Map<String, Long> counts = cells.stream().collect(Collectors.groupingBy(c -> field.apply(c.provenance()),
                LinkedHashMap::new, Collectors.counting()));
        if (counts.size() == 1) {
            return counts.keySet().iterator().next();
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    private static void leaderboard(StringBuilder md, Leaderboard board, Plots.Written plots) {
        md.append("## Leaderboard\n\nTest accuracy %, mean ± std over seeds (over folds for a `(folds)` line); "
                + "best of each label count in bold. One line per configuration: configurations are never pooled."
                + (board.rows().stream().anyMatch(r -> r.nStale() > 0)
                        ? " `(n stale)`: n of the cells averaged were computed by other code (see below)." : "")
                + "\n\n");
        if (board.rows().isEmpty()) {
            md.append("No cells yet.\n\n");
        }
        board.warnings().forEach(w -> md.append("**Warning:** ").append(TextTable.escape(w)).append("\n\n"));
        ResultTable.blocks(board).forEach((block, rows) -> {
            md.append("### ").append(block.title()).append("\n\n");
            md.append(TextTable.markdown(ResultTable.grid(rows, ReportMarkdown::leaderboardCell))).append('\n');
            image(md, "accuracy vs labels, " + block.title(), plots.accuracy().get(block));
        });
    }

    private static String leaderboardCell(LeaderboardRow r) {
        String accuracy = ResultTable.accuracy(r);
        return (r.rank() == 1 ? "**" + accuracy + "**" : accuracy) + ResultTable.failedNote(r);
    }

    private static void pretext(StringBuilder md, List<PretextRun> runs, Map<String, String> labels,
                                Plots.Written plots) {
        md.append("## Pretext\n\n");
        if (runs.isEmpty()) {
            md.append("No pretext runs (only methods without pretext, or every pretext failed).\n\n");
            return;
        }
        Map<DatasetBackbone, List<PretextRun>> byScope = new TreeMap<>();
        runs.forEach(r -> byScope.computeIfAbsent(r.scope(), k -> new ArrayList<>()).add(r));
        byScope.forEach((scope, scopeRuns) -> {
            md.append("### ").append(scope.title()).append("\n\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("method", "seed", "configuration", "pretext hash", "epochs", "final loss", "collapse std", "seconds",
                    "img/s"));
            for (PretextRun r : scopeRuns) {
                String label = labels.getOrDefault(r.hash(), "");
                String prefix = r.method() + " seed " + r.seed();
                // The name without the method and seed the first columns already show.
                String configuration = label.startsWith(prefix) ? label.substring(prefix.length()).strip() : label;
                rows.add(List.of(r.method(), Integer.toString(r.seed()), configuration.isEmpty() ? NONE : configuration,
                        r.hash(), Integer.toString(r.epochs()),
                        format("%.4g", r.finalLoss()), format("%.4f", r.collapseStd()), format("%.1f", r.seconds()),
                        format("%.0f", r.log().meanImagesPerSecond())));
            }
            md.append(TextTable.markdown(rows)).append('\n');
            image(md, "pretext loss, " + scope.title(), plots.loss().get(scope));
            image(md, "collapse monitor, " + scope.title(), plots.collapse().get(scope));
            image(md, "kNN monitor, " + scope.title(), plots.monitor().get(scope));
        });
    }

    /**
     * Cells computed by other code than the code that runs their configuration now (the leaderboard's
     * n_stale), with what changed; omitted when there are none or the current code is unknown.
     */
    private static void stale(StringBuilder md, List<CellResult> cells, java.util.Map<String, CodeIdentity> code) {
        List<CellResult> stale = cells.stream().filter(c -> c.status() == Status.OK && Leaderboard.isStale(c, code))
                .toList();
        if (stale.isEmpty()) {
            return;
        }
        md.append("## Results computed by other code (stale)\n\n").append(stale.size())
                .append(" ok cells were computed by other code than the code that runs their configuration now; they"
                        + " are still averaged and ranked (leaderboard column `n_stale`). Redo them with"
                        + " `sslbench bench --recompute-stale`.\n\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("method", "dataset", "backbone", "protocol", "n_labels", "seed", "fold", "config", "changed"));
        for (CellResult c : stale) {
            rows.add(List.of(c.method(), c.dataset(), c.backbone(), c.protocol(), Integer.toString(c.nLabels()),
                    Integer.toString(c.seed()), c.fold() < 0 ? NONE : Integer.toString(c.fold()),
                    ResultKey.of(c).shortConfig(),
                    String.join("; ", CodeIdentity.of(c).differences(code.get(c.configId())))));
        }
        md.append(TextTable.markdown(rows)).append('\n');
    }

    /**
     * Every cell that did not finish ok, and so is in no mean, rank or verdict: failed, diverged and
     * collapsed (the last with its accuracy, evaluated but not counted, and the RankMe, threshold or
     * early-stop reason in its detail).
     */
    private static void failures(StringBuilder md, List<CellResult> cells) {
        md.append("## Cells left out: failed, diverged, collapsed\n\n");
        List<CellResult> failed = cells.stream().filter(c -> c.status() != Status.OK).toList();
        if (failed.isEmpty()) {
            md.append("None.\n\n");
            return;
        }
        if (failed.stream().anyMatch(c -> c.status() == Status.COLLAPSED)) {
            md.append("A collapsed cell's pretext encoder collapsed: its RankMe on the monitor images is under ")
                    .append(org.sslbench.train.CollapseRule.FRACTION).append(" \u00d7 min(images, dims) and its monitor kNN")
                    .append(" accuracy is no better than the untrained encoder's (or the kNN monitor's early stop fired).")
                    .append(" Its accuracy is measured and shown here, but it enters no mean, rank or verdict.\n\n");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("method", "dataset", "backbone", "protocol", "n_labels", "seed", "fold", "config", "status",
                "test acc %", "detail"));
        for (CellResult c : failed) {
            rows.add(List.of(c.method(), c.dataset(), c.backbone(), c.protocol(), Integer.toString(c.nLabels()),
                    Integer.toString(c.seed()), c.fold() < 0 ? NONE : Integer.toString(c.fold()),
                    ResultKey.of(c).shortConfig(), c.status().csv(), format("%.2f", 100 * c.testAccuracy()),
                    c.statusDetail()));
        }
        md.append(TextTable.markdown(rows)).append('\n');
    }

    private static void references(StringBuilder md, List<Report.ReferenceComparison> references) {
        for (Report.ReferenceComparison r : references) {
            md.append("## Compared with `").append(r.file().getFileName()).append("`\n\n")
                    .append(ComparisonTable.markdown(r.comparison())).append('\n');
        }
    }

    private static void image(StringBuilder md, String alt, String path) {
        if (path != null) {
            md.append("![").append(alt).append("](").append(path).append(")\n\n");
        }
    }

    private static String format(String pattern, double value) {
        return Double.isNaN(value) ? NONE : String.format(Locale.ROOT, pattern, value);
    }
}
