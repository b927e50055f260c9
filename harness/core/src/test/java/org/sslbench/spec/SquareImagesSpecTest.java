package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.ImageShape;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.testing.ReshapedCatalog;

/**
 * A method that declares it needs square images (Method#squareImages) on a dataset whose images
 * are not square is refused when the spec is read, at the dataset's line; other methods run on any
 * height × width. (An image folder's image_size is blamed at that key: ImageFoldersTest.)
 */
class SquareImagesSpecTest {
    /** FakeCatalog with 'tiny' as 8×12×1 images and rotation declaring square images. */
    private static Catalog wide() {
        return new ReshapedCatalog(FakeCatalog.TINY, i -> new DatasetInfo(i.name(), new ImageShape(8, 12, 1),
                i.classNames(), i.unlabeledSize(), i.trainSize(), i.trainPerClass(), i.testSize()), Set.of("rotation"));
    }

    private static final String SPEC = """
            name: t
            datasets: [tiny-rgb, tiny]
            backbone: small-cnn
            methods: [supervised, %s]
            labels: [100]
            protocols:
              knn: {}
            """;

    @Test
    void aSquareOnlyMethodOnNonSquareImagesIsRefusedAtTheDataset() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load("t.yaml", SPEC.formatted("rotation"), wide(), Overrides.NONE));
        assertEquals(2, e.line(), e.getMessage());
        assertEquals("datasets[1]", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("dataset 'tiny' has 8x12 images, not square, and method 'rotation' needs square"
                + " images"), e.getMessage());
        assertTrue(e.getMessage().contains("remove rotation from methods"), e.getMessage());
    }

    @Test
    void methodsThatDoNotNeedSquareImagesRunOnAnyShape() throws SpecException {
        Spec spec = SpecLoader.load("t.yaml", SPEC.replace("[supervised, %s]", "[supervised]"), wide(),
                Overrides.NONE);
        assertEquals(List.of("tiny-rgb", "tiny"), spec.datasets().stream().map(DatasetRef::name).toList());
    }
}
