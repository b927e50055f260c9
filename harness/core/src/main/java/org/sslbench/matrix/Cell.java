package org.sslbench.matrix;

import java.util.Map;
import org.sslbench.spec.ProtocolSpec;

/** One result: a pretext group's encoder evaluated with one protocol on one label count. */
public final class Cell {
    private final PretextGroup group;
    private final ProtocolSpec protocol;
    private final int nLabels;
    private final int fold;
    private final String cellHash;
    private final String configId;
    private final String seriesId;

    /** @param fold index of a predefined label fold, or -1 for a seeded stratified subset */
    Cell(PretextGroup group, ProtocolSpec protocol, int nLabels, int fold) {
        this.group = group;
        this.protocol = protocol;
        this.nLabels = nLabels;
        this.fold = fold;
        // The fold enters the hash only when used, so hashes of ordinary cells stay as they were.
        this.cellHash = fold < 0
                ? ConfigHash.of(Map.of("pretext", group.pretextHash(), "protocol", protocol, "n_labels", nLabels))
                : ConfigHash.of(Map.of("pretext", group.pretextHash(), "protocol", protocol, "n_labels", nLabels, "fold", fold));
        // Seed and fold left out, the subset kind kept: stratified seeds pool with each other,
        // predefined folds with each other, never the two together.
        this.configId = ConfigHash.of(Map.of("config", group.configBase(), "protocol", protocol, "n_labels", nLabels,
                "subset_kind", subsetKind()));
        // The same without n_labels: one configuration across label counts (a table line, a plotted curve).
        this.seriesId = ConfigHash.of(Map.of("config", group.configBase(), "protocol", protocol,
                "subset_kind", subsetKind()));
    }

    /** Index of the predefined label fold this cell uses, or -1 for a seeded stratified subset. */
    public int fold() {
        return fold;
    }

    /** {@code stratified} (seeded subset) or {@code fold} (predefined fold), as in cells.csv. */
    public String subsetKind() {
        return fold < 0 ? "stratified" : "fold";
    }

    /**
     * Identifies the configuration without the seed and the fold: cells with equal ids are
     * repetitions of one experiment, the only cells a leaderboard may average.
     */
    public String configId() {
        return configId;
    }

    /**
     * {@link #configId()} without the label count: equal for the cells of one configuration at
     * every label count, so the configuration is one table line and one plotted curve.
     */
    public String seriesId() {
        return seriesId;
    }

    /**
     * Everything {@link #configId()} covers, readable: {@code key=value} pairs joined by {@code ;},
     * sorted by key, e.g. {@code method=simclr;params.temperature=0.5;pretext.epochs=1;protocol.k=5;…}
     * (paths as in the spec, see {@link ConfigHash#flatten}). Like the config id, it leaves out what
     * the result does not depend on: a method without a pretext run has no {@code pretext.*} and no
     * {@code dataset.unlabeled_limit}.
     */
    public String settings() {
        Map<String, Object> all = new java.util.HashMap<>();
        all.put("method", group.method().name());
        all.put("params", group.method().params());
        all.put("pretext", group.method().pretext());
        // As the config id sees it: no unlabeled_limit for a method without a pretext run.
        all.put("dataset", group.identityDataset());
        all.put("backbone", group.backbone());
        all.put("preprocess", group.preprocess());
        all.put("protocol", protocol);
        all.put("n_labels", nLabels);
        all.put("subset_kind", subsetKind());
        Map<String, String> flat = ConfigHash.flatten(all);
        if (!group.pretrains()) {
            // Never read without a pretext run: not a setting of this configuration at all.
            flat.remove("dataset.unlabeled_limit");
        }
        StringBuilder sb = new StringBuilder();
        flat.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    public PretextGroup group() {
        return group;
    }

    public ProtocolSpec protocol() {
        return protocol;
    }

    public int nLabels() {
        return nLabels;
    }

    /** Identifies the result: equal hashes mean the same experiment, so a stored result can be reused. */
    public String cellHash() {
        return cellHash;
    }

    @Override
    public String toString() {
        return group.method().name() + "/" + group.dataset().name() + "/" + group.backbone() + "/seed" + group.seed()
                + "/" + protocol.name() + "/n" + nLabels + (fold < 0 ? "" : "/fold" + fold) + " [" + cellHash + "]";
    }
}
