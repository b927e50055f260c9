package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sslbench.data.DataAssertions.assertDataError;
import static org.sslbench.data.DataAssertions.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

class FashionMnistFactoryTest {
    @TempDir Path tmp;
    private final FashionMnistFactory factory = new FashionMnistFactory();
    private final Dataset tiny = FormatWriters.tinyDataset(); // 40 train, 20 test, 28x28x1

    @Test
    void loadsTrainTestAndAnUnlabeledPool() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, true);
        Dataset ds = factory.load(tmp, 0);
        assertEquals("fashion-mnist", ds.name());
        assertEquals(new ImageShape(28, 28, 1), ds.shape());
        assertEquals("T-shirt/top", ds.classNames().get(0));
        assertEquals("Ankle boot", ds.classNames().get(9));
        assertEquals(40, ds.train().size());
        assertEquals(20, ds.test().size());
        assertArrayEquals(tiny.train().labels(), ds.train().labels());
        assertArrayEquals(tiny.test().labels(), ds.test().labels());
        assertArrayEquals(FormatWriters.uint8(tiny.train()), FormatWriters.uint8(ds.train()));
        assertArrayEquals(FormatWriters.uint8(tiny.test()), FormatWriters.uint8(ds.test()));
        // pixel (row 3, col 5) of image 7 at HWC position 3*28+5
        assertEquals(image(tiny.train(), 7)[3 * 28 + 5], image(ds.train(), 7)[3 * 28 + 5]);

        assertEquals(40, ds.unlabeled().size());
        assertFalse(ds.unlabeled().labelled());
        assertEquals(-1, ds.unlabeled().label(0));
        assertArrayEquals(image(ds.train(), 3), image(ds.unlabeled(), 3));
        assertTrue(ds.source().contains(tmp.toString()) && ds.source().contains("train-images-idx3-ubyte.gz sha256:"), ds.source());
    }

    @Test
    void findsRawFilesInTheFashionMnistSubdirectory() throws Exception {
        FormatWriters.writeFashionMnist(tmp.resolve("fashion-mnist"), tiny, false);
        assertEquals(40, factory.load(tmp, 0).train().size());
    }

    @Test
    void describeCountsWithoutLoading() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, true);
        DatasetInfo info = factory.describe(tmp);
        assertEquals(40, info.trainSize());
        assertEquals(40, info.unlabeledSize());
        assertEquals(20, info.testSize());
        assertEquals(10, info.classes());
        int[] four = new int[10];
        Arrays.fill(four, 4);
        assertArrayEquals(four, info.trainPerClass());
    }

    @Test
    void unlabeledLimitKeepsASeededSubsetAndRejectsTooLarge() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, true);
        Dataset a = factory.load(tmp, 10);
        Dataset b = factory.load(tmp, 10);
        assertEquals(10, a.unlabeled().size());
        assertFalse(a.unlabeled().labelled());
        assertArrayEquals(FormatWriters.uint8(a.unlabeled()), FormatWriters.uint8(b.unlabeled()));
        assertEquals(40, a.train().size(), "the limit cuts only the pretext pool");
        assertTrue(a.source().contains("10 of 40"), a.source());
        assertDataError(() -> factory.load(tmp, 41), "unlabeled limit 41 is larger than the unlabeled pool of 40");
    }

    @Test
    void missingFilesAreListedWithTheDirectoryAndThePackage() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, true);
        Files.delete(tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        DataException e = assertDataError(() -> factory.load(tmp, 0),
                "missing t10k-labels-idx1-ubyte[.gz] in " + tmp,
                "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]",
                tmp.resolve("fashion-mnist").toString(), "apt-get install dataset-fashion-mnist");
        assertFalse(e.getMessage().contains("missing train-images"), e.getMessage());
        assertDataError(() -> factory.describe(tmp.resolve("nope")), tmp.resolve("nope") + ": directory does not exist",
                "apt-get install dataset-fashion-mnist");
    }

    @Test
    void malformedFilesNameTheFile() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, false);
        Path images = tmp.resolve("train-images-idx3-ubyte");
        byte[] raw = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(raw, raw.length - 100));
        assertDataError(() -> factory.load(tmp, 0), "file " + images + ": truncated");

        FormatWriters.writeIdxLabels(tmp.resolve("t10k-labels-idx1-ubyte"), new int[] {0, 1, 10}, false);
        assertDataError(() -> factory.describe(tmp), "file " + tmp.resolve("t10k-labels-idx1-ubyte"), "label 10 of record 2");
    }

    @Test
    void rejectsImagesThatAreNot28x28() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, false);
        FormatWriters.writeIdxImages(tmp.resolve("t10k-images-idx3-ubyte"), 32, 32, new byte[20 * 32 * 32], false);
        assertDataError(() -> factory.describe(tmp), "t10k-images-idx3-ubyte: images are 32x32, expected 28x28");
    }

    @Test
    void realFilesFromTheDebianPackage() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnistFactory.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        DatasetInfo info = factory.describe(null);
        assertEquals(60_000, info.trainSize());
        assertEquals(10_000, info.testSize());
        int[] sixK = new int[10];
        Arrays.fill(sixK, 6000);
        assertArrayEquals(sixK, info.trainPerClass());

        Dataset ds = factory.load(null, 1000);
        assertEquals(60_000, ds.train().size());
        assertEquals(10_000, ds.test().size());
        assertEquals(1000, ds.unlabeled().size());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(ds.train().labels(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(ds.test().labels(), 10));
        float sum = 0;
        for (float v : image(ds.train(), 0)) {
            sum += v;
        }
        assertEquals(76247 / 255f, sum, 1e-2, "pixel sum of the first train image (an ankle boot)");
    }

    @Test
    void emptySplitsAreRefusedNamingTheFiles() throws Exception {
        FormatWriters.writeFashionMnist(tmp, tiny, false);
        FormatWriters.writeIdxImages(tmp.resolve("t10k-images-idx3-ubyte"), 28, 28, new byte[0], false);
        FormatWriters.writeIdxLabels(tmp.resolve("t10k-labels-idx1-ubyte"), new int[0], false);
        for (org.junit.jupiter.api.function.Executable call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> factory.describe(tmp), () -> factory.load(tmp, 0))) {
            assertDataError(call, "fashion-mnist: the test split is empty", tmp.resolve("t10k-images-idx3-ubyte")
                    + " and " + tmp.resolve("t10k-labels-idx1-ubyte"), "0 images");
        }
        FormatWriters.writeFashionMnist(tmp, tiny, false);
        FormatWriters.writeIdxImages(tmp.resolve("train-images-idx3-ubyte"), 28, 28, new byte[0], false);
        FormatWriters.writeIdxLabels(tmp.resolve("train-labels-idx1-ubyte"), new int[0], false);
        for (org.junit.jupiter.api.function.Executable call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> factory.describe(tmp), () -> factory.load(tmp, 0))) {
            assertDataError(call, "fashion-mnist: the train split is empty", tmp.resolve("train-images-idx3-ubyte").toString());
        }
    }
}
