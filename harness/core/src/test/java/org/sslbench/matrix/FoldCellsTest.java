package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.DataException;
import org.sslbench.spec.Catalog;
import org.sslbench.spec.Overrides;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecLoader;
import org.sslbench.spec.SpecValidator;
import org.sslbench.testing.FakeCatalog;

/** Predefined label folds (STL-10): one cell per fold, distinct hashes, refused on datasets without folds. */
class FoldCellsTest {
    private static final String SPEC = """
            name: folds
            datasets: [tiny]
            backbone: resnet20
            methods: [supervised]
            labels: {counts: [100], folds: true}
            seeds: [0]
            protocols: {linear: {epochs: 1, selection: fixed}}
            """;

    /** FakeCatalog plus three predefined folds of 20 labels on every dataset. */
    private static final Catalog WITH_FOLDS = (Catalog) java.lang.reflect.Proxy.newProxyInstance(
            FoldCellsTest.class.getClassLoader(), new Class<?>[] {Catalog.class}, (proxy, method, args) -> {
                if (method.getName().equals("foldSizes")) {
                    return new int[] {20, 20, 20};
                }
                try {
                    return method.invoke(new FakeCatalog(), args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    @Test
    void eachFoldIsACellBesideTheStratifiedCounts() throws SpecException, DataException {
        Spec spec = SpecLoader.load("folds.yaml", SPEC, WITH_FOLDS, Overrides.NONE);
        List<PretextGroup> groups = Matrix.expand(spec, SpecValidator.labelCounts(spec, WITH_FOLDS),
                SpecValidator.foldSizes(spec, WITH_FOLDS));
        List<Cell> cells = Matrix.cells(groups);
        assertEquals(4, cells.size(), "3 folds of 20 labels + the 100-label stratified subset");
        assertEquals(List.of(0, 1, 2, -1), cells.stream().map(Cell::fold).toList());
        assertEquals(List.of(20, 20, 20, 100), cells.stream().map(Cell::nLabels).toList());
        assertEquals(4, cells.stream().map(Cell::cellHash).distinct().count());
        assertTrue(cells.get(1).toString().contains("fold1"));
    }

    @Test
    void foldsOnlyWithoutCounts() throws SpecException, DataException {
        Spec spec = SpecLoader.load("folds.yaml", SPEC.replace("{counts: [100], folds: true}", "{folds: true}"),
                WITH_FOLDS, Overrides.NONE);
        List<Cell> cells = Matrix.cells(Matrix.expand(spec, SpecValidator.labelCounts(spec, WITH_FOLDS),
                SpecValidator.foldSizes(spec, WITH_FOLDS)));
        assertEquals(3, cells.size());
    }

    @Test
    void ordinaryCellsKeepTheirHashes() throws SpecException {
        Spec withFolds = SpecLoader.load("folds.yaml", SPEC, WITH_FOLDS, Overrides.NONE);
        Spec without = SpecLoader.load("folds.yaml", SPEC.replace(", folds: true", ""), new FakeCatalog(), Overrides.NONE);
        Cell stratified = Matrix.cells(Matrix.expand(withFolds, Map.of("tiny", new int[] {100}), Map.of("tiny", new int[] {20})))
                .stream().filter(c -> c.fold() < 0).findFirst().orElseThrow();
        Cell plain = Matrix.cells(Matrix.expand(without, Map.of("tiny", new int[] {100}))).get(0);
        assertEquals(plain.cellHash(), stratified.cellHash());
    }

    @Test
    void datasetWithoutFoldsIsRefusedAtItsLine() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load("folds.yaml", SPEC, new FakeCatalog(), Overrides.NONE));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("defines none"), e.getMessage());
    }

}
