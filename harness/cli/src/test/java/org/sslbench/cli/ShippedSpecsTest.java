package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sslbench.data.ImageShape;
import org.sslbench.testing.FormatWriters;

/**
 * Every spec shipped in specs/ validates against the real registries, with data files generated
 * in the exact CIFAR-10 / Fashion-MNIST formats (large enough for the specs' label counts), so a
 * shipped spec never rots silently.
 */
class ShippedSpecsTest {
    static final Path SPECS = Path.of("../../specs");

    @TempDir
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        // Pools one image per class larger than the specs' unlabeled_limit: a limit equal to the
        // whole pool is refused (it has no effect), and the real pools are far larger.
        FormatWriters.writeCifar10(data.resolve("cifar-10-batches-bin"),
                FormatWriters.tinyDataset(new ImageShape(32, 32, 3), 10, 1001, 2, 1));
        FormatWriters.writeFashionMnist(data.resolve("fashion-mnist"),
                FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 2001, 2, 1), true);
        // specs/folder-example.yaml reads the tree `make example-folder` writes.
        assertEquals(Main.OK, Main.run("example-folder", "--data", data.toString()));
        // STL-10 specs use all 5,000 labels and the 10 predefined folds of 1,000.
        List<int[]> folds = new java.util.ArrayList<>();
        for (int f = 0; f < 10; f++) {
            int[] fold = new int[1000];
            for (int i = 0; i < 1000; i++) {
                fold[i] = (f * 500 + i) % 5000;
            }
            folds.add(fold);
        }
        org.sslbench.data.Dataset stl = FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 500, 1, 1);
        org.sslbench.data.Dataset pool = FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 501, 1, 2);
        FormatWriters.writeStl10(data.resolve("stl10_binary"), new org.sslbench.data.LoadedDataset(stl.name(), stl.shape(),
                stl.classNames(), pool.train().withoutLabels(), stl.train(), stl.test(), "stl10-shaped"), folds, true);
    }

    static List<Path> specs() throws IOException {
        try (Stream<Path> s = Files.list(SPECS)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shippedSpecValidates(Path spec) {
        assertEquals(Main.OK, Main.run("validate", "--spec", spec.toString(), "--data", data.toString()), spec.toString());
    }

    @org.junit.jupiter.api.Test
    void thereAreShippedSpecs() throws IOException {
        assertFalse(specs().isEmpty());
    }
}
