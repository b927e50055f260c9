package org.sslbench.spec;

import java.util.Optional;
import org.sslbench.data.folder.FolderSource;

/**
 * A dataset named in a spec: a registered one ({@code cifar10}, a plugin's) or the user's own
 * images declared with a {@code folder:} block.
 *
 * @param unlabeledLimit pretext pool size cap (0 = the whole pool); seeded and deterministic
 * @param folder         the declared image folder or list; empty for a registered dataset (and
 *                       then left out of every hash, so those keep their values)
 */
public record DatasetRef(String name, int unlabeledLimit, Optional<FolderSource> folder) {
    public DatasetRef {
        folder = folder == null ? Optional.empty() : folder;
    }

    /** A registered dataset. */
    public DatasetRef(String name, int unlabeledLimit) {
        this(name, unlabeledLimit, Optional.empty());
    }

    /**
     * The dataset as a method without a pretext run sees it: no pool limit, and an image folder
     * without its unlabeled images ({@link FolderSource#withoutPool()}).
     */
    public DatasetRef withoutPool() {
        return new DatasetRef(name, 0, folder.map(FolderSource::withoutPool));
    }

    /** The same dataset with another pool limit. */
    public DatasetRef withUnlabeledLimit(int limit) {
        return new DatasetRef(name, limit, folder);
    }
}
