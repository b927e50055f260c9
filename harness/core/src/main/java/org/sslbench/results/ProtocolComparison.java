package org.sslbench.results;

import static org.sslbench.results.CsvValues.number;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sslbench.evaluate.Protocols;

/**
 * "Which protocol uses the labels best?": per dataset × backbone × label count × subset kind, the
 * protocols' results side by side, so "FixMatch from scratch" (the {@value SslVersusScratch#BASELINE}
 * row of fixmatch) meets "SSL + fine-tune" and "SSL + linear probe" in one table.
 *
 * <p><b>Entries.</b> Among the current configurations with ok cells (collapsed, diverged and failed
 * cells never count; a configuration with none is left out, as everywhere in the Answer), per
 * protocol: the best SSL configuration (highest mean test accuracy; any method but
 * {@value SslVersusScratch#BASELINE} and {@value SslVersusScratch#FLOOR}), the best
 * {@value SslVersusScratch#BASELINE} configuration (trained from scratch by an encoder-training
 * protocol — finetune, supcon, fixmatch —, a frozen random encoder under linear and knn) and the best
 * {@value SslVersusScratch#FLOOR} configuration. Computed only where the dataset × backbone ran at
 * least two protocols; a single-protocol run has no table (its per-protocol answer says it all).
 *
 * <p><b>Statistics</b> (percentage points): the best entry (highest mean) against each other, paired
 * as {@link SslVersusScratch} pairs (same seed, or seed × fold, and the same label-subset fingerprint:
 * the subset depends on dataset, seed and n only, so it is shared across protocols): Δ = other −
 * best, its 95 % interval mean Δ ± t(0.975, n−1)·sd(Δ)/√n (Student t, Apache Commons Math;
 * the same code as {@link SslVersusScratch}'s Δ column) and the answer read from it ({@link SslVersusScratch.Row#answer}:
 * worse / better when the interval excludes 0, "too few seeds" with fewer than 2 pairs or 2 pairs
 * whose interval includes 0).
 */
public final class ProtocolComparison {
    /** File name of the CSV beside report.md. */
    public static final String FILE_NAME = "protocol-comparison.csv";

    /** protocol-comparison.csv header, in file order. */
    public static final List<String> COLUMNS = List.of("dataset", "backbone", "n_labels", "subset_kind", "protocol",
            "method", "role", "config_id", "n_seeds", "mean_test_accuracy", "best", "n_pairs", "mean_delta_points",
            "ci_low", "ci_high", "answer");

    /** What an entry stands for. */
    public enum Role {
        /** The protocol's best SSL configuration (pretext encoder). */
        SSL("ssl", "best SSL"),
        /** {@code supervised} under an encoder-training protocol: the same training from random init. */
        SCRATCH("from_scratch", "from scratch"),
        /** {@code supervised} under linear / knn: the frozen, randomly initialised encoder. */
        RANDOM_ENCODER("frozen_random_encoder", "frozen random encoder"),
        /** {@code pixels}: the probe on the raw normalised pixels. */
        PIXELS("pixels", "raw pixels");

        private final String csv;
        private final String text;

        Role(String csv, String text) {
            this.csv = csv;
            this.text = text;
        }

        /** The {@code role} value in protocol-comparison.csv. */
        public String csv() {
            return csv;
        }

        /** How the report names the role after the protocol, e.g. {@code (from scratch)}. */
        public String text() {
            return text;
        }

        static Role of(LeaderboardRow r) {
            if (SslVersusScratch.FLOOR.equals(r.method())) {
                return PIXELS;
            }
            if (SslVersusScratch.BASELINE.equals(r.method())) {
                return Protocols.trainsEncoder(r.protocol()) ? SCRATCH : RANDOM_ENCODER;
            }
            return SSL;
        }
    }

    /**
     * One (method, protocol) combination of a label count.
     *
     * @param label     the configuration as the leaderboard names it, e.g. {@code simclr {temperature=0.1}}
     * @param mean      mean test accuracy over ok seeds, percent
     * @param vsBest    this − best over the paired seeds (points, 95 % t interval); null for the best entry
     */
    public record Entry(LeaderboardRow row, Role role, String label, double mean, SslVersusScratch.Row vsBest) {
        public Entry {
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(role, "role");
        }

        /** Whether this is the group's best entry (no Δ). */
        public boolean isBest() {
            return vsBest == null;
        }

        /** {@code simclr + linear}, {@code supervised + fixmatch (from scratch)}. */
        public String name() {
            return label + " + " + row.protocol() + (role == Role.SSL ? "" : " (" + role.text() + ")");
        }
    }

    /** The entries of one dataset × backbone × label count × subset kind, best first, then by mean. */
    public record Group(String dataset, String backbone, int nLabels, String subsetKind, List<Entry> entries) {
        /** The entry with the highest mean: what the others' Δ is measured against. */
        public Entry best() {
            return entries.get(0);
        }

        String title() {
            return dataset + " / " + backbone + " n=" + nLabels + (CellResult.FOLD.equals(subsetKind) ? " (folds)" : "");
        }
    }

    private ProtocolComparison() {
    }

    /** Every group of {@code board} with at least two protocols (see the class comment); empty otherwise. */
    public static List<Group> groups(List<CellResult> cells, Leaderboard board) {
        Map<ResultKey, List<CellResult>> byKey = Leaderboard.groups(cells, new ArrayList<>());
        Map<ResultKey, String> labels = new LinkedHashMap<>();
        ResultTable.blocks(board).forEach((block, rows) -> {
            List<String> names = ResultTable.lineLabels(rows);
            for (int i = 0; i < rows.size(); i++) {
                labels.put(ResultKey.of(rows.get(i)), names.get(i));
            }
        });
        Map<List<String>, List<LeaderboardRow>> scopes = new LinkedHashMap<>();
        for (LeaderboardRow r : board.rows()) {
            if (!r.isOld() && r.nSeeds() > 0 && !Double.isNaN(r.meanTestAccuracy())) {
                scopes.computeIfAbsent(List.of(r.dataset(), r.backbone(), Integer.toString(r.nLabels()), r.subsetKind()),
                        k -> new ArrayList<>()).add(r);
            }
        }
        List<Group> out = new ArrayList<>();
        scopes.forEach((scope, rows) -> {
            if (rows.stream().map(LeaderboardRow::protocol).distinct().count() < 2) {
                return;
            }
            // The best configuration of each protocol × role (ties: the board's order).
            Map<List<Object>, LeaderboardRow> bestOf = new LinkedHashMap<>();
            for (LeaderboardRow r : rows) {
                bestOf.merge(List.of(r.protocol(), Role.of(r)), r,
                        (a, b) -> b.meanTestAccuracy() > a.meanTestAccuracy() ? b : a);
            }
            List<LeaderboardRow> chosen = new ArrayList<>(bestOf.values());
            chosen.sort(Comparator.comparingDouble(LeaderboardRow::meanTestAccuracy).reversed());
            LeaderboardRow best = chosen.get(0);
            List<CellResult> bestCells = byKey.getOrDefault(ResultKey.of(best), List.of());
            List<Entry> entries = new ArrayList<>();
            for (LeaderboardRow r : chosen) {
                SslVersusScratch.Row vs = null;
                if (r != best) {
                    List<CellResult> own = byKey.getOrDefault(ResultKey.of(r), List.of());
                    vs = SslVersusScratch.judge(r, best, SslVersusScratch.pairUnits(own, bestCells).pairs(),
                            Metric.FINAL, CellResult::testAccuracy);
                }
                entries.add(new Entry(r, Role.of(r), labels.getOrDefault(ResultKey.of(r), r.method()),
                        100 * r.meanTestAccuracy(), vs));
            }
            out.add(new Group(scope.get(0), scope.get(1), best.nLabels(), best.subsetKind(), entries));
        });
        return out;
    }

    // ---- views ----

    private static String points(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    /** {@code -29.30 [-40.10, -18.50] worse (3)}; {@code -29.30 too few seeds (1)}; {@code no common seed}. */
    static String deltaText(SslVersusScratch.Row r) {
        if (r.nPairs() == 0) {
            return r.answer();
        }
        String interval = Double.isNaN(r.ciLow()) ? "" : " [" + signed(r.ciLow()) + ", " + signed(r.ciHigh()) + "]";
        return signed(r.meanDeltaPoints()) + interval + " " + r.answer() + " (" + r.nPairs() + ")";
    }

    /**
     * The one-line verdict: the best combination, then each from-scratch row of an encoder-training
     * protocol and, when the best is not SSL, the best SSL entry, each with its Δ vs the best, e.g.
     * {@code best: simclr + linear 62.30 %; supervised + fixmatch (from scratch) 33.00 % (-29.30 [-40.10, -18.50] worse (3))}.
     */
    static String verdict(Group g) {
        Entry best = g.best();
        StringBuilder line = new StringBuilder("best: ").append(best.name()).append(' ').append(points(best.mean()))
                .append(" %");
        boolean sslShown = best.role() == Role.SSL;
        for (Entry e : g.entries().subList(1, g.entries().size())) {
            boolean show = e.role() == Role.SCRATCH || (!sslShown && e.role() == Role.SSL);
            if (show) {
                sslShown |= e.role() == Role.SSL;
                line.append("; ").append(e.name()).append(' ').append(points(e.mean())).append(" % (")
                        .append(deltaText(e.vsBest())).append(')');
            }
        }
        return line.toString();
    }

    /** The Answer's part: per dataset × backbone × label count, a table and its verdict; empty with no group. */
    static String markdown(List<Group> groups) {
        if (groups.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("### Which protocol uses the labels best?\n\n");
        md.append("Per dataset / backbone / label count, across protocols: each protocol's best SSL configuration, its `")
                .append(SslVersusScratch.BASELINE).append("` row (from scratch under finetune / supcon / fixmatch, the"
                        + " frozen random encoder under linear / knn) and `").append(SslVersusScratch.FLOOR)
                .append("`, ok cells only. Δ: row − best in points [95 % paired t interval over the seeds both have,"
                        + " same label subset] answer (pairs). Numbers in `").append(FILE_NAME).append("`.\n\n");
        for (Group g : groups) {
            md.append("**").append(g.title()).append("**: ").append(verdict(g)).append("\n\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("method + protocol", "mean %", "seeds", "Δ vs best"));
            for (Entry e : g.entries()) {
                rows.add(List.of(e.name(), points(e.mean()), Integer.toString(e.row().nSeeds()),
                        e.isBest() ? "best" : deltaText(e.vsBest())));
            }
            md.append(TextTable.markdown(rows)).append('\n');
        }
        return md.toString();
    }

    /** One console line per group: {@code cifar10 / resnet20 n=100 protocols: best: …}. */
    static List<String> consoleLines(List<Group> groups) {
        return groups.stream().map(g -> g.title() + " protocols: " + verdict(g)).toList();
    }

    static List<List<String>> records(List<Group> groups) {
        List<List<String>> out = new ArrayList<>();
        for (Group g : groups) {
            for (Entry e : g.entries()) {
                SslVersusScratch.Row v = e.vsBest();
                out.add(List.of(g.dataset(), g.backbone(), number(g.nLabels()), g.subsetKind(), e.row().protocol(),
                        e.row().method(), e.role().csv(), e.row().configId(), number(e.row().nSeeds()),
                        number(e.mean()), e.isBest() ? "yes" : "", v == null ? "" : number(v.nPairs()),
                        v == null ? "" : number(v.meanDeltaPoints()), v == null ? "" : number(v.ciLow()),
                        v == null ? "" : number(v.ciHigh()), v == null ? "" : v.answer()));
            }
        }
        return out;
    }

    /** Writes {@code groups} to {@code file} atomically (a header alone when there are none). */
    public static void write(Path file, List<Group> groups) throws IOException {
        AtomicFiles.writeString(file, CsvTable.render(COLUMNS, records(groups)));
    }
}
