package org.sslbench.results;

import java.util.Comparator;

/**
 * What a result is about, without the seed and the fold: the key leaderboards aggregate over and
 * comparisons join on. Two results with equal keys are repetitions of one experiment; anything
 * else must never be averaged together.
 *
 * <p>Ordered dataset, backbone, protocol, n_labels, method (as the leaderboard is), then subset
 * kind (stratified before fold) and configuration id.
 *
 * @param subsetKind {@link CellResult#STRATIFIED} or {@link CellResult#FOLD}; empty when unknown
 *                   (a published reference number, or a leaderboard written before the column existed)
 * @param configId   the configuration's identity without seed and fold ({@link CellResult#configId});
 *                   for rows written before config_id existed a {@code legacy-…} id derived from what
 *                   the row records (see {@link Leaderboard#identity}); empty when unknown (a reference)
 */
public record ResultKey(String dataset, String backbone, String protocol, int nLabels, String method,
                        String subsetKind, String configId)
        implements Comparable<ResultKey> {

    private static final Comparator<ResultKey> ORDER = Comparator
            .comparing(ResultKey::dataset)
            .thenComparing(ResultKey::backbone)
            .thenComparing(ResultKey::protocol)
            .thenComparingInt(ResultKey::nLabels)
            .thenComparing(ResultKey::method)
            .thenComparing(k -> CellResult.FOLD.equals(k.subsetKind()))
            .thenComparing(ResultKey::subsetKind)
            .thenComparing(ResultKey::configId);

    public ResultKey {
        subsetKind = subsetKind == null ? "" : subsetKind;
        configId = configId == null ? "" : configId;
    }

    /** A key whose subset kind and configuration are unknown, as a reference table has. */
    public ResultKey(String dataset, String backbone, String protocol, int nLabels, String method) {
        this(dataset, backbone, protocol, nLabels, method, "", "");
    }

    /** The cell's key, with its configuration identity ({@link Leaderboard#identity}). */
    public static ResultKey of(CellResult c) {
        return new ResultKey(c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.method(), c.subsetKind(),
                Leaderboard.identity(c));
    }

    public static ResultKey of(LeaderboardRow r) {
        return new ResultKey(r.dataset(), r.backbone(), r.protocol(), r.nLabels(), r.method(), r.subsetKind(),
                r.configId());
    }

    /** The key without subset kind and configuration: what a reference table names. */
    public ResultKey scope() {
        return new ResultKey(dataset, backbone, protocol, nLabels, method);
    }

    /**
     * Whether a comparison may join the two: same scope, and the same subset kind where both know
     * it (a reference row does not say, so it meets either kind; the rows stay separate).
     */
    public boolean joins(ResultKey other) {
        return scope().equals(other.scope())
                && (subsetKind.isEmpty() || other.subsetKind.isEmpty() || subsetKind.equals(other.subsetKind));
    }

    @Override
    public int compareTo(ResultKey o) {
        return ORDER.compare(this, o);
    }

    /** The first 8 digits of the configuration id, enough to tell configurations apart in text. */
    public String shortConfig() {
        return configId.length() <= 8 ? configId : configId.substring(0, 8);
    }

    /** e.g. {@code cifar10 resnet20 finetune n=100 rotation}, plus {@code folds} and {@code config …} when known. */
    @Override
    public String toString() {
        return dataset + " " + backbone + " " + protocol + " n=" + nLabels + " " + method
                + (CellResult.FOLD.equals(subsetKind) ? " (folds)" : "")
                + (configId.isEmpty() ? "" : " [config " + shortConfig() + "]");
    }
}
