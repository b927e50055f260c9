package org.sslbench.data;

import java.util.List;

/** A {@link Dataset} from its parts: what the built-in loaders return, and handy for tests and plugins. */
public record LoadedDataset(String name, ImageShape shape, List<String> classNames, ImageSet unlabeled,
                            ImageSet train, ImageSet test, String source) implements Dataset {
    public LoadedDataset {
        classNames = List.copyOf(classNames);
        for (ImageSet s : List.of(unlabeled, train, test)) {
            if (!s.shape().equals(shape)) {
                throw new IllegalArgumentException(name + ": image set of shape " + s.shape() + " in a " + shape + " dataset");
            }
        }
        if (unlabeled.labelled()) {
            throw new IllegalArgumentException(name + ": the unlabeled pool must hide its labels (use withoutLabels())");
        }
    }
}
