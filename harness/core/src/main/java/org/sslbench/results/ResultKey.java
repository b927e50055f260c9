package org.sslbench.results;

import java.util.Comparator;

/**
 * What a result is about, without the seed: the key leaderboards aggregate over and comparisons
 * join on. Ordered dataset, backbone, protocol, n_labels, method, as the leaderboard is.
 */
public record ResultKey(String dataset, String backbone, String protocol, int nLabels, String method)
        implements Comparable<ResultKey> {

    private static final Comparator<ResultKey> ORDER = Comparator
            .comparing(ResultKey::dataset)
            .thenComparing(ResultKey::backbone)
            .thenComparing(ResultKey::protocol)
            .thenComparingInt(ResultKey::nLabels)
            .thenComparing(ResultKey::method);

    public static ResultKey of(CellResult c) {
        return new ResultKey(c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.method());
    }

    public static ResultKey of(LeaderboardRow r) {
        return new ResultKey(r.dataset(), r.backbone(), r.protocol(), r.nLabels(), r.method());
    }

    @Override
    public int compareTo(ResultKey o) {
        return ORDER.compare(this, o);
    }

    /** e.g. {@code cifar10 resnet20 finetune n=100 rotation}. */
    @Override
    public String toString() {
        return dataset + " " + backbone + " " + protocol + " n=" + nLabels + " " + method;
    }
}
