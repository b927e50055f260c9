package org.sslbench.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * STL-10, binary version ({@value #OFFICIAL_SOURCE}): {@code train_X.bin}, {@code train_y.bin},
 * {@code test_X.bin}, {@code test_y.bin}, {@code unlabeled_X.bin} and {@code fold_indices.txt} in
 * the data directory or its {@code stl10_binary/} subdirectory; {@code class_names.txt} is read when
 * present. Images are 3×96×96 uint8, each channel plane column-major (see {@link Stl10Images});
 * labels are bytes 1..10 and become 0..9. The unlabeled pool is {@code unlabeled_X.bin} (100,000
 * images, 2.7 GB), memory-mapped and converted per image, never loaded; train (5,000) and test
 * (8,000) are mapped the same way. {@code fold_indices.txt} holds the ten predefined label folds,
 * one per line, as 0-based indices into the train set ({@link Dataset#predefinedFolds()}).
 *
 * <p>Files may hold any number of images, so subsets and generated data in this format load too, but
 * train, test and unlabeled must each hold at least one (an empty split is refused).
 */
public final class Stl10Factory implements DatasetFactory {
    public static final String NAME = "stl10";
    public static final String OFFICIAL_SOURCE = "http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz";
    public static final String SUBDIR = "stl10_binary";
    public static final String TRAIN_X = "train_X.bin";
    public static final String TRAIN_Y = "train_y.bin";
    public static final String TEST_X = "test_X.bin";
    public static final String TEST_Y = "test_y.bin";
    public static final String UNLABELED_X = "unlabeled_X.bin";
    public static final String FOLDS = "fold_indices.txt";
    public static final String CLASS_NAMES = "class_names.txt";
    /** What the loader needs; {@link #CLASS_NAMES} is optional (the standard names are used without it). */
    public static final List<String> REQUIRED_FILES = List.of(TRAIN_X, TRAIN_Y, TEST_X, TEST_Y, UNLABELED_X, FOLDS);
    static final List<String> DEFAULT_CLASSES = List.of("airplane", "bird", "car", "cat", "deer", "dog", "horse",
            "monkey", "ship", "truck");
    static final int CLASSES = 10;

    private final int imagesPerSegment;

    public Stl10Factory() {
        this(Stl10Images.DEFAULT_IMAGES_PER_SEGMENT);
    }

    /** @param imagesPerSegment whole images per memory mapping (tests use a few to cross segment boundaries) */
    Stl10Factory(int imagesPerSegment) {
        this.imagesPerSegment = imagesPerSegment;
    }

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "STL-10, 96x96 colour, 10 classes, 100k unlabeled (memory-mapped) / 5k train in 10 predefined folds"
                + " / 8k test (binary version, " + OFFICIAL_SOURCE + ")";
    }

    /** Sizes from the image file lengths, counts from the label files, and the folds checked; no pixels read. */
    @Override
    public DatasetInfo describe(Path dataDir) throws DataException {
        Checked c = check(dataDir);
        return new DatasetInfo(NAME, Stl10Images.SHAPE, c.classes, c.poolSize, c.trainLabels.length,
                DataFiles.perClass(c.trainLabels, CLASSES), c.testLabels.length);
    }

    /** The fold lengths, after the same checks as {@link #describe}. */
    @Override
    public int[] predefinedFoldSizes(Path dataDir) throws DataException {
        return check(dataDir).folds.stream().mapToInt(a -> a.length).toArray();
    }

    @Override
    public Dataset load(Path dataDir, int unlabeledLimit) throws DataException, IOException {
        Checked c = check(dataDir);
        Located f = c.files;
        ImageSet train = Stl10Images.map(f.trainX, c.trainLabels.length, imagesPerSegment, c.trainLabels);
        ImageSet test = Stl10Images.map(f.testX, c.testLabels.length, imagesPerSegment, c.testLabels);
        ImageSet pool = UnlabeledPool.of(NAME, Stl10Images.map(f.unlabeledX, c.poolSize, imagesPerSegment, null),
                unlabeledLimit);
        // Pixel files are not hashed here (3 GB); `sslbench data` checks their published MD5s.
        String source = NAME + " from " + f.trainX.toAbsolutePath().getParent() + " (" + TRAIN_X + " "
                + c.trainLabels.length + ", " + TEST_X + " " + c.testLabels.length + ", " + UNLABELED_X + " "
                + c.poolSize + " images; " + TRAIN_Y + " sha256:" + f.sha(f.trainY) + ", " + TEST_Y + " sha256:"
                + f.sha(f.testY) + ", " + FOLDS + " sha256:" + f.sha(f.folds) + "); unlabeled pool: "
                + (unlabeledLimit == 0 || unlabeledLimit == c.poolSize
                        ? "all " + c.poolSize + " images of " + UNLABELED_X
                        : unlabeledLimit + " of " + c.poolSize + " images of " + UNLABELED_X + " (seed 0x"
                                + Long.toHexString(UnlabeledPool.SEED) + ")");
        return new Stl10Dataset(new LoadedDataset(NAME, Stl10Images.SHAPE, c.classes, pool, train, test, source),
                c.folds);
    }

    /** Everything but the pixels, validated: file sizes, labels, folds, class names. */
    private record Checked(Located files, List<String> classes, int[] trainLabels, int[] testLabels,
                           List<int[]> folds, int poolSize) {
    }

    private static Checked check(Path dataDir) throws DataException {
        Located f = locate(dataDir);
        int[] train = f.trainLabels();
        int[] test = f.testLabels();
        int pool = f.images(f.unlabeledX);
        String howToGet = "The official archive is " + OFFICIAL_SOURCE + ".";
        DataFiles.checkNotEmpty(NAME, "train", train.length, f.trainX + " and " + f.trainY, howToGet);
        DataFiles.checkNotEmpty(NAME, "test", test.length, f.testX + " and " + f.testY, howToGet);
        DataFiles.checkNotEmpty(NAME, "unlabeled", pool, f.unlabeledX.toString(), howToGet);
        List<int[]> folds = f.folds(train.length);
        return new Checked(f, f.classNames(), train, test, folds, pool);
    }

    private static Located locate(Path dataDir) throws DataException {
        List<Path> p = DataFiles.locate(NAME, dataDir, SUBDIR, REQUIRED_FILES, false,
                "Download " + OFFICIAL_SOURCE + " (about 2.6 GB) and unpack it there, or run `make data DATASET=stl10"
                        + (dataDir == null ? "" : " DATA=" + Shell.quote(dataDir)) + "`.");
        return new Located(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5));
    }

    /** The located files and the checks on them. */
    private record Located(Path trainX, Path trainY, Path testX, Path testY, Path unlabeledX, Path folds) {
        /** Images in an {@code *_X.bin} file, which must be a whole number of them. */
        int images(Path file) throws DataException {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw DataFiles.unreadable(file.toString(), e);
            }
            if (size % Stl10Images.IMAGE_BYTES != 0) {
                throw new DataException("file " + file + ": " + size + " bytes is not a multiple of the "
                        + Stl10Images.IMAGE_BYTES + "-byte image (3x96x96 uint8; truncated?)");
            }
            if (size / Stl10Images.IMAGE_BYTES > Integer.MAX_VALUE) {
                throw new DataException("file " + file + ": " + size / Stl10Images.IMAGE_BYTES + " images are too many");
            }
            return (int) (size / Stl10Images.IMAGE_BYTES);
        }

        int[] trainLabels() throws DataException {
            return labels(trainY, trainX);
        }

        int[] testLabels() throws DataException {
            return labels(testY, testX);
        }

        /** One byte 1..10 per image of {@code images}, returned as 0..9. */
        private int[] labels(Path labelFile, Path images) throws DataException {
            int n = images(images);
            byte[] b = read(labelFile);
            if (b.length != n) {
                throw new DataException("file " + labelFile + ": " + b.length + " labels but " + images + " holds " + n
                        + " images (one label byte per image expected)");
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int label = b[i] & 0xFF;
                if (label < 1 || label > CLASSES) {
                    throw new DataException("file " + labelFile + ": label " + label + " of record " + i
                            + " is outside 1.." + CLASSES);
                }
                out[i] = label - 1;
            }
            return out;
        }

        /** Non-blank lines of space-separated 0-based indices into the train set. */
        List<int[]> folds(int trainSize) throws DataException {
            String text = new String(read(folds), StandardCharsets.US_ASCII);
            List<int[]> out = new ArrayList<>();
            String[] lines = text.split("\r?\n", -1);
            for (int l = 0; l < lines.length; l++) {
                String line = lines[l].strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] tokens = line.split("\\s+");
                int[] fold = new int[tokens.length];
                for (int t = 0; t < tokens.length; t++) {
                    try {
                        fold[t] = Integer.parseInt(tokens[t]);
                    } catch (NumberFormatException e) {
                        throw new DataException("file " + folds + " line " + (l + 1) + ": '" + tokens[t]
                                + "' is not an index (expected space-separated 0-based train indices)");
                    }
                    if (fold[t] < 0 || fold[t] >= trainSize) {
                        throw new DataException("file " + folds + " line " + (l + 1) + ": index " + fold[t]
                                + " is outside 0.." + (trainSize - 1) + " (" + TRAIN_X + " holds " + trainSize + " images)");
                    }
                }
                out.add(fold);
            }
            if (out.isEmpty()) {
                throw new DataException("file " + folds + ": no folds (expected one line of train indices per fold)");
            }
            return out;
        }

        /** From {@code class_names.txt} next to the images when present (exactly 10 names), else the standard ones. */
        List<String> classNames() throws DataException {
            Path file = trainX.resolveSibling(CLASS_NAMES);
            if (!Files.isRegularFile(file)) {
                return DEFAULT_CLASSES;
            }
            List<String> names = new String(read(file), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (names.size() != CLASSES) {
                throw new DataException("file " + file + ": " + names.size() + " class names; expected "
                        + CLASSES + ", one per line (labels are 1.." + CLASSES + ")");
            }
            return names;
        }

        String sha(Path file) throws DataException {
            return DataFiles.shortSha256(read(file));
        }

        private static byte[] read(Path file) throws DataException {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw DataFiles.unreadable(file.toString(), e);
            }
        }
    }

    /** The loaded parts plus the predefined folds ({@link LoadedDataset} has none). */
    private record Stl10Dataset(LoadedDataset parts, List<int[]> folds) implements Dataset {
        @Override public String name() { return parts.name(); }
        @Override public ImageShape shape() { return parts.shape(); }
        @Override public List<String> classNames() { return parts.classNames(); }
        @Override public ImageSet unlabeled() { return parts.unlabeled(); }
        @Override public ImageSet train() { return parts.train(); }
        @Override public ImageSet test() { return parts.test(); }
        @Override public String source() { return parts.source(); }

        @Override
        public List<int[]> predefinedFolds() {
            return folds.stream().map(int[]::clone).toList();
        }
    }
}
