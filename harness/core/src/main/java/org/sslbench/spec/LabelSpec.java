package org.sslbench.spec;

import java.util.List;

/**
 * Label counts, as absolute counts ({@code labels: [100, 250]}), per-class counts
 * ({@code labels: {per_class: [10, 25]}}) or fractions of the labelled pool
 * ({@code labels: {fractions: [0.01]}}).
 *
 * @param uneven allow counts that are not a multiple of the class count (the rotation table's
 *               625 labels on CIFAR-10): the remainder goes one extra label to each of a seeded
 *               choice of classes. Off by default so that a typo such as 255 is caught.
 * @param folds  also evaluate on each of the dataset's predefined label folds (STL-10's 10 × 1,000):
 *               one cell per fold, aggregated like seeds
 */
public record LabelSpec(Kind kind, List<Double> values, boolean uneven, boolean folds) {
    public enum Kind { COUNTS, PER_CLASS, FRACTIONS }

    public LabelSpec(Kind kind, List<Double> values) {
        this(kind, values, false, false);
    }

    public LabelSpec(Kind kind, List<Double> values, boolean uneven) {
        this(kind, values, uneven, false);
    }

    /** Absolute label counts for a dataset with {@code classes} classes and {@code trainSize} labelled images. */
    public int[] resolve(int classes, int trainSize) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            double v = values.get(i);
            out[i] = switch (kind) {
                case COUNTS -> (int) v;
                case PER_CLASS -> (int) v * classes;
                // Rounded down to whole per-class counts so subsets stay stratified.
                case FRACTIONS -> uneven ? (int) Math.floor(v * trainSize) : (int) Math.floor(v * trainSize / classes) * classes;
            };
        }
        return out;
    }
}
