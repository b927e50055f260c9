package org.sslbench.data;

import java.io.IOException;
import java.nio.file.Path;
import org.sslbench.plugin.Named;

/**
 * Loads one kind of dataset. Discovered with {@link java.util.ServiceLoader}, so a plugin jar can
 * add datasets the same way it adds methods.
 */
public interface DatasetFactory extends Named {
    /**
     * Sizes and classes without reading pixels, so a spec can be validated before any work.
     *
     * @param dataDir the directory given with {@code DATA=} / {@code --data} / {@code data.dir},
     *                or {@code null} when none was given
     * @throws DataException when the files are missing or malformed (message says which files go where)
     */
    DatasetInfo describe(Path dataDir) throws DataException;

    /**
     * Sizes of the predefined label folds ({@link Dataset#predefinedFolds()}) without loading
     * pixels; empty when the dataset defines none.
     */
    default int[] predefinedFoldSizes(Path dataDir) throws DataException {
        return new int[0];
    }

    /** Loads the dataset; {@code unlabeledLimit} > 0 keeps only that many pool images (seeded, deterministic). */
    Dataset load(Path dataDir, int unlabeledLimit) throws DataException, IOException;
}
