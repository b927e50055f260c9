package org.sslbench.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST from its four IDX files (raw or gzipped) in the data directory, in its
 * {@code fashion-mnist/} subdirectory, or, when no directory is given, where the Debian package
 * {@code dataset-fashion-mnist} installs them. The unlabeled pool is the 60,000 train images with
 * labels hidden; the labelled pool is the same images with labels; the test split is t10k.
 */
public final class FashionMnistFactory implements DatasetFactory {
    public static final String NAME = "fashion-mnist";
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files; used when no directory is given. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "Fashion-MNIST, 28x28 grey, 10 classes, 60k train / 10k test (IDX files; default " + DEFAULT_DIR + ")";
    }

    @Override
    public DatasetInfo describe(Path dataDir) throws DataException {
        return FashionMnist.describe(NAME, source(dataDir));
    }

    @Override
    public Dataset load(Path dataDir, int unlabeledLimit) throws DataException, IOException {
        return FashionMnist.load(NAME, source(dataDir), unlabeledLimit);
    }

    private static FashionMnist.Source source(Path dataDir) throws DataException {
        return FashionMnist.directory(DataFiles.locate(NAME, dataDir == null ? DEFAULT_DIR : dataDir, "fashion-mnist",
                FashionMnist.FILES, true, "`apt-get install dataset-fashion-mnist` provides them in " + DEFAULT_DIR
                        + ", which is used when no data directory is given."));
    }
}
