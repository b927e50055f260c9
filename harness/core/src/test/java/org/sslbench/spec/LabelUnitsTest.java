package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.data.DatasetInfo;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.testing.ReshapedCatalog;

/**
 * A label value the dataset cannot supply is refused with the limit in the unit the spec wrote it
 * in (a total, per class, or a fraction that resolves within the limit), on a dataset with unequal
 * classes: 'tiny' with 20 labelled images in class0 and 50 in each of the 9 others (470 in all).
 */
class LabelUnitsTest {
    private static final Catalog UNEQUAL = new ReshapedCatalog(FakeCatalog.TINY, i -> {
        int[] perClass = new int[10];
        Arrays.fill(perClass, 50);
        perClass[0] = 20;
        return new DatasetInfo(i.name(), i.shape(), i.classNames(), i.unlabeledSize(), 470, perClass, i.testSize());
    }, Set.of());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            [300]                              | labels[0]           | 300 labels needs 30 per class                    | use at most 200
            {per_class: [30]}                  | labels.per_class[0] | per_class 30 (300 labels) needs 30 per class     | use at most 20 per class
            {fractions: [0.9]}                 | labels.fractions[0] | fraction 0.9 (420 labels) needs 42 per class     | use at most fraction 0.446 (200 labels)
            {fractions: [0.9], uneven: true}   | labels.fractions[0] | fraction 0.9 (423 labels) needs 43 per class     | use at most fraction 0.427 (200 labels)
            {fractions: [0.001]}               | labels.fractions[0] | fraction 0.001 (0 labels) resolves to no labels  | at least fraction 0.0213 (10 labels, 1 per class)
            {fractions: [0.001], uneven: true} | labels.fractions[0] | fraction 0.001 (0 labels) resolves to no labels  | at least fraction 0.00213 (1 label)
            """)
    void theLimitIsInTheUnitTheSpecWrote(String labels, String field, String problem, String limit) {
        String yaml = "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [supervised]\nlabels: " + labels
                + "\nprotocols:\n  knn: {}\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, UNEQUAL, Overrides.NONE));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().endsWith(limit), e.getMessage());
    }
}
