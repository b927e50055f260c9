package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Per (method, dataset, backbone, protocol, n_labels) statistics over seeds, ranked within each
 * (dataset, backbone, protocol, n_labels). Only ok cells are averaged; diverged and failed cells
 * are counted in {@code n_failed}, because averaging a collapsed run into a method's accuracy
 * (or silently dropping it) would both misreport the method.
 *
 * @param rows sorted by dataset, backbone, protocol, n_labels, rank (unranked last), method
 */
public record Leaderboard(List<LeaderboardRow> rows) {
    public static final String FILE_NAME = "leaderboard.csv";

    private static final Comparator<LeaderboardRow> ORDER = Comparator
            .comparing(LeaderboardRow::dataset)
            .thenComparing(LeaderboardRow::backbone)
            .thenComparing(LeaderboardRow::protocol)
            .thenComparingInt(LeaderboardRow::nLabels)
            .thenComparingInt(r -> r.rank() == LeaderboardRow.UNRANKED ? Integer.MAX_VALUE : r.rank())
            .thenComparing(LeaderboardRow::method);

    public Leaderboard {
        rows = List.copyOf(rows);
    }

    /** The scope a rank is computed in. */
    private record Board(String dataset, String backbone, String protocol, int nLabels) {
        static Board of(LeaderboardRow r) {
            return new Board(r.dataset(), r.backbone(), r.protocol(), r.nLabels());
        }
    }

    public static Leaderboard aggregate(Collection<CellResult> cells) {
        Map<ResultKey, List<CellResult>> groups = cells.stream().collect(Collectors.groupingBy(ResultKey::of));
        List<LeaderboardRow> unranked = new ArrayList<>();
        groups.forEach((group, members) -> unranked.add(summarize(group, members)));
        Map<Board, List<LeaderboardRow>> boards = unranked.stream().collect(Collectors.groupingBy(Board::of));
        return new Leaderboard(unranked.stream()
                .map(r -> r.withRank(rankIn(r, boards.get(Board.of(r)))))
                .sorted(ORDER)
                .toList());
    }

    /** Writes leaderboard.csv atomically, so a reader never sees a half-written board. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, CsvTable.render(LeaderboardRow.COLUMNS,
                rows.stream().map(LeaderboardRow::toRecord).toList()));
    }

    /** @throws ResultsFileException when the header is not {@link LeaderboardRow#COLUMNS} */
    public static Leaderboard read(Path file) throws IOException {
        return new Leaderboard(CsvTable.read(file, LeaderboardRow.COLUMNS, LeaderboardRow::fromRecord).rows());
    }

    private static LeaderboardRow summarize(ResultKey g, List<CellResult> cells) {
        // Summed in seed order: floating-point sums depend on order, and the board must not
        // depend on the order cells finished in.
        List<CellResult> ok = cells.stream().filter(c -> c.status() == Status.OK)
                .sorted(Comparator.comparingInt(CellResult::seed).thenComparing(CellResult::configHash))
                .toList();
        List<Integer> seeds = ok.stream().map(CellResult::seed).toList();
        return new LeaderboardRow(g.dataset(), g.backbone(), g.protocol(), g.nLabels(), LeaderboardRow.UNRANKED,
                g.method(), ok.size(), cells.size() - ok.size(), seeds,
                Stats.mean(present(ok, CellResult::testAccuracy)), Stats.sampleStd(present(ok, CellResult::testAccuracy)),
                Stats.mean(present(ok, CellResult::maxTestAccuracy)), Stats.mean(present(ok, CellResult::testLoss)),
                Stats.mean(present(ok, CellResult::pretextLoss)));
    }

    // Standard competition ranking: ties share a rank and the next rank is skipped (1, 1, 3),
    // so a rank never depends on the order rows happen to be in.
    private static int rankIn(LeaderboardRow row, List<LeaderboardRow> board) {
        if (Double.isNaN(row.meanTestAccuracy())) {
            return LeaderboardRow.UNRANKED;
        }
        return 1 + (int) board.stream().filter(o -> o.meanTestAccuracy() > row.meanTestAccuracy()).count();
    }

    private static double[] present(List<CellResult> cells, ToDoubleFunction<CellResult> field) {
        return cells.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).toArray();
    }
}
