package org.sslbench.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fashion-MNIST's files, classes and the describe/load logic its two factories share. */
final class FashionMnist {
    static final ImageShape SHAPE = new ImageShape(28, 28, 1);
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private FashionMnist() {
    }

    /** Where the four files come from: a directory, or the classpath for the embedded subset. */
    interface Source {
        /** The directory or classpath folder, for {@link Dataset#source()}. */
        String where();

        /** Full name of {@code file} (one of {@link #FILES}) for messages. */
        String name(String file);

        /** The file's stored bytes (raw or gzipped). */
        InputStream open(String file) throws IOException, DataException;
    }

    /** Files found in a directory by {@link DataFiles#locate}, in the order of {@link #FILES}. */
    static Source directory(List<Path> paths) {
        return new Source() {
            @Override public String where() { return String.valueOf(paths.get(0).toAbsolutePath().getParent()); }
            @Override public String name(String file) { return paths.get(FILES.indexOf(file)).toString(); }
            @Override public InputStream open(String file) throws IOException {
                return Files.newInputStream(paths.get(FILES.indexOf(file)));
            }
        };
    }

    /** Counts from the image headers and the (small) label files; no pixels are read. */
    static DatasetInfo describe(String dataset, Source src) throws DataException {
        IdxFiles.ImageHeader train = header(src, TRAIN_IMAGES);
        IdxFiles.ImageHeader test = header(src, TEST_IMAGES);
        int[] trainLabels = labels(src, TRAIN_LABELS);
        IdxFiles.checkPaired(src.name(TRAIN_IMAGES), train.count(), src.name(TRAIN_LABELS), trainLabels.length);
        IdxFiles.checkPaired(src.name(TEST_IMAGES), test.count(), src.name(TEST_LABELS), labels(src, TEST_LABELS).length);
        checkNotEmpty(dataset, src, train.count(), test.count());
        return new DatasetInfo(dataset, SHAPE, CLASSES, train.count(), train.count(),
                DataFiles.perClass(trainLabels, CLASSES.size()), test.count());
    }

    static Dataset load(String dataset, Source src, int unlabeledLimit) throws DataException, IOException {
        List<String> checksums = new ArrayList<>();
        ArrayImageSet train = read(src, TRAIN_IMAGES, TRAIN_LABELS, checksums);
        ArrayImageSet test = read(src, TEST_IMAGES, TEST_LABELS, checksums);
        checkNotEmpty(dataset, src, train.size(), test.size());
        ImageSet pool = UnlabeledPool.of(dataset, train, unlabeledLimit);
        String source = dataset + " from " + src.where() + " (" + String.join(", ", checksums) + "); "
                + UnlabeledPool.describe(train.size(), unlabeledLimit);
        return new LoadedDataset(dataset, SHAPE, CLASSES, pool, train, test, source);
    }

    /** Train (also the unlabeled pool) and test must each hold an image; the message names the IDX files. */
    private static void checkNotEmpty(String dataset, Source src, int train, int test) throws DataException {
        String howToGet = "`apt-get install dataset-fashion-mnist` provides the full files in "
                + FashionMnistFactory.DEFAULT_DIR + ".";
        DataFiles.checkNotEmpty(dataset, "train", train, src.name(TRAIN_IMAGES) + " and " + src.name(TRAIN_LABELS),
                howToGet);
        DataFiles.checkNotEmpty(dataset, "test", test, src.name(TEST_IMAGES) + " and " + src.name(TEST_LABELS),
                howToGet);
    }

    private static ArrayImageSet read(Source src, String images, String labels, List<String> checksums)
            throws DataException, IOException {
        byte[] imageBytes = bytes(src, images);
        byte[] labelBytes = bytes(src, labels);
        for (String f : List.of(images, labels)) {
            String n = src.name(f);
            checksums.add(n.substring(n.lastIndexOf('/') + 1) + " sha256:"
                    + DataFiles.shortSha256(f.equals(images) ? imageBytes : labelBytes));
        }
        ArrayImageSet set = IdxFiles.read(src.name(images), new ByteArrayInputStream(imageBytes),
                src.name(labels), new ByteArrayInputStream(labelBytes), CLASSES.size());
        checkShape(src.name(images), set.shape());
        return set;
    }

    private static IdxFiles.ImageHeader header(Source src, String file) throws DataException {
        try (InputStream in = src.open(file)) {
            IdxFiles.ImageHeader h = IdxFiles.readImageHeader(src.name(file), in);
            checkShape(src.name(file), h.shape());
            return h;
        } catch (IOException e) {
            throw DataFiles.unreadable(src.name(file), e);
        }
    }

    private static int[] labels(Source src, String file) throws DataException {
        try (InputStream in = src.open(file)) {
            return IdxFiles.readLabels(src.name(file), in, CLASSES.size());
        } catch (IOException e) {
            throw DataFiles.unreadable(src.name(file), e);
        }
    }

    private static byte[] bytes(Source src, String file) throws DataException {
        try (InputStream in = src.open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw DataFiles.unreadable(src.name(file), e);
        }
    }

    private static void checkShape(String file, ImageShape shape) throws DataException {
        if (!shape.equals(SHAPE)) {
            throw new DataException("file " + file + ": images are " + shape.height() + "x" + shape.width()
                    + ", expected " + SHAPE.height() + "x" + SHAPE.width() + " (Fashion-MNIST)");
        }
    }
}
