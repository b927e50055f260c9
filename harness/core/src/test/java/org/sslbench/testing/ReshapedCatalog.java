package org.sslbench.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.method.Param;
import org.sslbench.spec.Catalog;

/**
 * {@link FakeCatalog} with one dataset's description changed (another image shape, unequal
 * classes) and the methods that declare square images (Method#squareImages), for checks that
 * depend on those.
 */
public final class ReshapedCatalog implements Catalog {
    private final FakeCatalog fake = new FakeCatalog();
    private final String dataset;
    private final UnaryOperator<DatasetInfo> change;
    private final Set<String> square;

    /**
     * @param dataset the FakeCatalog dataset whose description {@code change} rewrites
     * @param square  methods whose pretext needs square images
     */
    public ReshapedCatalog(String dataset, UnaryOperator<DatasetInfo> change, Set<String> square) {
        this.dataset = dataset;
        this.change = change;
        this.square = square;
    }

    @Override public Map<String, List<Param>> methods() { return fake.methods(); }
    @Override public boolean pretrains(String method) { return fake.pretrains(method); }
    @Override public Set<String> datasets() { return fake.datasets(); }
    @Override public Set<String> backbones() { return fake.backbones(); }
    @Override public boolean batchNorm(String backbone) { return fake.batchNorm(backbone); }
    @Override public Set<String> protocols() { return fake.protocols(); }
    @Override public Map<String, Class<?>> augmentations() { return fake.augmentations(); }
    @Override public boolean squareImages(String method) { return square.contains(method); }

    @Override
    public DatasetInfo describe(String name, Path dataDir) throws DataException {
        DatasetInfo info = fake.describe(name, dataDir);
        return name.equals(dataset) ? change.apply(info) : info;
    }
}
