package org.sslbench.matrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.sslbench.spec.DatasetRef;
import org.sslbench.spec.MethodSpec;
import org.sslbench.spec.Preprocess;
import org.sslbench.spec.ProtocolSpec;

/**
 * One pretext run (method × dataset × backbone × seed with its pretext settings) and every cell
 * evaluated on the encoder it produces: all label counts and protocols share the one run. A
 * method without a pretext run ({@code method().pretext() == null}) still forms a group so its
 * cells are ordered and seeded like the others.
 *
 * <p>Not a record: groups and cells refer to each other, which a record's equals and toString
 * would follow forever. Equality is identity.
 */
public final class PretextGroup {
    private final MethodSpec method;
    private final DatasetRef dataset;
    private final String backbone;
    private final int seed;
    private final Preprocess preprocess;
    private final DatasetRef identityDataset;
    private final String pretextHash;
    private final String configBase;
    private final List<Cell> cells;

    /**
     * @param nLabels   ascending, distinct stratified label counts
     * @param foldSizes sizes of the dataset's predefined folds to evaluate on (empty for none)
     */
    PretextGroup(MethodSpec method, DatasetRef dataset, String backbone, int seed, Preprocess preprocess,
                 Collection<ProtocolSpec> protocols, int[] nLabels, int[] foldSizes) {
        this.method = method;
        this.dataset = dataset;
        this.backbone = backbone;
        this.seed = seed;
        this.preprocess = preprocess;
        // Everything the encoder depends on; MethodSpec carries name, params and pretext TrainSpec.
        // Without a pretext run the unlabeled pool is never read, so its limit must not split hashes
        // (0 keeps them equal to a spec without the limit). The pretext dataset, when there is one,
        // is in method.pretext() and so in every hash.
        // The same dataset value enters every identity (config id, series id, settings), so that none
        // of them splits where the cell hash does not (two specs differing only in the limit share
        // the baseline's rows, config ids and settings).
        // A pretext on another dataset's pool (pretext.dataset) does not read this one's either.
        this.identityDataset = method.pretext() != null && method.pretext().dataset().isEmpty()
                ? dataset : dataset.withoutPool();
        this.pretextHash = ConfigHash.of(Map.of(
                "method", method, "dataset", identityDataset, "backbone", backbone,
                "preprocess", preprocess, "seed", seed));
        // The same without the seed: what repetitions over seeds share (see Cell#configId).
        this.configBase = ConfigHash.of(Map.of(
                "method", method, "dataset", identityDataset, "backbone", backbone, "preprocess", preprocess));
        List<Cell> built = new ArrayList<>();
        for (ProtocolSpec protocol : protocols) {
            if (!method.runs(protocol)) {
                continue; // pixels: no encoder to fine-tune (Matrix#notes says so)
            }
            List<Cell> forProtocol = new ArrayList<>();
            for (int n : nLabels) {
                forProtocol.add(new Cell(this, protocol, n, -1));
            }
            for (int f = 0; f < foldSizes.length; f++) {
                forProtocol.add(new Cell(this, protocol, foldSizes[f], f));
            }
            // Label count ascending, a count's stratified cell before its folds, folds in order.
            forProtocol.sort(java.util.Comparator.comparingInt(Cell::nLabels).thenComparingInt(Cell::fold));
            built.addAll(forProtocol);
        }
        this.cells = List.copyOf(built);
    }

    public MethodSpec method() {
        return method;
    }

    public DatasetRef dataset() {
        return dataset;
    }

    public String backbone() {
        return backbone;
    }

    public int seed() {
        return seed;
    }

    public Preprocess preprocess() {
        return preprocess;
    }

    /** False for methods without a pretext run (the from-scratch baseline). */
    public boolean pretrains() {
        return method.pretext() != null;
    }

    /**
     * The dataset as the hashes, config ids and settings see it: {@link #dataset()}, with the
     * unlabeled limit reset to 0 (and so left out of the settings) for a method without a pretext
     * run, whose results never depend on it (0 keeps its hashes equal to those of a spec without
     * the limit; {@link Cell#settings()} then leaves the key out).
     */
    public DatasetRef identityDataset() {
        return identityDataset;
    }

    /** Identifies the pretext run: equal hashes mean the same encoder. */
    public String pretextHash() {
        return pretextHash;
    }

    /** {@link #pretextHash()} without the seed: equal for the seeds of one configuration. */
    String configBase() {
        return configBase;
    }

    /**
     * By protocol (spec order), then label count ascending; a method with pixel features has no
     * cells of the protocols that train an encoder (finetune, supcon, fixmatch).
     */
    public List<Cell> cells() {
        return cells;
    }

    @Override
    public String toString() {
        return method.name() + "/" + dataset.name() + "/" + backbone + "/seed" + seed + " [" + pretextHash + "]";
    }
}
