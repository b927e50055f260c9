package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Per configuration ({@link ResultKey}: method, dataset, backbone, protocol, n_labels, subset kind,
 * config id) statistics over its repetitions (seeds, or predefined folds), ranked within each
 * (dataset, backbone, protocol, n_labels, subset_kind). Only ok cells are averaged; diverged,
 * collapsed and failed cells are counted in {@code n_failed}, because averaging a collapsed run into a method's
 * accuracy (or silently dropping it) would both misreport the method.
 *
 * <p>Rows of different configurations never pool: a results directory that holds two
 * configurations of one method (a rerun after a param change, stratified subsets next to
 * predefined folds) gets one row each, and {@link #warnings()} names them.
 *
 * @param rows     sorted by dataset, backbone, protocol, n_labels, subset kind, current before not
 *                 current, rank (unranked last), method, config id
 * @param warnings what a reader of the board must know: configurations that share a method and
 *                 key (not pooled), legacy rows whose configuration had to be guessed
 */
public record Leaderboard(List<LeaderboardRow> rows, List<String> warnings) {
    public static final String FILE_NAME = "leaderboard.csv";

    private static final Comparator<LeaderboardRow> ORDER = Comparator
            .comparing(LeaderboardRow::dataset)
            .thenComparing(LeaderboardRow::backbone)
            .thenComparing(LeaderboardRow::protocol)
            .thenComparingInt(LeaderboardRow::nLabels)
            .thenComparing(LeaderboardRow::subsetKind, Comparator.comparing(k -> CellResult.FOLD.equals(k)))
            .thenComparing(LeaderboardRow::isOld)
            .thenComparingInt(r -> r.rank() == LeaderboardRow.UNRANKED ? Integer.MAX_VALUE : r.rank())
            .thenComparing(LeaderboardRow::method)
            .thenComparing(LeaderboardRow::configId);

    public Leaderboard {
        rows = List.copyOf(rows);
        warnings = List.copyOf(warnings);
    }

    public Leaderboard(List<LeaderboardRow> rows) {
        this(rows, List.of());
    }

    /** The scope a rank is computed in: stratified subsets and predefined folds are ranked apart. */
    private record Board(String dataset, String backbone, String protocol, int nLabels, String subsetKind) {
        static Board of(LeaderboardRow r) {
            return new Board(r.dataset(), r.backbone(), r.protocol(), r.nLabels(), r.subsetKind());
        }
    }

    /** {@link #aggregate(Collection, Set)} without knowing the current spec: {@code current} stays empty. */
    public static Leaderboard aggregate(Collection<CellResult> cells) {
        return aggregate(cells, null);
    }

    /**
     * One row per configuration of {@code cells}.
     *
     * @param currentConfigs config ids of the spec last run into the directory ({@link CurrentConfigs});
     *                       null when unknown. Rows of other configurations are marked
     *                       {@code current=no} and left unranked.
     */
    public static Leaderboard aggregate(Collection<CellResult> cells, Set<String> currentConfigs) {
        return aggregate(cells, currentConfigs, Map.of(), null);
    }

    /**
     * {@link #aggregate(Collection, Set)}, describing each row by its configuration's entry in
     * {@code known} (the directory's configs.csv, {@link CurrentConfigs#history}): its settings and
     * its series id (the configuration across label counts), and counting each row's stale cells
     * ({@code n_stale}). A configuration {@code known} lacks is described by what its cells record
     * ({@link ConfigNames#recorded}) and gets a {@code legacy-…} series id of that and its pretext runs.
     *
     * @param currentCode the code that runs each configuration now, by config id
     *                    ({@link CurrentConfigs#codes}); null or a missing id: unknown, nothing marked
     */
    public static Leaderboard aggregate(Collection<CellResult> cells, Set<String> currentConfigs,
                                        Map<String, CurrentConfigs.Entry> known, Map<String, CodeIdentity> currentCode) {
        List<String> warnings = new ArrayList<>();
        Map<ResultKey, List<CellResult>> groups = groups(cells, warnings);
        List<LeaderboardRow> unranked = new ArrayList<>();
        groups.forEach((group, members) -> unranked.add(summarize(group, members, currentConfigs, known, currentCode)));
        Map<Board, List<LeaderboardRow>> boards = unranked.stream().collect(Collectors.groupingBy(Board::of));
        List<LeaderboardRow> rows = unranked.stream()
                .map(r -> r.withRank(rankIn(r, boards.get(Board.of(r)))))
                .sorted(ORDER)
                .toList();
        warnings.addAll(configurationWarnings(rows));
        return new Leaderboard(rows, warnings);
    }

    /**
     * The cells of each configuration, keyed and sorted by {@link ResultKey}: what a row averages.
     * Rows written before config_id existed get a guessed identity ({@link #identity}); when that
     * still leaves a (seed, fold) twice in a group, the k-th occurrence in file order goes to the
     * k-th group (earlier runs come first in cells.csv), with a warning, so nothing is pooled.
     */
    static Map<ResultKey, List<CellResult>> groups(Collection<CellResult> cells, List<String> warnings) {
        Map<ResultKey, List<CellResult>> byKey = new TreeMap<>();
        cells.forEach(c -> byKey.computeIfAbsent(ResultKey.of(c), k -> new ArrayList<>()).add(c));
        Map<ResultKey, List<CellResult>> out = new TreeMap<>();
        byKey.forEach((key, members) -> {
            Map<String, Integer> seen = new HashMap<>();
            Map<Integer, List<CellResult>> rounds = new TreeMap<>();
            for (CellResult c : members) {
                int round = seen.merge(c.seed() + "/" + c.fold(), 1, Integer::sum) - 1;
                rounds.computeIfAbsent(round, r -> new ArrayList<>()).add(c);
            }
            if (rounds.size() == 1) {
                out.put(key, members);
                return;
            }
            warnings.add(key + ": a seed/fold repeats within one configuration (rows written before config_id "
                    + "existed?); split into " + rounds.size() + " rows in file order (config ids " + key.configId()
                    + "#1…), not pooled; rerun into a fresh results directory to record each row's configuration");
            rounds.forEach((round, part) -> out.put(new ResultKey(key.dataset(), key.backbone(), key.protocol(),
                    key.nLabels(), key.method(), key.subsetKind(), key.configId() + "#" + (round + 1)), part));
        });
        return out;
    }

    /**
     * The configuration identity a cell is aggregated by: its config_id, or for a row written
     * before that column existed {@code legacy-} and a hash of what the row itself records of its
     * configuration (method params, epochs, subset kind). Protocol settings other than the epochs
     * were not recorded then, so such rows can still hide a change; {@link #groups} catches the
     * case where that makes a seed repeat.
     */
    public static String identity(CellResult c) {
        if (!c.configId().isEmpty()) {
            return c.configId();
        }
        String recorded = String.join("\u0000", c.methodParams(), Integer.toString(c.pretextEpochs()),
                Integer.toString(c.downstreamEpochs()), c.subsetKind());
        return "legacy-" + org.sslbench.matrix.ConfigHash.sha256Hex(recorded, 9);
    }

    /**
     * A warning per (method, dataset, backbone, protocol, n_labels, subset kind) that holds more
     * than one configuration, naming each (config id, the settings that set it apart from the
     * others, whether current): such rows are shown apart, never pooled, and a reader must know
     * which is which.
     */
    static List<String> configurationWarnings(List<LeaderboardRow> rows) {
        Map<ResultKey, List<LeaderboardRow>> byScope = new LinkedHashMap<>();
        for (LeaderboardRow r : rows) {
            ResultKey k = ResultKey.of(r);
            byScope.computeIfAbsent(new ResultKey(k.dataset(), k.backbone(), k.protocol(), k.nLabels(), k.method(),
                    k.subsetKind(), ""), x -> new ArrayList<>()).add(r);
        }
        List<String> out = new ArrayList<>();
        new TreeMap<>(byScope).forEach((scope, members) -> {
            if (members.size() < 2) {
                return;
            }
            StringBuilder sb = new StringBuilder("results hold ").append(members.size()).append(" configurations of ")
                    .append(scope).append(": rows not pooled;");
            String current = members.stream().filter(r -> LeaderboardRow.CURRENT.equals(r.current()))
                    .map(LeaderboardRow::configId).collect(Collectors.joining(", "));
            if (!current.isEmpty()) {
                sb.append(" the current spec's is config_id ").append(current).append(';');
            }
            List<String> names = ConfigNames.distinguishing(members.stream().map(LeaderboardRow::settings).toList(),
                    scope.protocol(), k -> true);
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                LeaderboardRow r = members.get(i);
                parts.add(" " + r.configId() + " (" + (names.get(i).isEmpty() ? "no known difference" : names.get(i))
                        + (r.isOld() ? ", not in the current spec" : "")
                        + (LeaderboardRow.CURRENT.equals(r.current()) ? ", current" : "") + ", " + r.nSeeds() + " ok, "
                        + r.nFailed() + " failed)");
            }
            sb.append(String.join(",", parts));
            out.add(sb.toString());
        });
        return out;
    }

    /** Writes leaderboard.csv atomically, so a reader never sees a half-written board. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, CsvTable.render(LeaderboardRow.COLUMNS,
                rows.stream().map(LeaderboardRow::toRecord).toList()));
    }

    /**
     * Reads a leaderboard.csv, also one in the layout before configurations were told apart
     * ({@link LeaderboardRow#LEGACY_COLUMNS}: subset kind and configuration unknown, with a warning).
     *
     * @throws ResultsFileException when the header is neither
     */
    public static Leaderboard read(Path file) throws IOException {
        CsvTable.Parsed<LeaderboardRow> parsed = CsvTable.readAccepting(file, LeaderboardRow.COLUMNS,
                LeaderboardRow.LEGACY_HEADERS, LeaderboardRow::fromRecord);
        List<String> warnings = new ArrayList<>(parsed.warnings());
        if (CsvTable.header(file).equals(LeaderboardRow.LEGACY_COLUMNS)) {
            warnings.add(file + ": written before leaderboards told configurations apart; a row may pool "
                    + "configurations (e.g. stratified subsets with predefined folds). Pass the results directory "
                    + "with its cells.csv, or rerun `sslbench report` on it");
        }
        return new Leaderboard(parsed.rows(), warnings);
    }

    /**
     * Whether {@code cell} was computed by other code than {@code currentCode} records for its
     * configuration (false when that is unknown): as bench's stale check on resume.
     */
    public static boolean isStale(CellResult cell, Map<String, CodeIdentity> currentCode) {
        CodeIdentity now = currentCode == null ? null : currentCode.get(cell.configId());
        return now != null && !CodeIdentity.of(cell).differences(now).isEmpty();
    }

    private static LeaderboardRow summarize(ResultKey g, List<CellResult> cells, Set<String> currentConfigs,
                                            Map<String, CurrentConfigs.Entry> known,
                                            Map<String, CodeIdentity> currentCode) {
        // Summed in (seed, fold) order: floating-point sums depend on order, and the board must not
        // depend on the order cells finished in.
        List<CellResult> ok = cells.stream().filter(c -> c.status() == Status.OK)
                .sorted(Comparator.comparingInt(CellResult::seed).thenComparingInt(CellResult::fold)
                        .thenComparing(CellResult::configHash))
                .toList();
        List<Integer> seeds = List.copyOf(new TreeSet<>(ok.stream().map(CellResult::seed).toList()));
        String folds = "";
        if (CellResult.FOLD.equals(g.subsetKind())) {
            folds = ok.stream().map(c -> seeds.size() == 1 ? Integer.toString(c.fold()) : c.seed() + ":" + c.fold())
                    .collect(Collectors.joining(";"));
        }
        String current = currentConfigs == null ? ""
                : currentConfigs.contains(g.configId()) ? LeaderboardRow.CURRENT : LeaderboardRow.NOT_CURRENT;
        return new LeaderboardRow(g.dataset(), g.backbone(), g.protocol(), g.nLabels(), LeaderboardRow.UNRANKED,
                g.method(), g.subsetKind(), ok.size(), cells.size() - ok.size(), seeds, folds,
                Stats.mean(present(ok, CellResult::testAccuracy)), Stats.sampleStd(present(ok, CellResult::testAccuracy)),
                Stats.mean(present(ok, CellResult::maxTestAccuracy)), Stats.mean(present(ok, CellResult::testLoss)),
                Stats.mean(present(ok, CellResult::pretextLoss)), cells.get(0).methodParams(), g.configId(), current,
                (int) ok.stream().filter(c -> isStale(c, currentCode)).count(),
                seriesId(g, cells, known), settings(g, cells, known), cells.get(0).pretextDataset());
    }

    private static String seriesId(ResultKey g, List<CellResult> cells, Map<String, CurrentConfigs.Entry> known) {
        CurrentConfigs.Entry e = known.get(g.configId());
        if (e != null && !e.seriesId().isEmpty()) {
            return e.seriesId();
        }
        // What the rows record: the label counts of one earlier configuration share it. Two earlier
        // configurations that differ only in what is not recorded share it too; their rows then
        // meet at a label count and are told apart by config id (ResultTable#lineLabels).
        String recorded = ConfigNames.recorded(cells.get(0)) + "\u0000" + cells.get(0).protocol();
        return "legacy-" + org.sslbench.matrix.ConfigHash.sha256Hex(recorded, 9);
    }

    private static String settings(ResultKey g, List<CellResult> cells, Map<String, CurrentConfigs.Entry> known) {
        CurrentConfigs.Entry e = known.get(g.configId());
        return e != null && !e.settings().isEmpty() ? e.settings() : ConfigNames.recorded(cells.get(0));
    }

    // Standard competition ranking: ties share a rank and the next rank is skipped (1, 1, 3),
    // so a rank never depends on the order rows happen to be in. Configurations that are not the
    // current spec's are shown, but do not compete.
    private static int rankIn(LeaderboardRow row, List<LeaderboardRow> board) {
        if (Double.isNaN(row.meanTestAccuracy()) || row.isOld()) {
            return LeaderboardRow.UNRANKED;
        }
        return 1 + (int) board.stream().filter(o -> !o.isOld() && o.meanTestAccuracy() > row.meanTestAccuracy())
                .count();
    }

    private static double[] present(List<CellResult> cells, ToDoubleFunction<CellResult> field) {
        return cells.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).toArray();
    }
}
