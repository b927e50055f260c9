package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.method.Param;
import org.sslbench.spec.Catalog;
import org.sslbench.spec.MethodSpec;
import org.sslbench.spec.Overrides;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecLoader;
import org.sslbench.spec.SpecValidator;
import org.sslbench.testing.FakeCatalog;

/** The {@code pixels} baseline in the matrix: linear and kNN cells only, in every backbone group, hashes of others unchanged. */
class PixelsMatrixTest {
    /** {@link FakeCatalog} plus a method {@code pixels} with pixel features (as plugins/pixels declares). */
    static final class PixelsCatalog implements Catalog {
        private final FakeCatalog fake = new FakeCatalog();

        @Override
        public Map<String, List<Param>> methods() {
            Map<String, List<Param>> m = new LinkedHashMap<>(fake.methods());
            m.put("pixels", List.of());
            return m;
        }

        @Override public boolean pretrains(String method) { return fake.pretrains(method); }
        @Override public boolean pixelFeatures(String method) { return method.equals("pixels"); }
        @Override public Set<String> datasets() { return fake.datasets(); }
        @Override public DatasetInfo describe(String dataset, Path dataDir) throws DataException { return fake.describe(dataset, dataDir); }
        @Override public Set<String> backbones() { return fake.backbones(); }
        @Override public boolean batchNorm(String backbone) { return fake.batchNorm(backbone); }
        @Override public Set<String> protocols() { return fake.protocols(); }
        @Override public Map<String, Class<?>> augmentations() { return fake.augmentations(); }
    }

    private static final Catalog CATALOG = new PixelsCatalog();

    private static final String SPEC = """
            name: p
            datasets: [tiny]
            backbones: [small-cnn, resnet20]
            methods: [supervised, pixels]
            labels: [20, 100]
            seeds: [0, 1]
            protocols:
              finetune: {}
              linear: {}
              knn: {k: 5}
            """;

    private static Spec load(String yaml) throws SpecException {
        return SpecLoader.load("p.yaml", yaml, CATALOG, Overrides.NONE);
    }

    private static List<PretextGroup> expand(Spec spec) throws Exception {
        return Matrix.expand(spec, SpecValidator.labelCounts(spec, CATALOG));
    }

    @Test
    void pixelsGetLinearAndKnnCellsInEveryBackboneGroupAndNoFinetune() throws Exception {
        Spec spec = load(SPEC);
        MethodSpec pixels = spec.methods().get(1);
        assertTrue(pixels.pixelFeatures());
        assertEquals(null, pixels.pretext());
        List<PretextGroup> groups = expand(spec);
        // 2 backbones × 2 methods × 2 seeds
        assertEquals(8, groups.size());
        for (PretextGroup g : groups) {
            List<String> cells = g.cells().stream().map(c -> c.protocol().name() + "/" + c.nLabels()).toList();
            if (g.method().name().equals("pixels")) {
                assertEquals(List.of("linear/20", "linear/100", "knn/20", "knn/100"), cells, g.toString());
            } else {
                assertEquals(List.of("finetune/20", "finetune/100", "linear/20", "linear/100", "knn/20", "knn/100"),
                        cells, g.toString());
            }
        }
        assertEquals(List.of("small-cnn", "small-cnn", "resnet20", "resnet20"), groups.stream()
                .filter(g -> g.method().name().equals("pixels")).map(PretextGroup::backbone).toList());
        // one row per backbone group: the same features, but distinct cells the report groups by backbone
        List<Cell> pixelCells = Matrix.cells(groups).stream().filter(c -> c.group().method().name().equals("pixels")).toList();
        assertEquals(16, pixelCells.size());
        assertEquals(16, pixelCells.stream().map(Cell::cellHash).distinct().count());
        assertEquals(List.of("pixels: linear, knn only, no finetune cells (its features are the raw normalised pixels;"
                + " there is no encoder to fine-tune)"), Matrix.notes(spec));
    }

    @Test
    void otherMethodsKeepTheirHashesAndPixelsIsHashedAsPixels() throws Exception {
        // The empty features Optional is left out of the canonical form: every hash from before it existed holds.
        assertEquals("{\"name\":\"supervised\",\"params\":{},\"pretext\":null}",
                ConfigHash.canonical(new MethodSpec("supervised", Map.of(), null)));
        assertEquals("{\"features\":\"pixels\",\"name\":\"pixels\",\"params\":{},\"pretext\":null}",
                ConfigHash.canonical(load(SPEC).methods().get(1)));
        // supervised's groups hash as in a spec without pixels
        List<PretextGroup> with = expand(load(SPEC));
        List<PretextGroup> without = expand(load(SPEC.replace("[supervised, pixels]", "[supervised]")));
        assertEquals(without.stream().map(PretextGroup::pretextHash).toList(), with.stream()
                .filter(g -> g.method().name().equals("supervised")).map(PretextGroup::pretextHash).toList());
        assertTrue(Matrix.notes(load(SPEC.replace("[supervised, pixels]", "[supervised]"))).isEmpty());
    }

    @Test
    void withoutFinetuneThereIsNothingToNote() throws Exception {
        Spec spec = load(SPEC.replace("  finetune: {}\n", ""));
        assertTrue(Matrix.notes(spec).isEmpty());
        assertEquals(4, expand(spec).get(2).cells().size());
    }

    @Test
    void pixelsWithOnlyFinetuneIsRefusedAtItsLine() {
        SpecException e = assertThrows(SpecException.class, () -> load(SPEC
                .replace("methods: [supervised, pixels]", "methods:\n  - supervised\n  - pixels")
                .replace("  linear: {}\n  knn: {k: 5}\n", "")));
        assertEquals(6, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("method 'pixels' has no cells: its features are the raw pixels, which only"
                + " the linear and knn protocols score (there is no encoder to fine-tune), and this spec's protocols are"
                + " finetune; add linear or knn to protocols, or remove pixels from methods"), e.getMessage());
        // the map form is pointed at its name
        SpecException named = assertThrows(SpecException.class, () -> load(SPEC
                .replace("methods: [supervised, pixels]", "methods:\n  - supervised\n  - {name: pixels}")
                .replace("  linear: {}\n  knn: {k: 5}\n", "")));
        assertEquals(6, named.line(), named.getMessage());
    }

    @Test
    void pixelsHasNoPretextBlock() {
        SpecException e = assertThrows(SpecException.class, () -> load(SPEC.replace("[supervised, pixels]",
                "[supervised, {name: pixels, pretext: {epochs: 2}}]")));
        assertTrue(e.getMessage().contains("method 'pixels' has no pretext run; remove this block"), e.getMessage());
        assertFalse(load0().methods().get(0).pixelFeatures());
    }

    private static Spec load0() {
        try {
            return load(SPEC);
        } catch (SpecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pixelsCellsDifferFromSupervisedCells() throws Exception {
        List<PretextGroup> groups = expand(load(SPEC));
        PretextGroup supervised = groups.get(0);
        PretextGroup pixels = groups.get(2);
        assertEquals("pixels", pixels.method().name());
        assertEquals(supervised.seed(), pixels.seed());
        assertNotEquals(supervised.pretextHash(), pixels.pretextHash());
    }
}
