package org.sslbench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10, binary version: {@code data_batch_1.bin}..{@code data_batch_5.bin} and
 * {@code test_batch.bin} in the data directory or its {@code cifar-10-batches-bin/} subdirectory.
 * Each record is one label byte and 3072 pixel bytes as three 32×32 planes (R, G, B); they are
 * converted to HWC. Files may hold any number of records, so subsets and custom data in this format
 * load too, but the train batches together and the test batch must hold at least one record each
 * (an empty split is refused by {@link #describe} and {@link #load}). Class names come from {@code batches.meta.txt} (one per line) when present.
 */
public final class Cifar10BinaryFactory implements DatasetFactory {
    public static final String NAME = "cifar10";
    public static final String OFFICIAL_SOURCE = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    static final ImageShape SHAPE = new ImageShape(32, 32, 3);
    static final int PLANE = 32 * 32;
    static final int RECORD = 1 + 3 * PLANE;
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    static final String META_FILE = "batches.meta.txt";
    static final List<String> DEFAULT_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "CIFAR-10, 32x32 colour, 10 classes, 50k train / 10k test (binary version, " + OFFICIAL_SOURCE + ")";
    }

    /** Sizes from the file lengths and per-class counts from the label bytes alone. */
    @Override
    public DatasetInfo describe(Path dataDir) throws DataException {
        List<Path> files = locate(dataDir);
        List<String> classes = classNames(files.get(0).getParent());
        int[] perClass = new int[classes.size()];
        int train = 0;
        for (Path f : files.subList(0, TRAIN_FILES.size())) {
            train += countLabels(f, classes.size(), perClass);
        }
        int test = countLabels(files.get(TRAIN_FILES.size()), classes.size(), new int[classes.size()]);
        checkNotEmpty(files, train, test);
        return new DatasetInfo(NAME, SHAPE, classes, train, train, perClass, test);
    }

    @Override
    public Dataset load(Path dataDir, int unlabeledLimit) throws DataException, IOException {
        List<Path> files = locate(dataDir);
        List<String> classes = classNames(files.get(0).getParent());
        List<String> checksums = new ArrayList<>();
        int trainRecords = 0;
        for (Path f : files.subList(0, TRAIN_FILES.size())) {
            trainRecords += records(f);
        }
        checkNotEmpty(files, trainRecords, records(files.get(TRAIN_FILES.size())));
        ArrayImageSet train = read(files.subList(0, TRAIN_FILES.size()), classes.size(), checksums);
        ArrayImageSet test = read(files.subList(TRAIN_FILES.size(), files.size()), classes.size(), checksums);
        ImageSet pool = UnlabeledPool.of(NAME, train, unlabeledLimit);
        String source = NAME + " from " + files.get(0).toAbsolutePath().getParent() + " ("
                + String.join(", ", checksums) + "); " + UnlabeledPool.describe(train.size(), unlabeledLimit);
        return new LoadedDataset(NAME, SHAPE, classes, pool, train, test, source);
    }

    private static final String HOW_TO_GET = "Download the binary version from " + OFFICIAL_SOURCE
            + " and unpack it there.";

    private static List<Path> locate(Path dataDir) throws DataException {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return DataFiles.locate(NAME, dataDir, "cifar-10-batches-bin", all, false, HOW_TO_GET);
    }

    /** The train split is all five batches, the test split the test batch; neither may be empty. */
    private static void checkNotEmpty(List<Path> files, int train, int test) throws DataException {
        DataFiles.checkNotEmpty(NAME, "train", train, String.join(", ", files.subList(0, TRAIN_FILES.size())
                .stream().map(Path::toString).toList()), HOW_TO_GET);
        DataFiles.checkNotEmpty(NAME, "test", test, files.get(TRAIN_FILES.size()).toString(), HOW_TO_GET);
    }

    /** Names from {@code batches.meta.txt} (one per line, blank lines ignored), else the standard ten. */
    static List<String> classNames(Path dir) throws DataException {
        Path meta = dir.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return DEFAULT_CLASSES;
        }
        try {
            List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (names.isEmpty() || names.size() > 256) {
                throw new DataException("file " + meta + ": " + names.size()
                        + " class names; expected one per line, 1 to 256 (labels are single bytes)");
            }
            return names;
        } catch (IOException e) {
            throw DataFiles.unreadable(meta.toString(), e);
        }
    }

    /** Records in {@code file}, which must be a whole number of them. */
    private static int records(Path file) throws DataException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw DataFiles.unreadable(file.toString(), e);
        }
        if (size % RECORD != 0) {
            throw new DataException("file " + file + ": " + size + " bytes is not a multiple of the " + RECORD
                    + "-byte record (1 label byte + 3072 pixel bytes; truncated?)");
        }
        return Math.toIntExact(size / RECORD);
    }

    /** Reads just the label byte of each record, checking it and adding it to {@code counts}. */
    private static int countLabels(Path file, int classes, int[] counts) throws DataException {
        int n = records(file);
        ByteBuffer one = ByteBuffer.allocate(1);
        try (FileChannel ch = FileChannel.open(file)) {
            for (int r = 0; r < n; r++) {
                one.clear();
                if (ch.read(one, (long) r * RECORD) != 1) {
                    throw new DataException("file " + file + ": shrank while reading record " + r);
                }
                int label = one.get(0) & 0xFF;
                DataFiles.checkLabel(file.toString(), r, label, classes);
                counts[label]++;
            }
        } catch (IOException e) {
            throw DataFiles.unreadable(file.toString(), e);
        }
        return n;
    }

    private static ArrayImageSet read(List<Path> files, int classes, List<String> checksums)
            throws DataException, IOException {
        long total = 0;
        int[] records = new int[files.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = records(files.get(i));
            total += records[i];
        }
        if (total * SHAPE.size() > Integer.MAX_VALUE - 64) {
            throw new DataException(NAME + ": " + total + " images in " + files + " are more than one array can hold");
        }
        byte[] pixels = new byte[(int) total * SHAPE.size()];
        int[] labels = new int[(int) total];
        int n = 0;
        for (int i = 0; i < records.length; i++) {
            Path file = files.get(i);
            byte[] b = Files.readAllBytes(file);
            if (b.length != (long) records[i] * RECORD) {
                throw new DataException("file " + file + ": changed size while being read");
            }
            checksums.add(file.getFileName() + " sha256:" + DataFiles.shortSha256(b));
            for (int r = 0; r < records[i]; r++, n++) {
                int src = r * RECORD;
                labels[n] = b[src] & 0xFF;
                DataFiles.checkLabel(file.toString(), r, labels[n], classes);
                // Planes R, G, B of PLANE bytes each, row-major -> interleaved HWC.
                int dst = n * SHAPE.size();
                for (int p = 0; p < PLANE; p++) {
                    pixels[dst + 3 * p] = b[src + 1 + p];
                    pixels[dst + 3 * p + 1] = b[src + 1 + PLANE + p];
                    pixels[dst + 3 * p + 2] = b[src + 1 + 2 * PLANE + p];
                }
            }
        }
        return new ArrayImageSet(SHAPE, pixels, labels);
    }
}
