package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pretext phase of a run, as its cells recorded it, with its per-epoch log when present.
 * Cells of one pretext hash share the encoder, so the first cell speaks for all of them.
 */
public record PretextRun(String hash, String method, DatasetBackbone scope, int seed, int epochs, double finalLoss,
                         double collapseStd, double seconds, PretextLog log) {

    private static final Comparator<PretextRun> ORDER = Comparator.comparing(PretextRun::scope)
            .thenComparing(PretextRun::method).thenComparingInt(PretextRun::seed).thenComparing(PretextRun::hash);

    /**
     * The pretext runs of {@code cells}: hashes with pretext epochs (not the supervised baseline,
     * not a pretext that failed before training), sorted by dataset, backbone, method, seed.
     */
    public static List<PretextRun> of(List<CellResult> cells, Path pretextDir) throws IOException {
        Map<String, CellResult> firstByHash = new LinkedHashMap<>();
        cells.stream().filter(c -> c.pretextEpochs() > 0 && !c.pretextHash().isEmpty())
                .forEach(c -> firstByHash.putIfAbsent(c.pretextHash(), c));
        List<PretextRun> runs = new ArrayList<>();
        for (CellResult c : firstByHash.values()) {
            Path log = pretextDir.resolve(c.pretextHash() + ".log.csv");
            runs.add(new PretextRun(c.pretextHash(), c.method(), new DatasetBackbone(c.dataset(), c.backbone()),
                    c.seed(), c.pretextEpochs(), c.pretextLoss(), c.collapseStd(), c.pretextSeconds(),
                    Files.exists(log) ? PretextLog.read(log) : PretextLog.EMPTY));
        }
        runs.sort(ORDER);
        return runs;
    }
}
