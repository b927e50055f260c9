package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.method.Param;
import org.sslbench.spec.Catalog;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecLoader;
import org.sslbench.spec.SpecValidator;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.train.Augmenter;

/**
 * Adding augmentation keys (issue 15's multi-crop {@code size}, {@code crop_max}, {@code count})
 * leaves every spec that does not write them with the pretext hash it had before: stored results
 * keep matching. The literals were computed on the code before those keys existed (commit
 * dc79e41); writing a new key at its default gives the same hash.
 */
class AugmentHashStabilityTest {
    /** FakeCatalog with the harness's real augmentation keys. */
    private static final Catalog CATALOG = new Catalog() {
        private final FakeCatalog fake = new FakeCatalog();
        @Override public Map<String, List<Param>> methods() { return fake.methods(); }
        @Override public boolean pretrains(String method) { return fake.pretrains(method); }
        @Override public Set<String> datasets() { return fake.datasets(); }
        @Override public DatasetInfo describe(String d, Path dir) throws DataException { return fake.describe(d, dir); }
        @Override public Set<String> backbones() { return fake.backbones(); }
        @Override public Set<String> protocols() { return fake.protocols(); }
        @Override public Map<String, Class<?>> augmentations() { return Augmenter.KNOWN; }
    };

    private static final String SPEC = """
            name: h
            datasets: [tiny]
            backbone: small-cnn
            methods: [rotation]
            labels: [100]
            seeds: [0]
            pretext:
              epochs: 3
              AUGMENT
            protocols: {knn: {k: 3}}
            """;

    private static String pretextHash(String augment) throws Exception {
        Spec spec = SpecLoader.load("h.yaml", SPEC.replace("AUGMENT", augment), CATALOG, null);
        List<PretextGroup> groups = Matrix.expand(spec, SpecValidator.labelCounts(spec, CATALOG));
        assertEquals(1, groups.size());
        return groups.get(0).pretextHash();
    }

    private static final String SHARED = "augment: {crop: 0.2, hflip: true, jitter: 0.8, brightness: 0.4, blur: 0.5}";
    private static final String PER_VIEW = "augment_views: [{crop: 0.08, hflip: true, solarize: 0.2}]";

    @Test
    void specsWithoutTheMultiCropKeysKeepTheirHashes() throws Exception {
        assertEquals("10d2b4379ea46542", pretextHash(SHARED));
        assertEquals("5282fca419467be9", pretextHash(PER_VIEW));
    }

    @Test
    void writingAMultiCropKeyAtItsDefaultKeepsTheHash() throws Exception {
        assertEquals("10d2b4379ea46542", pretextHash(SHARED.replace("}", ", size: 1, crop_max: 1.0}")));
        assertEquals("5282fca419467be9", pretextHash(PER_VIEW.replace("}]", ", size: 1.0, crop_max: 1, count: 1}]")));
    }

    @Test
    void writingAMultiCropKeyAtAnotherValueChangesTheHash() throws Exception {
        assertNotEquals("10d2b4379ea46542", pretextHash(SHARED.replace("}", ", crop_max: 0.9}")));
        assertNotEquals("10d2b4379ea46542", pretextHash(SHARED.replace("}", ", size: 0.5}")));
    }
}
