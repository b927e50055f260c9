package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.results.CellResult;
import org.sslbench.results.CellsCsv;
import org.sslbench.results.CurrentConfigs;
import org.sslbench.results.Leaderboard;
import org.sslbench.results.LeaderboardRow;
import org.sslbench.results.Metric;
import org.sslbench.results.Provenance;
import org.sslbench.results.SslVersusScratch;
import org.sslbench.results.Status;

/**
 * Two specs differing only in {@code unlabeled_limit}, run one after the other into one results
 * directory (cells hand-made from the expanded matrix, no training): the supervised baseline's
 * cells are reused by cell hash and must stay the current spec's configuration, comparable with
 * every rotation configuration.
 */
class BaselineAcrossSpecsTest {
    private static final String SPEC = """
            name: a
            datasets: [tiny]
            backbone: small-cnn
            methods: [rotation, supervised]
            labels: [20]
            seeds: [0, 1, 2]
            protocols:
              finetune: {}
            """;
    private static final String LIMITED = SPEC.replace("datasets: [tiny]", "datasets: [{name: tiny, unlabeled_limit: 200}]");
    private static final Provenance PROVENANCE = new Provenance("0123456789ab", "dev", "2.18.0", "17.0.15",
            "Linux 6.1", "amd64", "cpu", 2, Instant.parse("2026-11-22T18:10:54.123Z"));

    @TempDir
    Path dir;

    @Test
    void reusedBaselineCellsStayTheCurrentConfigurationAndPairWithEveryLimit() throws Exception {
        List<Cell> first = Matrix.cells(MatrixTest.expand(SPEC));
        List<Cell> second = Matrix.cells(MatrixTest.expand(LIMITED));
        // The baseline's cells are the same experiments under both specs, with the same identity.
        for (int i = 0; i < first.size(); i++) {
            Cell a = first.get(i);
            Cell b = second.get(i);
            boolean baseline = a.group().method().name().equals("supervised");
            assertEquals(baseline, a.cellHash().equals(b.cellHash()), a + " vs " + b);
            assertEquals(baseline, a.configId().equals(b.configId()), a + " vs " + b);
            assertEquals(baseline, a.settings().equals(b.settings()), a.settings() + " vs " + b.settings());
        }

        // The first spec's run, written by an sslbench whose baseline config ids held the limit.
        CellsCsv cells = CellsCsv.open(dir);
        CurrentConfigs.write(dir, entries(first));
        for (Cell c : first) {
            boolean baseline = !c.group().pretrains();
            cells.append(row(c, baseline ? c.configId() + "-old-rule" : c.configId(), baseline ? 0.40 : 0.45));
        }

        // The second spec's run: what bench does before any cell runs, then its new rotation cells.
        CurrentConfigs.write(dir, entries(second));
        Map<String, String> ids = new HashMap<>();
        second.forEach(c -> ids.put(c.cellHash(), c.configId()));
        List<CellResult> relabelled = cells.relabel(ids);
        assertEquals(3, relabelled.size(), "the baseline's 3 reused rows");
        relabelled.forEach(r -> assertEquals("supervised", r.method()));
        for (Cell c : second) {
            if (c.group().pretrains()) {
                cells.append(row(c, c.configId(), 0.50));
            }
        }

        CellsCsv reread = CellsCsv.open(dir); // relabelled on disk, not only in memory
        Set<String> current = CurrentConfigs.read(dir);
        Leaderboard board = Leaderboard.aggregate(reread.rows(), current, CurrentConfigs.history(dir), null);
        List<LeaderboardRow> supervised = board.rows().stream().filter(r -> r.method().equals("supervised")).toList();
        assertEquals(1, supervised.size(), board.rows().toString());
        assertEquals(LeaderboardRow.CURRENT, supervised.get(0).current());
        assertEquals(3, supervised.get(0).nSeeds());
        assertTrue(!supervised.get(0).settings().contains("unlabeled_limit"), supervised.get(0).settings());

        // Both rotation configurations (limit 0 from the first spec, 200 now) pair with the baseline.
        List<SslVersusScratch.Row> rows = SslVersusScratch.rows(reread.rows(), board).stream()
                .filter(r -> r.metric() == Metric.FINAL).toList();
        assertEquals(2, rows.size(), rows.toString());
        Map<String, Double> deltaByConfig = new HashMap<>();
        rows.forEach(r -> deltaByConfig.put(r.configId(), r.meanDeltaPoints()));
        Cell newRotation = second.get(0);
        Cell oldRotation = first.get(0);
        assertEquals(10.0, deltaByConfig.get(newRotation.configId()), 1e-9);
        assertEquals(5.0, deltaByConfig.get(oldRotation.configId()), 1e-9);
        rows.forEach(r -> assertEquals(3, r.nPairs()));
        rows.forEach(r -> assertEquals(supervised.get(0).configId(), r.baselineConfigId()));

        // Nothing left to relabel on a third run of the same spec.
        assertEquals(List.of(), reread.relabel(ids));
    }

    private static List<CurrentConfigs.Entry> entries(List<Cell> cells) {
        return cells.stream().map(c -> new CurrentConfigs.Entry(c.configId(), c.group().method().name(),
                c.group().dataset().name(), c.group().backbone(), c.protocol().name(), c.nLabels(), c.subsetKind(),
                "", c.seriesId(), c.settings())).toList();
    }

    /** An ok row of {@code cell}; the label subset depends on the seed only, as the real one does. */
    private static CellResult row(Cell cell, String configId, double accuracy) {
        PretextGroup g = cell.group();
        return new CellResult("spec", g.method().name(), g.dataset().name(), g.backbone(), cell.protocol().name(),
                cell.nLabels(), g.seed(), g.pretrains() ? 1 : 0, 1, accuracy, Double.NaN, 1.0,
                g.pretrains() ? 0.5 : Double.NaN, 0.1, 1.0, 0.5, 100.0, Status.OK, "", "", "subset-" + g.seed(),
                cell.subsetKind(), cell.fold(), configId, cell.cellHash(), g.pretextHash(), "", "", PROVENANCE);
    }
}
