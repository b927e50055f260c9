package org.sslbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A class-balanced subset of Fashion-MNIST (MIT licence) shipped inside sslbench's jar: 10,000
 * train images (1,000 per class) and 2,000 test images (200 per class), so the default benchmark
 * runs offline with nothing installed. Made by {@link EmbeddedSubsetGenerator}; see the README in
 * {@value #RESOURCE_DIR}. Reads from the classpath, so it works from a jar; ignores the data directory.
 */
public final class EmbeddedFashionMnistFactory implements DatasetFactory {
    public static final String NAME = "fashion-mnist-embedded";
    /** Classpath folder of the gzipped IDX files. */
    public static final String RESOURCE_DIR = "org/sslbench/data/embedded/fashion-mnist/";

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "Fashion-MNIST subset bundled in the jar: 1,000 train + 200 test images per class, works offline";
    }

    @Override
    public DatasetInfo describe(Path dataDir) throws DataException {
        return FashionMnist.describe(NAME, SOURCE);
    }

    @Override
    public Dataset load(Path dataDir, int unlabeledLimit) throws DataException, IOException {
        return FashionMnist.load(NAME, SOURCE, unlabeledLimit);
    }

    private static final FashionMnist.Source SOURCE = new FashionMnist.Source() {
        @Override public String where() { return "classpath:" + RESOURCE_DIR; }
        @Override public String name(String file) { return "classpath:" + RESOURCE_DIR + file + DataFiles.GZ; }

        @Override
        public InputStream open(String file) throws DataException {
            InputStream in = EmbeddedFashionMnistFactory.class.getClassLoader()
                    .getResourceAsStream(RESOURCE_DIR + file + DataFiles.GZ);
            if (in == null) {
                throw new DataException("file " + name(file) + " is missing from the classpath: the sslbench-core jar"
                        + " was built without its resources (regenerate with EmbeddedSubsetGenerator, see its README)");
            }
            return in;
        }
    };
}
