package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecLoader;
import org.sslbench.spec.SpecValidator;
import org.sslbench.testing.FakeCatalog;

class MatrixTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();

    /** 2 methods × 2 datasets × 1 backbone × 2 seeds = 8 groups, each 2 protocols × 3 label counts. */
    private static final String TWO_BY_TWO = """
            name: m
            datasets: [tiny-rgb, tiny]
            backbone: small-cnn
            methods: [rotation, supervised]
            labels: [250, 20, 100]
            seeds: [7, 3]
            protocols:
              linear: {}
              finetune: {}
            """;

    static List<PretextGroup> expand(String yaml) throws Exception {
        Spec spec = SpecLoader.load("t.yaml", yaml, CATALOG, null);
        return Matrix.expand(spec, SpecValidator.labelCounts(spec, CATALOG));
    }

    @Test
    void countsMultiplyOut() throws Exception {
        List<PretextGroup> groups = expand(TWO_BY_TWO);
        assertEquals(8, groups.size());
        groups.forEach(g -> assertEquals(6, g.cells().size(), g.toString()));
        assertEquals(48, Matrix.cells(groups).size());
    }

    @Test
    void groupsAreOrderedByDatasetBackboneMethodSeedInSpecOrder() throws Exception {
        List<String> order = expand(TWO_BY_TWO).stream()
                .map(g -> g.dataset().name() + "/" + g.backbone() + "/" + g.method().name() + "/" + g.seed())
                .toList();
        assertEquals(List.of(
                "tiny-rgb/small-cnn/rotation/7", "tiny-rgb/small-cnn/rotation/3",
                "tiny-rgb/small-cnn/supervised/7", "tiny-rgb/small-cnn/supervised/3",
                "tiny/small-cnn/rotation/7", "tiny/small-cnn/rotation/3",
                "tiny/small-cnn/supervised/7", "tiny/small-cnn/supervised/3"), order);
    }

    @Test
    void cellsAreOrderedByProtocolThenLabelsAscending() throws Exception {
        PretextGroup group = expand(TWO_BY_TWO).get(0);
        List<String> order = group.cells().stream().map(c -> c.protocol().name() + "/" + c.nLabels()).toList();
        assertEquals(List.of("linear/20", "linear/100", "linear/250", "finetune/20", "finetune/100", "finetune/250"), order);
        group.cells().forEach(c -> assertSame(group, c.group()));
    }

    @Test
    void oneGroupPerPretextRunAndEveryHashUnique() throws Exception {
        List<PretextGroup> groups = expand(TWO_BY_TWO.replace("backbone: small-cnn", "backbones: [small-cnn, resnet20]"));
        assertEquals(16, groups.size());
        Set<String> runs = new HashSet<>();
        Set<String> pretextHashes = new HashSet<>();
        groups.forEach(g -> {
            runs.add(g.method().name() + g.dataset() + g.backbone() + g.seed());
            pretextHashes.add(g.pretextHash());
        });
        assertEquals(16, runs.size());
        assertEquals(16, pretextHashes.size());
        assertEquals(96, Matrix.cells(groups).stream().map(Cell::cellHash).distinct().count());
    }

    @Test
    void onlyPretrainingMethodsHaveAPretextRun() throws Exception {
        List<PretextGroup> groups = expand(TWO_BY_TWO);
        assertTrue(groups.get(0).pretrains());
        assertFalse(groups.get(2).pretrains());
    }

    @Test
    void labelCountsAreSortedAndDeduplicated() throws Exception {
        Spec spec = SpecLoader.load("t.yaml", TWO_BY_TWO, CATALOG, null);
        List<PretextGroup> groups = Matrix.expand(spec, Map.of("tiny", new int[] {30, 10, 30}, "tiny-rgb", new int[] {10}));
        assertEquals(List.of(10, 10), groups.get(0).cells().stream().map(Cell::nLabels).toList());
        assertEquals(List.of(10, 30, 10, 30), groups.get(4).cells().stream().map(Cell::nLabels).toList());
    }

    @Test
    void missingLabelCountsAreAProgrammingError() throws Exception {
        Spec spec = SpecLoader.load("t.yaml", TWO_BY_TWO, CATALOG, null);
        assertThrows(IllegalArgumentException.class, () -> Matrix.expand(spec, Map.of("tiny", new int[] {10})));
    }

    @Test
    void expansionIsDeterministicAcrossLoads() throws Exception {
        List<String> first = Matrix.cells(expand(TWO_BY_TWO)).stream().map(Cell::cellHash).toList();
        List<String> second = Matrix.cells(expand(TWO_BY_TWO)).stream().map(Cell::cellHash).toList();
        assertEquals(first, second);
    }
}
