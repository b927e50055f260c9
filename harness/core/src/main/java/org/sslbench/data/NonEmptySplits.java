package org.sslbench.data;

/**
 * The last line against empty splits, for every dataset including plugins: the built-in factories
 * refuse empty files themselves (naming them); this catches a plugin's {@link DatasetFactory} that
 * reports or returns a train, test or unlabeled split of 0 images, which would otherwise run and
 * give no (or a meaningless) result.
 */
public final class NonEmptySplits {
    private NonEmptySplits() {
    }

    /**
     * @return {@code info} unchanged
     * @throws DataException naming the empty split(s) when a size in {@code info} is 0
     */
    public static DatasetInfo check(String dataset, DatasetInfo info) throws DataException {
        check(dataset, info.trainSize(), info.testSize(), info.unlabeledSize());
        return info;
    }

    /**
     * @return {@code data} unchanged
     * @throws DataException naming the empty split(s) when a split of {@code data} holds no images
     */
    public static Dataset check(String dataset, Dataset data) throws DataException {
        check(dataset, data.train().size(), data.test().size(), data.unlabeled().size());
        return data;
    }

    private static void check(String dataset, int train, int test, int unlabeled) throws DataException {
        StringBuilder empty = new StringBuilder();
        if (train == 0) {
            empty.append("train");
        }
        if (test == 0) {
            empty.append(empty.length() == 0 ? "" : ", ").append("test");
        }
        if (unlabeled == 0) {
            empty.append(empty.length() == 0 ? "" : ", ").append("unlabeled");
        }
        if (empty.length() > 0) {
            throw new DataException("dataset '" + dataset + "': empty split(s): " + empty + " (0 images; train "
                    + train + ", test " + test + ", unlabeled " + unlabeled + "). Every dataset needs at least one"
                    + " image in each; check the data directory's files, or the dataset plugin");
        }
    }
}
