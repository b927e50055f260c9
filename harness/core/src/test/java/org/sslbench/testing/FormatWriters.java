package org.sslbench.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.data.LoadedDataset;

/**
 * Writes datasets byte-exact in the official file formats (IDX for MNIST / Fashion-MNIST, the
 * CIFAR-10 and STL-10 binary versions) and makes tiny synthetic datasets, for tests of loaders and of anything
 * that reads data. Deliberately independent of the production readers and writers: the byte layout
 * is spelled out here, so a mistake in production code cannot be mirrored by its own test oracle.
 */
public final class FormatWriters {
    public static final int IDX_IMAGES_MAGIC = 0x00000803;
    public static final int IDX_LABELS_MAGIC = 0x00000801;
    public static final ImageShape FASHION_SHAPE = new ImageShape(28, 28, 1);
    public static final ImageShape CIFAR_SHAPE = new ImageShape(32, 32, 3);
    public static final List<String> CIFAR_TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String CIFAR_TEST_FILE = "test_batch.bin";
    public static final ImageShape STL10_SHAPE = new ImageShape(96, 96, 3);
    /** Bytes of one STL-10 image: 3 planes of 96×96. */
    public static final int STL10_IMAGE_BYTES = 3 * 96 * 96;

    private FormatWriters() {
    }

    /** An uncompressed IDX images file: magic, count, rows, cols (big-endian ints), then the pixels. */
    public static byte[] idxImages(int rows, int cols, byte[] pixels) {
        if (pixels.length % (rows * cols) != 0) {
            throw new IllegalArgumentException(pixels.length + " pixels are not whole " + rows + "x" + cols + " images");
        }
        return ByteBuffer.allocate(16 + pixels.length) // ByteBuffer is big-endian by default, as IDX is
                .putInt(IDX_IMAGES_MAGIC).putInt(pixels.length / (rows * cols)).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    /** An uncompressed IDX labels file: magic, count, then one byte per label. */
    public static byte[] idxLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(IDX_LABELS_MAGIC).putInt(labels.length);
        for (int label : labels) {
            b.put((byte) label);
        }
        return b.array();
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    public static Path writeIdxImages(Path file, int rows, int cols, byte[] pixels, boolean gzip) throws IOException {
        byte[] raw = idxImages(rows, cols, pixels);
        return Files.write(file, gzip ? gzip(raw) : raw);
    }

    public static Path writeIdxLabels(Path file, int[] labels, boolean gzip) throws IOException {
        byte[] raw = idxLabels(labels);
        return Files.write(file, gzip ? gzip(raw) : raw);
    }

    /**
     * CIFAR-10 binary records from 32×32×3 HWC pixels: per image one label byte, then the 1024 red,
     * 1024 green and 1024 blue values, each plane row-major.
     */
    public static byte[] cifar10Records(int[] labels, byte[] hwcPixels) {
        int plane = 32 * 32;
        if (hwcPixels.length != labels.length * 3 * plane) {
            throw new IllegalArgumentException(labels.length + " labels need " + labels.length * 3 * plane + " pixels");
        }
        byte[] out = new byte[labels.length * (1 + 3 * plane)];
        for (int i = 0; i < labels.length; i++) {
            int rec = i * (1 + 3 * plane);
            out[rec] = (byte) labels[i];
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    out[rec + 1 + c * plane + p] = hwcPixels[(i * plane + p) * 3 + c];
                }
            }
        }
        return out;
    }

    public static Path writeCifar10Batch(Path file, int[] labels, byte[] hwcPixels) throws IOException {
        return Files.write(file, cifar10Records(labels, hwcPixels));
    }

    /** A set's pixels back as uint8 HWC (exact for sets read from uint8 data). */
    public static byte[] uint8(ImageSet set) {
        int n = set.shape().size();
        float[] img = new float[n];
        byte[] out = new byte[set.size() * n];
        for (int i = 0; i < set.size(); i++) {
            set.readImage(i, img, 0);
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (byte) Math.round(img[j] * 255f);
            }
        }
        return out;
    }

    /**
     * A tiny labelled dataset that a model can learn: image {@code i} has label {@code i % classes}
     * (so every prefix is balanced) and is bright on the diagonal stripes {@code (x + y) % classes ==
     * label}, dark elsewhere, plus seeded noise. The unlabeled pool is the train images, labels hidden.
     */
    public static Dataset tinyDataset(ImageShape shape, int classes, int trainPerClass, int testPerClass, long seed) {
        Random rnd = new Random(seed);
        ImageSet train = tinySet(shape, classes, trainPerClass * classes, rnd);
        ImageSet test = tinySet(shape, classes, testPerClass * classes, rnd);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return new LoadedDataset("tiny", shape, names, train.withoutLabels(), train, test,
                "synthetic tiny dataset (seed " + seed + ")");
    }

    /** 28×28×1 (writable as Fashion-MNIST), 10 classes, 4 train and 2 test images per class. */
    public static Dataset tinyDataset() {
        return tinyDataset(FASHION_SHAPE, 10, 4, 2, 42);
    }

    private static ImageSet tinySet(ImageShape shape, int classes, int n, Random rnd) {
        byte[] pixels = new byte[n * shape.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    int base = (x + y) % classes == labels[i] ? 192 : 0;
                    for (int c = 0; c < shape.channels(); c++) {
                        pixels[i * shape.size() + (y * shape.width() + x) * shape.channels() + c] = (byte) (base + rnd.nextInt(64));
                    }
                }
            }
        }
        return new ArrayImageSet(shape, pixels, labels);
    }

    /** Writes a 28×28×1 dataset as the four Fashion-MNIST IDX files in {@code dir}. */
    public static void writeFashionMnist(Path dir, Dataset ds, boolean gzip) throws IOException {
        if (!ds.shape().equals(FASHION_SHAPE)) {
            throw new IllegalArgumentException("Fashion-MNIST files hold 28x28x1 images, not " + ds.shape());
        }
        Files.createDirectories(dir);
        String gz = gzip ? ".gz" : "";
        writeIdxImages(dir.resolve("train-images-idx3-ubyte" + gz), 28, 28, uint8(ds.train()), gzip);
        writeIdxLabels(dir.resolve("train-labels-idx1-ubyte" + gz), ds.train().labels(), gzip);
        writeIdxImages(dir.resolve("t10k-images-idx3-ubyte" + gz), 28, 28, uint8(ds.test()), gzip);
        writeIdxLabels(dir.resolve("t10k-labels-idx1-ubyte" + gz), ds.test().labels(), gzip);
    }

    /** Writes a 32×32×3 dataset as CIFAR-10 binary files in {@code dir}, the train split spread over the five batches. */
    public static void writeCifar10(Path dir, Dataset ds) throws IOException {
        if (!ds.shape().equals(CIFAR_SHAPE)) {
            throw new IllegalArgumentException("CIFAR-10 files hold 32x32x3 images, not " + ds.shape());
        }
        Files.createDirectories(dir);
        int n = ds.train().size();
        int[] labels = ds.train().labels();
        byte[] pixels = uint8(ds.train());
        int size = CIFAR_SHAPE.size();
        for (int b = 0; b < CIFAR_TRAIN_FILES.size(); b++) {
            int from = n * b / CIFAR_TRAIN_FILES.size();
            int to = n * (b + 1) / CIFAR_TRAIN_FILES.size();
            byte[] part = Arrays.copyOfRange(pixels, from * size, to * size);
            writeCifar10Batch(dir.resolve(CIFAR_TRAIN_FILES.get(b)), Arrays.copyOfRange(labels, from, to), part);
        }
        writeCifar10Batch(dir.resolve(CIFAR_TEST_FILE), ds.test().labels(), uint8(ds.test()));
    }

    /**
     * STL-10 {@code *_X.bin} bytes from 96×96×3 HWC pixels: per image the red, green and blue planes,
     * each column-major as MATLAB writes it, i.e. plane byte {@code x * 96 + y} is row {@code y},
     * column {@code x}.
     */
    public static byte[] stl10Images(byte[] hwcPixels) {
        int side = 96;
        int plane = side * side;
        if (hwcPixels.length % STL10_IMAGE_BYTES != 0) {
            throw new IllegalArgumentException(hwcPixels.length + " pixels are not whole 96x96x3 images");
        }
        byte[] out = new byte[hwcPixels.length];
        for (int i = 0; i < hwcPixels.length / STL10_IMAGE_BYTES; i++) {
            int base = i * STL10_IMAGE_BYTES;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        out[base + c * plane + x * side + y] = hwcPixels[base + (y * side + x) * 3 + c];
                    }
                }
            }
        }
        return out;
    }

    /** STL-10 {@code *_y.bin} bytes: one byte per image, the 0-based label plus one (1..10). */
    public static byte[] stl10Labels(int[] labels) {
        byte[] out = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = (byte) (labels[i] + 1);
        }
        return out;
    }

    /** {@code fold_indices.txt}: one line per fold of space-separated 0-based train indices. */
    public static String stl10Folds(List<int[]> folds) {
        StringBuilder sb = new StringBuilder();
        for (int[] fold : folds) {
            for (int j = 0; j < fold.length; j++) {
                sb.append(j == 0 ? "" : " ").append(fold[j]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes a 96×96×3 dataset as the STL-10 binary files in {@code dir}: train/test images and
     * labels, {@code unlabeled_X.bin} from {@code ds.unlabeled()}, {@code fold_indices.txt} and, when
     * {@code classNames} is true, {@code class_names.txt}.
     */
    public static void writeStl10(Path dir, Dataset ds, List<int[]> folds, boolean classNames) throws IOException {
        if (!ds.shape().equals(STL10_SHAPE)) {
            throw new IllegalArgumentException("STL-10 files hold 96x96x3 images, not " + ds.shape());
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("train_X.bin"), stl10Images(uint8(ds.train())));
        Files.write(dir.resolve("train_y.bin"), stl10Labels(ds.train().labels()));
        Files.write(dir.resolve("test_X.bin"), stl10Images(uint8(ds.test())));
        Files.write(dir.resolve("test_y.bin"), stl10Labels(ds.test().labels()));
        Files.write(dir.resolve("unlabeled_X.bin"), stl10Images(uint8(ds.unlabeled())));
        Files.writeString(dir.resolve("fold_indices.txt"), stl10Folds(folds));
        if (classNames) {
            Files.write(dir.resolve("class_names.txt"), ds.classNames());
        }
    }
}
