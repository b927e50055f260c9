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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

class Cifar10BinaryFactoryTest {
    private static final int RECORD = 3073;
    @TempDir Path tmp;
    private final Cifar10BinaryFactory factory = new Cifar10BinaryFactory();

    /** Records with the given labels and all pixels 0. */
    private static byte[] blank(int... labels) {
        return FormatWriters.cifar10Records(labels, new byte[labels.length * 3072]);
    }

    /** Train batches with the given record counts (labels 0,1,2,... mod 10 across all) and a test batch. */
    private void writeBatches(int[] perBatch, int testRecords) throws Exception {
        int next = 0;
        for (int b = 0; b < 5; b++) {
            int[] labels = new int[perBatch[b]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = next++ % 10;
            }
            Files.write(tmp.resolve(FormatWriters.CIFAR_TRAIN_FILES.get(b)), blank(labels));
        }
        Files.write(tmp.resolve("test_batch.bin"), blank(new int[testRecords]));
    }

    @Test
    void convertsRgbPlanesToHwc() throws Exception {
        // One hand-built record: label 7, R plane 10 but 200 at (row 2, col 5), G plane 20 but 150
        // at (0, 1), B plane 30 but 255 at (31, 31).
        byte[] rec = new byte[RECORD];
        rec[0] = 7;
        Arrays.fill(rec, 1, 1 + 1024, (byte) 10);
        Arrays.fill(rec, 1 + 1024, 1 + 2048, (byte) 20);
        Arrays.fill(rec, 1 + 2048, RECORD, (byte) 30);
        rec[1 + 2 * 32 + 5] = (byte) 200;
        rec[1 + 1024 + 1] = (byte) 150;
        rec[1 + 2048 + 31 * 32 + 31] = (byte) 255;
        for (String f : FormatWriters.CIFAR_TRAIN_FILES) {
            Files.write(tmp.resolve(f), rec);
        }
        Files.write(tmp.resolve("test_batch.bin"), rec);

        Dataset ds = factory.load(tmp, 0);
        assertEquals(new ImageShape(32, 32, 3), ds.shape());
        assertEquals(5, ds.train().size());
        assertEquals(7, ds.train().label(4));
        float[] img = image(ds.test(), 0);
        int at25 = (2 * 32 + 5) * 3;
        assertEquals(200 / 255f, img[at25], 1e-6);
        assertEquals(20 / 255f, img[at25 + 1], 1e-6);
        assertEquals(30 / 255f, img[at25 + 2], 1e-6);
        assertEquals(150 / 255f, img[(0 * 32 + 1) * 3 + 1], 1e-6);
        assertEquals(10 / 255f, img[(0 * 32 + 1) * 3], 1e-6);
        assertEquals(1f, img[(31 * 32 + 31) * 3 + 2], 1e-6);
        assertEquals(30 / 255f, img[2], 1e-6);
    }

    @Test
    void roundTripsThroughTheSharedWriter() throws Exception {
        Dataset tiny = FormatWriters.tinyDataset(new ImageShape(32, 32, 3), 10, 3, 2, 7);
        FormatWriters.writeCifar10(tmp.resolve("cifar-10-batches-bin"), tiny);
        Dataset ds = factory.load(tmp, 0);
        assertArrayEquals(FormatWriters.uint8(tiny.train()), FormatWriters.uint8(ds.train()));
        assertArrayEquals(tiny.train().labels(), ds.train().labels());
        assertArrayEquals(FormatWriters.uint8(tiny.test()), FormatWriters.uint8(ds.test()));
        assertEquals(Cifar10BinaryFactory.DEFAULT_CLASSES, ds.classNames());
        assertFalse(ds.unlabeled().labelled());
        assertEquals(30, ds.unlabeled().size());
        assertTrue(ds.source().contains("data_batch_1.bin sha256:"), ds.source());
    }

    @Test
    void anyNumberOfRecordsPerFileInFileOrder() throws Exception {
        writeBatches(new int[] {0, 1, 3, 2, 7}, 4);
        Dataset ds = factory.load(tmp, 0);
        assertEquals(13, ds.train().size());
        assertEquals(4, ds.test().size());
        int[] expected = new int[13];
        Arrays.setAll(expected, i -> i % 10);
        assertArrayEquals(expected, ds.train().labels());

        DatasetInfo info = factory.describe(tmp);
        assertEquals(13, info.trainSize());
        assertEquals(4, info.testSize());
        assertArrayEquals(new int[] {2, 2, 2, 1, 1, 1, 1, 1, 1, 1}, info.trainPerClass());
    }

    @Test
    void sizeNotAMultipleOfTheRecordNamesFileAndSize() throws Exception {
        writeBatches(new int[] {1, 1, 1, 1, 1}, 1);
        Path bad = tmp.resolve("data_batch_3.bin");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(bad), RECORD + 5));
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> factory.load(tmp, 0), () -> factory.describe(tmp))) {
            assertDataError(call, "file " + bad + ": 3078 bytes is not a multiple of the 3073-byte record", "truncated?");
        }
    }

    @Test
    void labelOutOfRangeNamesFileAndRecord() throws Exception {
        writeBatches(new int[] {1, 1, 1, 1, 1}, 0);
        Path test = Files.write(tmp.resolve("test_batch.bin"), blank(0, 9, 10));
        assertDataError(() -> factory.load(tmp, 0), "file " + test + ": label 10 of record 2 is outside 0..9");
        assertDataError(() -> factory.describe(tmp), "file " + test + ": label 10 of record 2");
    }

    @Test
    void classNamesFromBatchesMeta() throws Exception {
        writeBatches(new int[] {1, 1, 1, 0, 0}, 1);
        Files.writeString(tmp.resolve("batches.meta.txt"), "cat\ndog\n  bird \n\n\n");
        Dataset ds = factory.load(tmp, 0);
        assertEquals(List.of("cat", "dog", "bird"), ds.classNames());
        assertEquals(3, factory.describe(tmp).classes());
        Files.write(tmp.resolve("data_batch_5.bin"), blank(3));
        assertDataError(() -> factory.describe(tmp), "data_batch_5.bin: label 3 of record 0 is outside 0..2");
    }

    @Test
    void missingFilesListedWithDirectoryAndOfficialSource() throws Exception {
        writeBatches(new int[] {1, 1, 1, 1, 1}, 1);
        Files.delete(tmp.resolve("data_batch_4.bin"));
        DataException e = assertDataError(() -> factory.load(tmp, 0), "missing data_batch_4.bin in " + tmp,
                "data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin",
                tmp.resolve("cifar-10-batches-bin").toString(), "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
        assertFalse(e.getMessage().contains("missing data_batch_1"), e.getMessage());
        assertDataError(() -> factory.describe(null), "no data directory given", "test_batch.bin", "cifar-10-binary.tar.gz");
    }

    @Test
    void unlabeledLimitTooLarge() throws Exception {
        writeBatches(new int[] {1, 1, 1, 1, 1}, 1);
        assertEquals(3, factory.load(tmp, 3).unlabeled().size());
        assertDataError(() -> factory.load(tmp, 6), "cifar10: unlabeled limit 6 is larger than the unlabeled pool of 5");
    }

    @Test
    void emptyTestOrTrainSplitIsRefusedNamingTheFiles() throws Exception {
        writeBatches(new int[] {3, 2, 1, 1, 1}, 0); // test_batch.bin is 0 bytes
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> factory.describe(tmp), () -> factory.load(tmp, 0))) {
            assertDataError(call, "cifar10: the test split is empty", tmp.resolve("test_batch.bin").toString(),
                    "0 images", Cifar10BinaryFactory.OFFICIAL_SOURCE);
        }
        writeBatches(new int[] {0, 0, 0, 0, 0}, 4);
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> factory.describe(tmp), () -> factory.load(tmp, 0))) {
            assertDataError(call, "cifar10: the train split is empty", tmp.resolve("data_batch_1.bin").toString(),
                    tmp.resolve("data_batch_5.bin").toString());
        }
    }

    @Test
    void singleEmptyBatchIsFineWhileItsSplitIsNot() throws Exception {
        // The validation layout of bench/repro/cifar10-val-split.sh: data_batch_5.bin is empty.
        writeBatches(new int[] {2, 2, 2, 2, 0}, 3);
        assertEquals(8, factory.describe(tmp).trainSize());
        assertEquals(3, factory.describe(tmp).testSize());
        Dataset ds = factory.load(tmp, 0);
        assertEquals(8, ds.train().size());
        assertEquals(3, ds.test().size());
    }
}
