package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sslbench.engine.Checkpoint;

/**
 * One pretext phase of a run, as its cells recorded it, with its per-epoch log and its checkpoint's
 * metadata when present. Cells of one pretext hash share the encoder, so the first cell speaks for
 * all of them.
 *
 * @param meta the metadata of {@code pretext/<hash>.ckpt} (monitor_knn, monitor_knn_untrained,
 *             monitor_rankme, monitor_rows, monitor_dim, pool_images, epochs_trained, …); empty when
 *             there is no checkpoint or its header cannot be read (the report then names what is missing)
 */
public record PretextRun(String hash, String method, DatasetBackbone scope, int seed, int epochs, double finalLoss,
                         double collapseStd, double seconds, PretextLog log, Map<String, String> meta) {

    public PretextRun {
        meta = Map.copyOf(meta);
    }

    /** Without checkpoint metadata. */
    public PretextRun(String hash, String method, DatasetBackbone scope, int seed, int epochs, double finalLoss,
                      double collapseStd, double seconds, PretextLog log) {
        this(hash, method, scope, seed, epochs, finalLoss, collapseStd, seconds, log, Map.of());
    }

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
                    Files.exists(log) ? PretextLog.read(log) : PretextLog.EMPTY,
                    meta(pretextDir.resolve(c.pretextHash() + ".ckpt"))));
        }
        runs.sort(ORDER);
        return runs;
    }

    /**
     * A checkpoint's metadata, header only ({@link Checkpoint#readMetadata}); empty when absent or
     * unreadable: the report is made from whatever files are left and must not fail for one of them.
     */
    static Map<String, String> meta(Path ckpt) {
        if (!Files.exists(ckpt)) {
            return Map.of();
        }
        try {
            return Checkpoint.readMetadata(ckpt);
        } catch (IOException e) {
            return Map.of();
        }
    }
}
