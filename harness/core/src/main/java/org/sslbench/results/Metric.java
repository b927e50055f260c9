package org.sslbench.results;

import java.util.Locale;

/**
 * Which accuracy a number is: after the last epoch, or the best epoch's. Published tables report
 * either, and comparing one with the other would flatter or penalise a method by several points.
 */
public enum Metric {
    /** Test accuracy after the last epoch: {@code test_accuracy}. */
    FINAL,
    /** Best test accuracy over epochs, chosen on the test split: {@code test_selected_max_accuracy}. */
    MAX_OVER_EPOCHS;

    public String csv() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The metric named {@code value} exactly (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the field, the value and the allowed values; never
     *                                  a default, because a guessed metric is a wrong comparison
     */
    public static Metric parse(String value) {
        for (Metric m : values()) {
            if (m.csv().equals(value.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("metric: '" + value + "' is not one of final (accuracy after the last"
                + " epoch), max_over_epochs (best epoch's accuracy); write the one the source reports");
    }
}
