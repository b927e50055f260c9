package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedFashionMnistFactoryTest {
    private final EmbeddedFashionMnistFactory factory = new EmbeddedFashionMnistFactory();

    private static int[] filled(int value) {
        int[] a = new int[10];
        Arrays.fill(a, value);
        return a;
    }

    @Test
    void loadsTheBalancedSubsetFromTheClasspath() throws Exception {
        Dataset ds = factory.load(Path.of("/no/such/dir"), 0); // the data directory is ignored
        assertEquals("fashion-mnist-embedded", ds.name());
        assertEquals(new ImageShape(28, 28, 1), ds.shape());
        assertEquals(FashionMnist.CLASSES, ds.classNames());
        assertEquals(10_000, ds.train().size());
        assertEquals(2_000, ds.test().size());
        assertArrayEquals(filled(1000), DataFiles.perClass(ds.train().labels(), 10));
        assertArrayEquals(filled(200), DataFiles.perClass(ds.test().labels(), 10));
        assertEquals(10_000, ds.unlabeled().size());
        assertFalse(ds.unlabeled().labelled());
        assertTrue(ds.source().startsWith("fashion-mnist-embedded from classpath:"), ds.source());
    }

    @Test
    void describeReadsHeadersAndLabels() throws Exception {
        DatasetInfo info = factory.describe(null);
        assertEquals(10_000, info.trainSize());
        assertEquals(10_000, info.unlabeledSize());
        assertEquals(2_000, info.testSize());
        assertArrayEquals(filled(1000), info.trainPerClass());
    }

    @Test
    void firstPerClassKeepsFileOrder() {
        int[] labels = {2, 0, 0, 1, 2, 0, 1, 1, 2};
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 6}, EmbeddedSubsetGenerator.firstPerClass(labels, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedSubsetGenerator.firstPerClass(labels, 3, 4));
    }

    /** Regenerates the subset from the Debian package and checks the committed files hold the same data. */
    @Test
    void committedFilesAreReproducible(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(FashionMnistFactory.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        EmbeddedSubsetGenerator.generate(FashionMnistFactory.DEFAULT_DIR, tmp);
        for (String f : FashionMnist.FILES) {
            byte[] fresh = Files.readAllBytes(tmp.resolve(f + ".gz"));
            byte[] committed;
            try (InputStream in = getClass().getClassLoader()
                    .getResourceAsStream(EmbeddedFashionMnistFactory.RESOURCE_DIR + f + ".gz")) {
                committed = in.readAllBytes();
            }
            // Compare decompressed content: gzip bytes may differ between zlib versions.
            try (InputStream a = new GZIPInputStream(new ByteArrayInputStream(fresh));
                 InputStream b = new GZIPInputStream(new ByteArrayInputStream(committed))) {
                assertArrayEquals(a.readAllBytes(), b.readAllBytes(), f);
            }
        }
    }
}
