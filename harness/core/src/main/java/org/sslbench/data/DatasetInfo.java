package org.sslbench.data;

import java.util.List;

/** What validation needs to know of a dataset before loading it. */
public record DatasetInfo(String name, ImageShape shape, List<String> classNames,
                          int unlabeledSize, int trainSize, int[] trainPerClass, int testSize) {
    public int classes() {
        return classNames.size();
    }
}
