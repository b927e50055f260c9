package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.data.DataAssertions.assertDataError;
import static org.sslbench.data.DataAssertions.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

class Stl10FactoryTest {
    private static final int IMG = 3 * 96 * 96;
    private static final int PLANE = 96 * 96;
    @TempDir Path tmp;
    private final Stl10Factory factory = new Stl10Factory();

    /** Random uint8 HWC pixels for {@code n} images. */
    private static byte[] randomPixels(int n, long seed) {
        byte[] b = new byte[n * IMG];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * A valid directory: {@code train} train images labelled i % 10, {@code test} test images,
     * {@code unlabeled} pool images (random pixels), folds {0}, {1}
     */
    private Path writeValid(Path dir, int train, int test, int unlabeled) throws Exception {
        Files.createDirectories(dir);
        int[] trainLabels = new int[train];
        Arrays.setAll(trainLabels, i -> i % 10);
        int[] testLabels = new int[test];
        Arrays.setAll(testLabels, i -> 9 - i % 10);
        Files.write(dir.resolve("train_X.bin"), FormatWriters.stl10Images(randomPixels(train, 1)));
        Files.write(dir.resolve("train_y.bin"), FormatWriters.stl10Labels(trainLabels));
        Files.write(dir.resolve("test_X.bin"), FormatWriters.stl10Images(randomPixels(test, 2)));
        Files.write(dir.resolve("test_y.bin"), FormatWriters.stl10Labels(testLabels));
        Files.write(dir.resolve("unlabeled_X.bin"), FormatWriters.stl10Images(randomPixels(unlabeled, 3)));
        Files.writeString(dir.resolve("fold_indices.txt"), "0\n1\n");
        return dir;
    }

    /** load and describe (and the fold sizes) must all refuse with the same message. */
    private void assertAllRefuse(Path dir, String... parts) {
        for (Executable call : List.<Executable>of(() -> factory.load(dir, 0), () -> factory.describe(dir),
                () -> factory.predefinedFoldSizes(dir))) {
            assertDataError(call, parts);
        }
    }

    @Test
    void columnMajorPlanesBecomeRowMajorHwc() throws Exception {
        // One image: R plane 10, G 20, B 30, except three pixels written at (channel, row y, col x)
        // in MATLAB's column-major order, i.e. at plane offset x * 96 + y.
        byte[] raw = new byte[IMG];
        Arrays.fill(raw, 0, PLANE, (byte) 10);
        Arrays.fill(raw, PLANE, 2 * PLANE, (byte) 20);
        Arrays.fill(raw, 2 * PLANE, IMG, (byte) 30);
        raw[0 * PLANE + 5 * 96 + 2] = (byte) 200;   // c0, y2, x5
        raw[1 * PLANE + 1 * 96 + 0] = (byte) 150;   // c1, y0, x1
        raw[2 * PLANE + 94 * 96 + 95] = (byte) 255; // c2, y95, x94
        Path dir = writeValid(tmp, 2, 1, 1);
        Files.write(dir.resolve("unlabeled_X.bin"), raw);
        float[] img = image(factory.load(dir, 0).unlabeled(), 0);
        assertEquals(96 * 96 * 3, img.length);
        assertEquals(200 / 255f, img[(2 * 96 + 5) * 3], 1e-6);
        assertEquals(10 / 255f, img[(5 * 96 + 2) * 3], 1e-6, "not transposed");
        assertEquals(20 / 255f, img[(2 * 96 + 5) * 3 + 1], 1e-6);
        assertEquals(150 / 255f, img[(0 * 96 + 1) * 3 + 1], 1e-6);
        assertEquals(20 / 255f, img[(1 * 96 + 0) * 3 + 1], 1e-6, "not transposed");
        assertEquals(1f, img[(95 * 96 + 94) * 3 + 2], 1e-6);
        assertEquals(30 / 255f, img[(94 * 96 + 95) * 3 + 2], 1e-6, "not transposed");
        assertEquals(10 / 255f, img[0], 1e-6);
        assertEquals(30 / 255f, img[img.length - 1], 1e-6);
    }

    @Test
    void roundTripsThroughTheSharedWriterWithFoldsAndClassNames() throws Exception {
        Dataset tiny = FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 2, 1, 11);
        List<int[]> folds = List.of(new int[] {0, 5, 19}, new int[] {3, 2, 1}, new int[] {7, 7, 8});
        FormatWriters.writeStl10(tmp.resolve("stl10_binary"), tiny, folds, true);

        Dataset ds = factory.load(tmp, 0);
        assertEquals("stl10", ds.name());
        assertEquals(new ImageShape(96, 96, 3), ds.shape());
        assertArrayEquals(FormatWriters.uint8(tiny.train()), FormatWriters.uint8(ds.train()));
        assertArrayEquals(tiny.train().labels(), ds.train().labels());
        assertArrayEquals(FormatWriters.uint8(tiny.test()), FormatWriters.uint8(ds.test()));
        assertArrayEquals(tiny.test().labels(), ds.test().labels());
        assertArrayEquals(FormatWriters.uint8(tiny.unlabeled()), FormatWriters.uint8(ds.unlabeled()));
        assertFalse(ds.unlabeled().labelled());
        assertEquals(-1, ds.unlabeled().label(0));
        assertEquals(tiny.classNames(), ds.classNames());
        assertEquals(3, ds.predefinedFolds().size());
        for (int i = 0; i < folds.size(); i++) {
            assertArrayEquals(folds.get(i), ds.predefinedFolds().get(i));
        }
        ds.predefinedFolds().get(0)[0] = 99;
        assertEquals(0, ds.predefinedFolds().get(0)[0], "folds are copies");
        assertTrue(ds.source().contains("unlabeled_X.bin 20 images"), ds.source());

        DatasetInfo info = factory.describe(tmp);
        assertEquals(20, info.trainSize());
        assertEquals(20, info.unlabeledSize());
        assertEquals(10, info.testSize());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, info.trainPerClass());
        assertArrayEquals(new int[] {3, 3, 3}, factory.predefinedFoldSizes(tmp));
    }

    @Test
    void labelBytesOneToTenBecomeZeroToNine() throws Exception {
        Path dir = writeValid(tmp, 3, 2, 1);
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 10, 4});
        Files.write(dir.resolve("test_y.bin"), new byte[] {10, 1});
        Dataset ds = factory.load(dir, 0);
        assertArrayEquals(new int[] {0, 9, 3}, ds.train().labels());
        assertArrayEquals(new int[] {9, 0}, ds.test().labels());
        assertArrayEquals(new int[] {1, 0, 0, 1, 0, 0, 0, 0, 0, 1}, factory.describe(dir).trainPerClass());
        assertEquals(Stl10Factory.DEFAULT_CLASSES, ds.classNames(), "no class_names.txt: the standard names");
    }

    @Test
    void foldsAreIndicesIntoTheTrainSet() throws Exception {
        Path dir = writeValid(tmp, 10, 1, 1);
        Files.writeString(dir.resolve("fold_indices.txt"), "9 0 4 \n\n1 2 3 5 6 7 8\r\n");
        Dataset ds = factory.load(dir, 0);
        assertEquals(2, ds.predefinedFolds().size());
        assertArrayEquals(new int[] {9, 0, 4}, ds.predefinedFolds().get(0));
        assertArrayEquals(new int[] {1, 2, 3, 5, 6, 7, 8}, ds.predefinedFolds().get(1));
        assertArrayEquals(new int[] {3, 7}, factory.predefinedFoldSizes(dir));
        // A fold indexes train, so its labels are those of the train images.
        assertEquals(9, ds.train().subset(ds.predefinedFolds().get(0)).label(0));
    }

    @Test
    void imageFileSizesMustBeWholeImages() throws Exception {
        for (String f : List.of("train_X.bin", "test_X.bin", "unlabeled_X.bin")) {
            Path dir = writeValid(tmp.resolve(f), 2, 2, 2);
            Path bad = dir.resolve(f);
            Files.write(bad, Arrays.copyOf(Files.readAllBytes(bad), 2 * IMG - 7));
            assertAllRefuse(dir, "file " + bad + ": " + (2 * IMG - 7) + " bytes is not a multiple of the 27648-byte image",
                    "truncated?");
        }
    }

    @Test
    void labelFilesMustMatchTheImageCount() throws Exception {
        Path dir = writeValid(tmp.resolve("train"), 3, 2, 1);
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 2});
        assertAllRefuse(dir, "file " + dir.resolve("train_y.bin") + ": 2 labels but " + dir.resolve("train_X.bin")
                + " holds 3 images");
        Path dir2 = writeValid(tmp.resolve("test"), 3, 2, 1);
        Files.write(dir2.resolve("test_y.bin"), new byte[] {1, 2, 3});
        assertDataError(() -> factory.load(dir2, 0), "test_y.bin: 3 labels but", "test_X.bin holds 2 images");
        assertDataError(() -> factory.describe(dir2), "test_y.bin: 3 labels but");
    }

    @Test
    void labelsOutsideOneToTenNameFileAndRecord() throws Exception {
        Path dir = writeValid(tmp.resolve("zero"), 3, 2, 1);
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 0, 2});
        assertAllRefuse(dir, "file " + dir.resolve("train_y.bin") + ": label 0 of record 1 is outside 1..10");
        Path dir2 = writeValid(tmp.resolve("eleven"), 3, 2, 1);
        Files.write(dir2.resolve("test_y.bin"), new byte[] {10, 11});
        assertDataError(() -> factory.load(dir2, 0), "test_y.bin: label 11 of record 1 is outside 1..10");
        assertDataError(() -> factory.describe(dir2), "test_y.bin: label 11 of record 1");
    }

    @Test
    void malformedFoldsNameFileAndLine() throws Exception {
        Path dir = writeValid(tmp, 4, 1, 1);
        Path folds = dir.resolve("fold_indices.txt");
        Files.writeString(folds, "0 1\n2 4\n");
        assertAllRefuse(dir, "file " + folds + " line 2: index 4 is outside 0..3 (train_X.bin holds 4 images)");
        Files.writeString(folds, "0 -1\n");
        assertAllRefuse(dir, "line 1: index -1 is outside 0..3");
        Files.writeString(folds, "0 1\n2,3\n");
        assertAllRefuse(dir, "file " + folds + " line 2: '2,3' is not an index");
        Files.writeString(folds, "\n  \n");
        assertAllRefuse(dir, "file " + folds + ": no folds");
    }

    @Test
    void classNamesFileMustHoldTen() throws Exception {
        Path dir = writeValid(tmp, 2, 1, 1);
        Files.writeString(dir.resolve("class_names.txt"), "a\nb\nc\n");
        assertDataError(() -> factory.load(dir, 0), "class_names.txt: 3 class names; expected 10");
        assertDataError(() -> factory.describe(dir), "class_names.txt: 3 class names");
    }

    @Test
    void missingFilesListedWithDirectoryAndOfficialSource() throws Exception {
        Path dir = writeValid(tmp.resolve("stl10_binary"), 2, 1, 1);
        Files.delete(dir.resolve("unlabeled_X.bin"));
        Files.delete(dir.resolve("fold_indices.txt"));
        DataException e = assertDataError(() -> factory.load(tmp, 0), "missing unlabeled_X.bin, fold_indices.txt in " + dir,
                "train_X.bin, train_y.bin, test_X.bin, test_y.bin, unlabeled_X.bin, fold_indices.txt",
                "http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz", "make data DATASET=stl10");
        assertFalse(e.getMessage().contains("missing train_X"), e.getMessage());
        assertDataError(() -> factory.describe(tmp.resolve("nowhere")), "directory does not exist", "stl10_binary.tar.gz");
        assertDataError(() -> factory.describe(null), "no data directory given", "unlabeled_X.bin", "stl10_binary.tar.gz");
    }

    @Test
    void readsAcrossMappingSegmentBoundaries() throws Exception {
        // 3 images per segment: 11 pool images span 4 mappings, the last one partial.
        byte[] pool = randomPixels(11, 42);
        byte[] train = randomPixels(7, 43);
        Path dir = writeValid(tmp, 7, 1, 1);
        Files.write(dir.resolve("unlabeled_X.bin"), FormatWriters.stl10Images(pool));
        Files.write(dir.resolve("train_X.bin"), FormatWriters.stl10Images(train));
        Files.write(dir.resolve("train_y.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        Stl10Factory small = new Stl10Factory(3);
        Dataset ds = small.load(dir, 0);
        assertEquals(4, ((MappedImages) ds.unlabeled()).segmentCount());
        assertEquals(3, ((MappedImages) ds.train()).segmentCount());
        assertArrayEquals(pool, FormatWriters.uint8(ds.unlabeled()));
        assertArrayEquals(train, FormatWriters.uint8(ds.train()));
        // Out of order, into an offset of a larger batch buffer.
        float[] batch = new float[2 * IMG + 5];
        ds.unlabeled().readImage(10, batch, 5);
        ds.unlabeled().readImage(2, batch, 5 + IMG);
        for (int j = 0; j < IMG; j++) {
            assertEquals((pool[10 * IMG + j] & 0xFF) / 255f, batch[5 + j], 1e-6);
            assertEquals((pool[2 * IMG + j] & 0xFF) / 255f, batch[5 + IMG + j], 1e-6);
        }
        assertArrayEquals(FormatWriters.uint8(ds.unlabeled()), FormatWriters.uint8(new Stl10Factory().load(dir, 0).unlabeled()));
    }

    @Test
    void unlabeledLimitIsASeededSubsetOfThePool() throws Exception {
        byte[] pool = randomPixels(9, 5);
        Path dir = writeValid(tmp, 2, 1, 1);
        Files.write(dir.resolve("unlabeled_X.bin"), FormatWriters.stl10Images(pool));
        Dataset ds = new Stl10Factory(2).load(dir, 4);
        assertEquals(4, ds.unlabeled().size());
        assertFalse(ds.unlabeled().labelled());
        int[] kept = UnlabeledPool.indices(9, 4);
        byte[] got = FormatWriters.uint8(ds.unlabeled());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(Arrays.copyOfRange(pool, kept[i] * IMG, (kept[i] + 1) * IMG),
                    Arrays.copyOfRange(got, i * IMG, (i + 1) * IMG));
        }
        assertTrue(ds.source().contains("4 of 9 images of unlabeled_X.bin"), ds.source());
        assertEquals(9, factory.describe(dir).unlabeledSize());
        assertDataError(() -> factory.load(dir, 10), "stl10: unlabeled limit 10 is larger than the unlabeled pool of 9");
    }

    @Test
    void emptySplitsAreRefusedNamingTheFiles() throws Exception {
        Path d = writeValid(tmp.resolve("t"), 4, 0, 3);
        assertAllRefuse(d, "stl10: the test split is empty", d.resolve("test_X.bin").toString(),
                d.resolve("test_y.bin").toString(), "0 images");
        d = writeValid(tmp.resolve("u"), 4, 2, 0);
        assertAllRefuse(d, "stl10: the unlabeled split is empty", d.resolve("unlabeled_X.bin").toString());
        d = writeValid(tmp.resolve("r"), 0, 2, 3);
        assertAllRefuse(d, "stl10: the train split is empty", d.resolve("train_X.bin").toString());
    }
}
