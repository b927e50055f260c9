package org.sslbench.spec;

import java.util.List;

/**
 * Label counts, as absolute counts ({@code labels: [100, 250]}), per-class counts
 * ({@code labels: {per_class: [10, 25]}}) or fractions of the labelled pool
 * ({@code labels: {fractions: [0.01]}}).
 */
public record LabelSpec(Kind kind, List<Double> values) {
    public enum Kind { COUNTS, PER_CLASS, FRACTIONS }

    /** Absolute label counts for a dataset with {@code classes} classes and {@code trainSize} labelled images. */
    public int[] resolve(int classes, int trainSize) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            double v = values.get(i);
            out[i] = switch (kind) {
                case COUNTS -> (int) v;
                case PER_CLASS -> (int) v * classes;
                // Rounded down to whole per-class counts so subsets stay stratified.
                case FRACTIONS -> (int) Math.floor(v * trainSize / classes) * classes;
            };
        }
        return out;
    }
}
