package org.sslbench.results;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The first screen of report.md and the end of {@code bench}: per dataset × backbone × protocol,
 * the run's answers to "does SSL beat scratch?" ({@link SslVersusScratch#answer}), "how many labels
 * is it worth?" ({@link LabelWorth}), "which method wins?" ({@link MethodRanks}) and "at what
 * cost?" (pretext seconds and img/s, downstream seconds per cell), then across protocols "which
 * protocol uses the labels best?" ({@link ProtocolComparison}) and per dataset × backbone
 * "below the random encoder? why" ({@link BelowRandom}). Every number is the final / selected
 * {@code test_accuracy} of ok cells.
 */
public final class Answer {
    private static final String NONE = "-";

    /** Everything the answers are made of, computed once. */
    record Parts(SslVersusScratch.Judged judged, List<LabelWorth.Row> worth, List<MethodRanks.Group> ranks,
                 SslVersusScratch.Judged floor) {
        static Parts of(List<CellResult> cells, Leaderboard board) {
            return new Parts(SslVersusScratch.judge(cells, board), LabelWorth.rows(cells, board),
                    MethodRanks.groups(cells, board), SslVersusScratch.judge(cells, board, SslVersusScratch.FLOOR));
        }
    }

    private Answer() {
    }

    // ---- report.md ----

    /** The "Answer" section of report.md; a line saying there is nothing to answer yet for no cells. */
    static String markdown(List<CellResult> cells, Leaderboard board, List<PretextRun> pretext) {
        Parts parts = Parts.of(cells, board);
        StringBuilder md = new StringBuilder("## Answer\n\n");
        if (board.rows().isEmpty()) {
            return md.append("No cells yet.\n\n").toString();
        }
        md.append("Final (selected) test accuracy of ok cells, per dataset / backbone / protocol. Δ: method − `")
                .append(SslVersusScratch.BASELINE).append("` in points with its 95 % paired t interval over seeds;"
                        + " \"too few seeds\" when 1 seed, or 2 whose interval includes 0. Labels worth: the `"
                        + SslVersusScratch.BASELINE + "` label count whose accuracy the method reaches (isotonic fit of"
                        + " the supervised means, interpolated on log n) [95 % bootstrap interval]. Rank: mean rank"
                        + " over common seeds (1 = best) · P(win) over " + MethodRanks.RESAMPLES
                        + " bootstrap resamples of the seeds. Rules and tables further down; numbers in `"
                        + SslVersusScratch.FILE_NAME + "`, `" + LabelWorth.FILE_NAME + "`, `" + MethodRanks.RANKS_FILE
                        + "`, `" + MethodRanks.PAIRWISE_FILE + "`, `" + ProtocolComparison.FILE_NAME + "`, `"
                        + BelowRandom.FILE_NAME + "`.\n\n");
        Map<ResultKey, List<SslVersusScratch.Pairing>> pairings = new LinkedHashMap<>();
        parts.judged().pairings().forEach(p -> pairings.computeIfAbsent(ResultKey.of(p.row()), k -> new ArrayList<>())
                .add(p));
        Map<ResultKey, List<SslVersusScratch.Pairing>> floor = new LinkedHashMap<>();
        parts.floor().pairings().forEach(p -> floor.computeIfAbsent(ResultKey.of(p.row()), k -> new ArrayList<>()).add(p));
        Map<ResultKey, List<LabelWorth.Row>> worth = new LinkedHashMap<>();
        parts.worth().forEach(w -> worth.computeIfAbsent(key(w), k -> new ArrayList<>()).add(w));
        Map<ResultKey, MethodRanks.Ranked> ranked = new LinkedHashMap<>();
        parts.ranks().forEach(g -> g.ranked().forEach(r -> ranked.put(ResultKey.of(r.row()), r)));
        ResultTable.blocks(board).forEach((block, rows) -> {
            md.append("### ").append(block.title()).append("\n\n");
            // The answer is the current spec's: configurations of earlier runs stay in the leaderboard.
            List<LeaderboardRow> current = rows.stream().filter(r -> !r.isOld()).toList();
            List<LeaderboardRow> methods = current.stream().filter(r -> pairings.containsKey(ResultKey.of(r))).toList();
            md.append("**Does SSL beat scratch?** ");
            if (!org.sslbench.evaluate.Protocols.trainsEncoder(block.protocol())) {
                // the probe and kNN train no encoder: "scratch" is the frozen random initialisation;
                // finetune, supcon and fixmatch train it, so scratch is the same training from random init
                md.append("(here `").append(SslVersusScratch.BASELINE).append("` is the frozen, randomly initialised"
                        + " encoder: ").append(block.protocol()).append(" trains no encoder) ");
            }
            if (methods.isEmpty()) {
                md.append("No method has a comparable `").append(SslVersusScratch.BASELINE)
                        .append("` row here.\n\n");
            } else {
                md.append("Δ [95 % paired t interval] answer (seeds paired):\n\n");
                md.append(TextTable.markdown(ResultTable.grid(methods, r -> joined(pairings.get(ResultKey.of(r)),
                        p -> sslCell(p.fin()))))).append('\n');
                md.append("**How many labels is it worth?** `").append(SslVersusScratch.BASELINE)
                        .append("` labels that reach the method's mean accuracy [95 % bootstrap interval over seeds: with"
                                + " under 5 seeds it understates the uncertainty; the Δ interval above decides]:\n\n");
                md.append(TextTable.markdown(ResultTable.grid(methods, r -> joined(worth.get(ResultKey.of(r)),
                        LabelWorth::text)))).append('\n');
            }
            List<LeaderboardRow> aboveFloor = current.stream().filter(r -> floor.containsKey(ResultKey.of(r))).toList();
            if (!aboveFloor.isEmpty()) {
                md.append("**Does it beat the pixels floor?** Δ vs `").append(SslVersusScratch.FLOOR)
                        .append("` (the same probe on the raw normalised pixels) [95 % paired t interval] answer:\n\n");
                md.append(TextTable.markdown(ResultTable.grid(aboveFloor, r -> joined(floor.get(ResultKey.of(r)),
                        p -> sslCell(p.fin()))))).append('\n');
            }
            List<LeaderboardRow> competing = current.stream().filter(r -> ranked.containsKey(ResultKey.of(r))).toList();
            md.append("**Which method wins?** ");
            if (competing.isEmpty()) {
                md.append("No label count has a seed common to all its methods.\n\n");
            } else {
                md.append("Mean rank · P(win) (the share of seed resamples a method wins: with few seeds, under"
                        + " 5, it overstates certainty; the Holm-corrected tests below decide):\n\n");
                md.append(TextTable.markdown(ResultTable.grid(competing, r -> rankCell(ranked.get(ResultKey.of(r))))))
                        .append('\n');
                for (MethodRanks.Group g : parts.ranks()) {
                    if (g.block().equals(block)) {
                        md.append("- ").append(pairwiseLine(g)).append('\n');
                    }
                }
                md.append('\n');
            }
            List<String> leftOut = current.stream().filter(r -> r.nSeeds() == 0).map(LeaderboardRow::method).distinct().toList();
            if (!leftOut.isEmpty()) {
                md.append("Left out of the answer (no ok seed: collapsed, diverged or failed; see the cells left out): ")
                        .append(String.join(", ", leftOut)).append(".\n\n");
            }
            md.append("**At what cost?**\n\n").append(TextTable.markdown(cost(current, cells, pretext))).append('\n');
        });
        // Across the protocols of a dataset × backbone: does FixMatch from scratch beat SSL + linear?
        md.append(ProtocolComparison.markdown(ProtocolComparison.groups(cells, board)));
        md.append(BelowRandom.markdown(BelowRandom.findings(cells, board, pretext)));
        return md.toString();
    }

    /**
     * The long part, after the leaderboard: how each answer is computed, each method row's
     * supervised curve (means and isotonic fit) with its label count, and every pairwise test.
     */
    static String rulesMarkdown(List<CellResult> cells, Leaderboard board) {
        if (board.rows().isEmpty()) {
            return "";
        }
        Parts parts = Parts.of(cells, board);
        StringBuilder md = new StringBuilder("## How the answer is computed\n\n");
        md.append("- **Does SSL beat scratch?** Per seed Δ = method − `").append(SslVersusScratch.BASELINE)
                .append("` on the same seed and label subset (see the details section above). Interval: mean Δ ±"
                        + " t(0.975, n−1)·sd(Δ)/√n, Student t (Apache Commons Math). Answer: better / worse when the"
                        + " interval excludes 0 (the paired t-test at 5 %), inconclusive when it includes 0 with ≥ 3"
                        + " seeds, too few seeds with 1 seed or with 2 seeds whose interval includes 0 (1 degree of"
                        + " freedom: t = 12.71), no spread when every seed gives the same Δ.\n");
        md.append("- **How many labels is it worth?** The `").append(SslVersusScratch.BASELINE)
                .append("` configuration paired with the method row, at every label count it ran (mean over ok"
                        + " seeds), made non-decreasing by isotonic regression (pool-adjacent-violators, weighted by"
                        + " seeds), then interpolated piecewise-linearly on log(n): the smallest n whose fitted"
                        + " accuracy reaches the method's mean. Above the fitted curve's top: `> n_max`, below its"
                        + " bottom: `< n_min` (beyond the measured range, never extrapolated). Interval: 95 %"
                        + " percentile bootstrap, " + LabelWorth.RESAMPLES + " resamples of each row's seeds"
                        + " (fixed RNG seed " + LabelWorth.RNG_SEED + "), only when every row has ≥ 2 seeds.\n");
        md.append("- **Which method wins?** Per label count, the current configurations with ok cells, on the seeds"
                + " every one of them has (a configuration missing a seed removes it for all; left-out seeds are"
                + " listed). Rank within each seed (1 = best, ties share the mean rank), averaged over seeds. P(win):"
                + " share of " + MethodRanks.RESAMPLES + " bootstrap resamples of the seeds (paired: one draw for all"
                + " methods; fixed RNG seed " + MethodRanks.RNG_SEED + ") in which the configuration has the highest"
                + " mean (ties share). Pairwise: paired t-test over the seeds (Apache Commons Math), p-values"
                + " Holm-adjusted over the label count's pairs, significant at adjusted p < " + MethodRanks.ALPHA
                + ". With one seed the ranks are that seed's and nothing is tested.\n");
        md.append("- **Which protocol uses the labels best?** Where a dataset × backbone ran ≥ 2 protocols, per label"
                + " count: each protocol's best SSL configuration, best `" + SslVersusScratch.BASELINE + "` (from"
                + " scratch when the protocol trains the encoder, else the frozen random encoder) and best `"
                + SslVersusScratch.FLOOR + "` (current configurations, ok cells). Δ = row − best (highest mean), per"
                + " seed on the same label subset, with the 95 % paired t interval and answer as for \"does SSL beat"
                + " scratch\" (too few seeds with < 2 pairs).\n");
        md.append("- **Below the random encoder? why** For knn and linear, where `").append(SslVersusScratch.BASELINE)
                .append("` is the frozen random encoder: each SSL configuration at the block's largest label count is"
                        + " above when its Δ answer is better (interval entirely above 0); otherwise, in this order:"
                        + " above in every seed (every paired seed above, too few seeds for the interval),"
                        + " collapsed (most seeds' cells collapsed, or no ok cell and a collapse), failed (no ok cell),"
                        + " no curve (no seed's kNN monitor measured ≥ 2 epochs: monitor off, or 1 epoch), budget too small (in most seeds"
                        + " the monitor kNN curve is still rising: least-squares slope over the last max(2, ⌈k/2⌉) of"
                        + " its k measurements > " + BelowRandom.RISE_SLOPE + " pt/epoch and the last measurement ≥ "
                        + BelowRandom.RISE_MARGIN + " pt above the best one before them), else not explained (defaults,"
                        + " budget or a fault). Evidence from `pretext/<hash>.log.csv` and the checkpoint's metadata;"
                        + " numbers in `" + BelowRandom.FILE_NAME + "`.\n");
        md.append("- **At what cost?** Pretext seconds per pretext run (`pretext_seconds`; a reused checkpoint"
                + " counts once) and mean img/s over its epochs (`pretext/<hash>.log.csv`); downstream seconds"
                + " per ok cell (`wall_seconds`).\n\n");
        if (!parts.worth().isEmpty()) {
            md.append("### Labels worth: the supervised curves\n\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("dataset / backbone / protocol", "method", "n", "method acc %", "supervised n",
                    "supervised mean %", "isotonic fit %", "worth"));
            for (LabelWorth.Row w : parts.worth()) {
                rows.add(List.of(w.dataset() + " / " + w.backbone() + " / " + w.protocol(), w.method(),
                        Integer.toString(w.nLabels()), String.format(Locale.ROOT, "%.2f", w.meanTestAccuracy()),
                        w.supervisedNLabels().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""),
                        percents(w.supervisedMean()), percents(w.supervisedFit()), LabelWorth.text(w)));
            }
            md.append(TextTable.markdown(rows)).append('\n');
        }
        List<MethodRanks.Group> tested = parts.ranks().stream().filter(g -> !g.pairs().isEmpty()).toList();
        if (!tested.isEmpty()) {
            md.append("### Pairwise comparisons\n\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("dataset / backbone / protocol", "n", "seeds", "a", "b", "mean a − b (pts)", "t", "p",
                    "p (Holm)", "verdict"));
            for (MethodRanks.Group g : tested) {
                for (MethodRanks.Pair p : g.pairs()) {
                    rows.add(List.of(g.block().title(), g.nLabels() + (CellResult.FOLD.equals(g.subsetKind())
                                    ? " (folds)" : ""), Integer.toString(g.units().size()), p.a().label(),
                            p.b().label(), String.format(Locale.ROOT, "%+.2f", p.meanDeltaPoints()),
                            format("%.3f", p.t()), format("%.3g", p.p()), format("%.3g", p.pHolm()), p.verdict()));
                }
            }
            md.append(TextTable.markdown(rows)).append('\n');
        }
        return md.toString();
    }

    private static String percents(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    private static ResultKey key(LabelWorth.Row w) {
        return new ResultKey(w.dataset(), w.backbone(), w.protocol(), w.nLabels(), w.method(), w.subsetKind(),
                w.configId());
    }

    private static <T> String joined(List<T> items, Function<T, String> text) {
        return items == null ? NONE : String.join(" / ", items.stream().map(text).toList());
    }

    /** {@code +1.97 [-1.68, +5.63] inconclusive (3)}; {@code +5.00 too few seeds (1)}. */
    static String sslCell(SslVersusScratch.Row r) {
        if (r.nPairs() == 0) {
            return r.answer();
        }
        String interval = Double.isNaN(r.ciLow()) ? ""
                : String.format(Locale.ROOT, " [%+.2f, %+.2f]", r.ciLow(), r.ciHigh());
        return String.format(Locale.ROOT, "%+.2f", r.meanDeltaPoints()) + interval + " " + r.answer()
                + " (" + r.nPairs() + ")";
    }

    /** {@code 1.33 · 0.71}; {@code 1 (1 seed)}; bold rank for the best mean rank of the label count. */
    static String rankCell(MethodRanks.Ranked r) {
        if (Double.isNaN(r.winProbability())) {
            return String.format(Locale.ROOT, "%.2f (1 seed)", r.meanRank());
        }
        return String.format(Locale.ROOT, "%.2f · %.2f", r.meanRank(), r.winProbability());
    }

    /**
     * One label count's pairwise verdicts: the significant pairs named, the others counted, e.g.
     * {@code n=100 (3 seeds): rotation > supervised (+4.1 pts, p_holm 0.012); 2 other pairs: no significant difference}.
     */
    static String pairwiseLine(MethodRanks.Group g) {
        String head = "n=" + g.nLabels() + (CellResult.FOLD.equals(g.subsetKind()) ? " (folds)" : "") + " ("
                + g.units().size() + (g.units().size() == 1 ? " seed" : " seeds")
                + (g.leftOut().isEmpty() ? "" : "; left out, not on every method: " + String.join(", ", g.leftOut()))
                + "): ";
        if (g.ranked().isEmpty()) {
            return head + "no seed common to all methods, not ranked";
        }
        if (g.ranked().size() == 1) {
            return head + "one method, nothing to compare";
        }
        if (g.units().size() < 2) {
            return head + "ranks are from a single seed; no resampling or test is possible";
        }
        List<String> significant = new ArrayList<>();
        int spreadless = 0;
        int other = 0;
        for (MethodRanks.Pair p : g.pairs()) {
            if (p.verdict().equals("no spread")) {
                spreadless++;
            } else if (p.verdict().endsWith("better")) {
                boolean aWins = p.verdict().equals("a better");
                significant.add((aWins ? p.a() : p.b()).label() + " > " + (aWins ? p.b() : p.a()).label()
                        + String.format(Locale.ROOT, " (%+.2f pts, p_holm %.3g)", Math.abs(p.meanDeltaPoints()),
                        p.pHolm()));
            } else {
                other++;
            }
        }
        List<String> parts = new ArrayList<>(significant);
        if (other > 0) {
            parts.add(significant.isEmpty() ? (other == 1 ? "no significant difference"
                    : "no significant difference in any of the " + other + " pairs")
                    : other + (other == 1 ? " other pair" : " other pairs") + ": no significant difference");
        }
        if (spreadless > 0) {
            parts.add(spreadless + (spreadless == 1 ? " pair" : " pairs") + " with the same Δ on every seed: not tested");
        }
        return head + String.join("; ", parts);
    }

    /**
     * One line per configuration of the block: pretext runs, their mean seconds and img/s (from the
     * pretext logs), then mean downstream seconds per ok cell at each label count.
     */
    static List<List<String>> cost(List<LeaderboardRow> rows, List<CellResult> cells, List<PretextRun> pretext) {
        Map<ResultKey, List<CellResult>> byKey = Leaderboard.groups(cells, new ArrayList<>());
        Map<String, PretextRun> runs = new LinkedHashMap<>();
        pretext.forEach(r -> runs.put(r.hash(), r));
        List<String> labels = ResultTable.lineLabels(rows);
        Map<String, Set<String>> hashes = new java.util.TreeMap<>();
        Map<String, Map<Integer, List<Double>>> downstream = new java.util.TreeMap<>();
        TreeSet<Integer> counts = new TreeSet<>();
        for (int i = 0; i < rows.size(); i++) {
            LeaderboardRow r = rows.get(i);
            counts.add(r.nLabels());
            Set<String> h = hashes.computeIfAbsent(labels.get(i), k -> new LinkedHashSet<>());
            Map<Integer, List<Double>> d = downstream.computeIfAbsent(labels.get(i), k -> new java.util.TreeMap<>());
            for (CellResult c : byKey.getOrDefault(ResultKey.of(r), List.of())) {
                if (c.pretextEpochs() > 0 && runs.containsKey(c.pretextHash())) {
                    h.add(c.pretextHash());
                }
                if (c.status() == Status.OK && !Double.isNaN(c.wallSeconds())) {
                    d.computeIfAbsent(r.nLabels(), k -> new ArrayList<>()).add(c.wallSeconds());
                }
            }
        }
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("method", "pretext runs", "pretext s (mean)", "pretext img/s"));
        counts.forEach(n -> header.add("downstream s/cell n=" + n));
        table.add(header);
        hashes.forEach((label, h) -> {
            List<String> line = new ArrayList<>(List.of(label, Integer.toString(h.size())));
            double[] seconds = h.stream().mapToDouble(x -> runs.get(x).seconds()).filter(v -> !Double.isNaN(v))
                    .toArray();
            double[] speed = h.stream().mapToDouble(x -> runs.get(x).log().meanImagesPerSecond())
                    .filter(v -> !Double.isNaN(v)).toArray();
            line.add(format("%.1f", Stats.mean(seconds)));
            line.add(format("%.0f", Stats.mean(speed)));
            counts.forEach(n -> line.add(format("%.1f", Stats.mean(downstream.get(label).getOrDefault(n, List.of())
                    .stream().mapToDouble(Double::doubleValue).toArray()))));
            table.add(line);
        });
        return table;
    }

    private static String format(String pattern, double value) {
        return Double.isNaN(value) ? NONE : String.format(Locale.ROOT, pattern, value);
    }

    // ---- console ----

    /**
     * The short answer at the end of {@code bench}: per block, one line per method configuration ×
     * label count against {@code supervised} (Δ, interval, answer, labels worth), the winner of each
     * label count by mean rank with its P(win), and each method's pretext cost; then one line per SSL
     * method not above the random encoder with its {@link BelowRandom} diagnosis (or one line saying
     * all are); nothing without cells.
     *
     * @param dir the results directory: its pretext logs give the pretext img/s (a log that cannot be
     *            read is a warning line, never a failed run)
     */
    public static void print(List<CellResult> cells, Leaderboard board, Path dir, PrintStream out) {
        if (board.rows().isEmpty()) {
            return;
        }
        List<PretextRun> pretext;
        try {
            pretext = PretextRun.of(cells, dir.resolve("pretext"));
        } catch (IOException | RuntimeException e) {
            // The cost lines lose img/s; the run's results are safe and its answer still printed.
            out.println("warning: pretext logs not read (" + e.getMessage() + "); img/s not shown");
            pretext = List.of();
        }
        print(cells, board, pretext, out);
    }

    /** {@link #print(List, Leaderboard, Path, PrintStream)} with the pretext runs already read. */
    static void print(List<CellResult> cells, Leaderboard board, List<PretextRun> pretext, PrintStream out) {
        if (board.rows().isEmpty()) {
            return;
        }
        Parts parts = Parts.of(cells, board);
        Map<ResultKey, String> labels = new LinkedHashMap<>();
        ResultTable.blocks(board).forEach((block, rows) -> {
            List<String> names = ResultTable.lineLabels(rows);
            for (int i = 0; i < rows.size(); i++) {
                labels.put(ResultKey.of(rows.get(i)), names.get(i));
            }
        });
        Map<ResultKey, List<SslVersusScratch.Pairing>> floor = new LinkedHashMap<>();
        parts.floor().pairings().forEach(p -> floor.computeIfAbsent(ResultKey.of(p.row()), k -> new ArrayList<>()).add(p));
        Map<ResultKey, List<LabelWorth.Row>> worth = new LinkedHashMap<>();
        parts.worth().forEach(w -> worth.computeIfAbsent(key(w), k -> new ArrayList<>()).add(w));
        out.println();
        out.println("answer (test accuracy, ok cells; Δ vs " + SslVersusScratch.BASELINE
                + " in points [95 % paired t interval]; labels worth: " + SslVersusScratch.BASELINE
                + " labels reaching the same accuracy; report.md has the rules):");
        ResultTable.blocks(board).forEach((block, rows) -> {
            out.println("  " + block.title() + ":");
            for (SslVersusScratch.Pairing p : parts.judged().pairings()) {
                LeaderboardRow r = p.row();
                if (!ResultTable.Block.of(r).equals(block)) {
                    continue;
                }
                List<LabelWorth.Row> w = worth.get(ResultKey.of(r));
                out.println("    " + labels.get(ResultKey.of(r)) + " n=" + r.nLabels() + ": Δ " + sslCell(p.fin())
                        + (w == null ? "" : "; worth " + joined(w, LabelWorth::text) + " " + SslVersusScratch.BASELINE
                        + " labels"));
            }
            for (MethodRanks.Group g : parts.ranks()) {
                if (!g.block().equals(block) || g.ranked().size() < 2) {
                    continue;
                }
                MethodRanks.Ranked best = g.ranked().stream()
                        .min(java.util.Comparator.comparingDouble(MethodRanks.Ranked::meanRank)).orElseThrow();
                out.println("    n=" + g.nLabels() + " best mean rank: " + best.label() + " " + rankCell(best)
                        + (g.units().size() < 2 ? "" : "; " + pairwiseLine(g).substring(pairwiseLine(g).indexOf(": ") + 2)));
            }
            List<List<String>> cost = cost(rows, cells, pretext);
            for (List<String> line : cost.subList(1, cost.size())) {
                if (!line.get(1).equals("0")) {
                    out.println("    cost " + line.get(0) + ": pretext " + line.get(2) + " s, " + line.get(3) + " img/s");
                }
            }
        });
        ProtocolComparison.consoleLines(ProtocolComparison.groups(cells, board)).forEach(l -> out.println("  " + l));
        // knn / linear: each SSL method above the frozen random encoder, or why not (report.md has the evidence)
        BelowRandom.consoleLines(BelowRandom.findings(cells, board, pretext)).forEach(l -> out.println("  " + l));
    }
}
