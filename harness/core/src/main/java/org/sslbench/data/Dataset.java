package org.sslbench.data;

import java.util.List;

/**
 * A loaded dataset: an unlabeled pool for pretext training, a labelled training pool from which
 * the label subsets are drawn, and the test split every protocol is scored on.
 */
public interface Dataset {
    /** Registry name, e.g. {@code cifar10}. */
    String name();

    ImageShape shape();

    List<String> classNames();

    default int classes() {
        return classNames().size();
    }

    /** Images for pretext training (labels, if any, are never read by the pretext). */
    ImageSet unlabeled();

    /** Labelled pool that label subsets are drawn from. */
    ImageSet train();

    /** Held-out test split. */
    ImageSet test();

    /** Where the data came from (files, checksums, subset), for each result row's provenance. */
    String source();

    /**
     * Label subsets the dataset's authors fixed (STL-10's 10 folds of 1,000 training images), as
     * indices into {@link #train()}; empty when the dataset defines none.
     */
    default java.util.List<int[]> predefinedFolds() {
        return java.util.List.of();
    }

    /**
     * Images of the dataset's files that were left out because they could not be read (an image
     * folder with {@code skip_unreadable: true}), one "file: why" each; written to the results
     * directory by bench. Empty for the built-in datasets, which refuse such files.
     */
    default List<String> leftOut() {
        return List.of();
    }
}
