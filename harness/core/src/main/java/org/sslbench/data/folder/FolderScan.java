package org.sslbench.data.folder;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.sslbench.data.DataException;

/**
 * The file list of a {@link FolderSource}, without reading pixels: classes, the images of each
 * split with their labels, sizes and modification times, and what was skipped. Layout as
 * torchvision's {@code ImageFolder}: {@code train/<class>/**} (classes = the sub-directory names,
 * sorted; images may sit in nested directories below a class), {@code test/} the same,
 * {@code unlabeled/} any tree. Symbolic links are followed.
 *
 * <p>A file is an image when its extension is one javax.imageio can read (with TwelveMonkeys:
 * jpg, jpeg, png, gif, bmp, tif, tiff, webp, ...); hidden files ({@code .DS_Store}) and other
 * files ({@code Thumbs.db}, {@code README.txt}) are skipped and counted.
 *
 * <p>Refused with a {@link DataException} naming the path: a missing directory or list, an empty
 * class directory, images directly in {@code train/} (outside a class), test classes other than
 * train's, a zero-byte or unreadable image (unless {@code skip_unreadable}), a symbolic-link loop,
 * a list row whose file is missing, and duplicate list rows.
 */
public final class FolderScan {
    /** Seed of the held-out test split: fixed, so the split never changes with a spec's seeds. */
    public static final long HOLDOUT_SEED = 0x7E57_5EEDL;
    private static final Set<String> IMAGE_SUFFIXES = imageSuffixes();

    /** One image: where it is, its label (-1 unlabeled), and what keys the cache. */
    public record Item(Path file, String relative, int label, long size, long modified) {
    }

    /**
     * @param classes    class names, index = label
     * @param train      labelled training images (the held-out test images removed)
     * @param test       test images
     * @param unlabeled  pretext pool images from their own directory or list rows; empty = use train
     * @param skipped    non-image files skipped (hidden, other extensions), relative paths
     * @param unreadable images that are empty or unreadable, left out under skip_unreadable ("file: why")
     * @param heldOut    whether the test split was held out of train
     */
    public record Scan(List<String> classes, List<Item> train, List<Item> test, List<Item> unlabeled,
                       List<String> skipped, List<String> unreadable, boolean heldOut) {
        /**
         * One line for the console: classes, split sizes, and what was skipped ("3 classes; train 12,
         * test 6 held out of train; 4 files that are not images skipped, e.g. train/.DS_Store").
         */
        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(classes.size()).append(" classes; train ").append(train.size()).append(", test ").append(test.size());
            if (heldOut) {
                s.append(" held out of train");
            }
            if (!unlabeled.isEmpty()) {
                s.append(", unlabeled ").append(unlabeled.size());
            }
            if (!skipped.isEmpty()) {
                s.append("; ").append(skipped.size()).append(" files that are not images skipped, e.g. ")
                        .append(String.join(", ", skipped.subList(0, Math.min(3, skipped.size()))));
            }
            if (!unreadable.isEmpty()) {
                s.append("; ").append(unreadable.size()).append(" unreadable images left out (skip_unreadable)");
            }
            return s.toString();
        }

        /** Training images per class. */
        public int[] trainPerClass() {
            int[] out = new int[classes.size()];
            train.forEach(i -> out[i.label()]++);
            return out;
        }
    }

    private FolderScan() {
    }

    /**
     * Lists the images of {@code src}.
     *
     * @throws DataException naming the file or directory that is wrong and what to do
     */
    public static Scan scan(String dataset, FolderSource src) throws DataException {
        try {
            return scanLabelled(dataset, src);
        } catch (java.nio.file.InvalidPathException e) {
            throw undecodableName(dataset, e);
        }
    }

    /**
     * Java names files in the platform encoding; under a C/POSIX locale a non-ASCII file name
     * (a class called "船" or "é") cannot be represented at all.
     */
    static DataException undecodableName(String dataset, java.nio.file.InvalidPathException e) {
        return new DataException(dataset + ": a file name cannot be read in this locale (" + e.getMessage() + ", file"
                + " encoding " + System.getProperty("sun.jnu.encoding") + "); run with a UTF-8 locale, e.g."
                + " LC_ALL=C.UTF-8 (./sslbench and make do that), or rename the file to ASCII");
    }

    private static Scan scanLabelled(String dataset, FolderSource src) throws DataException {
        Collector c = new Collector(dataset, src.skipUnreadable(), src.classes());
        List<String> classes;
        List<Item> train;
        List<Item> test;
        List<Item> unlabeled;
        if (src.list() != null) {
            ListRows rows = readList(dataset, src.list(), c);
            classes = rows.classes;
            train = rows.train;
            test = rows.test;
            unlabeled = rows.unlabeled;
        } else {
            classes = ordered(dataset, classDirs(dataset, "train", src.train()), src.classes(), "directories of " + src.train());
            train = labelled(dataset, "train", src.train(), classes, c);
            test = List.of();
            if (src.test() != null) {
                List<String> testClasses = classDirs(dataset, "test", src.test());
                if (!new TreeSet<>(testClasses).equals(new TreeSet<>(classes))) {
                    throw new DataException(dataset + ": the test classes differ from the train classes: "
                            + difference(classes, testClasses) + " (train " + src.train() + ", test " + src.test()
                            + "); every class needs a directory of the same name in both");
                }
                if (sameDirectory(src.train(), src.test())) {
                    throw new DataException(dataset + ": the test directory " + src.test() + " is the train directory;"
                            + " test accuracy must come from images not trained on: give a separate test directory, or"
                            + " none (test_fraction of train is then held out)");
                }
                test = labelled(dataset, "test", src.test(), classes, c);
            }
            unlabeled = src.unlabeled() == null ? List.of() : images(dataset, "unlabeled", src.unlabeled(), c);
            if (src.unlabeled() != null && unlabeled.isEmpty()) {
                throw new DataException(dataset + ": the unlabeled directory " + src.unlabeled() + " holds no images"
                        + c.skippedNote() + "; put images in it or remove 'unlabeled'");
            }
        }
        boolean heldOut = test.isEmpty();
        if (heldOut) {
            List<Item>[] parts = holdOut(dataset, train, classes, src.testFraction());
            train = parts[0];
            test = parts[1];
        }
        return new Scan(List.copyOf(classes), List.copyOf(train), List.copyOf(test), List.copyOf(unlabeled),
                c.skipped.stream().sorted().toList(), c.unreadable.stream().sorted().toList(), heldOut);
    }

    /**
     * Lists the images of a pretext-only folder ({@link FolderSource#pool()}): every image under
     * {@code unlabeled}, else under {@code train} (class directories or not: labels are not read),
     * as the scan's unlabeled split; train and test are empty.
     *
     * @throws DataException for a missing directory, a folder without images, or the same file
     *                       problems {@link #scan} reports
     */
    public static Scan scanPool(String dataset, FolderSource src) throws DataException {
        try {
            return scanPoolImages(dataset, src);
        } catch (java.nio.file.InvalidPathException e) {
            throw undecodableName(dataset, e);
        }
    }

    private static Scan scanPoolImages(String dataset, FolderSource src) throws DataException {
        Collector c = new Collector(dataset, src.skipUnreadable(), List.of());
        boolean own = src.unlabeled() != null;
        Path root = own ? src.unlabeled() : src.train();
        String split = own ? "unlabeled" : "train";
        List<Item> pool = images(dataset, split, root, c);
        if (pool.isEmpty()) {
            throw new DataException(dataset + ": the " + split + " directory " + root + " holds no images"
                    + c.skippedNote() + "; put images in it");
        }
        return new Scan(List.of(), List.of(), List.of(), List.copyOf(pool), List.copyOf(c.skipped),
                List.copyOf(c.unreadable), false);
    }

    /**
     * Hash of what the images are: the class names and each split's relative paths, labels, sizes
     * and modification times (the unlabeled directory's as a second part, after
     * {@link #POOL_SEPARATOR}); not the absolute paths, so a folder moved, or copied keeping times
     * ({@code cp -a}, {@code rsync -a}), keeps its results, while an image edited in place (even
     * to the same size) makes every result of the dataset a new configuration.
     */
    public static String fingerprint(Scan scan) {
        StringBuilder s = new StringBuilder("classes=").append(String.join("\u0000", scan.classes())).append('\n');
        appendItems(s, "train", scan.train());
        appendItems(s, "test", scan.test());
        String labelled = Hashes.sha256(s.toString());
        if (scan.unlabeled().isEmpty()) {
            return labelled;
        }
        StringBuilder pool = new StringBuilder();
        appendItems(pool, "unlabeled", scan.unlabeled());
        // Two parts, so that methods without a pretext run can leave the pool out (FolderSource#withoutPool).
        return labelled + POOL_SEPARATOR + Hashes.sha256(pool.toString());
    }

    /** Between the labelled images' and the unlabeled pool's part of a {@link #fingerprint}. */
    public static final String POOL_SEPARATOR = "+pool:";

    /** One line per image of {@code split} for {@link #fingerprint}: relative path, label, size, modification time. */
    private static void appendItems(StringBuilder s, String split, List<Item> items) {
        for (Item i : items) {
            s.append(split).append('\t').append(i.relative()).append('\t').append(i.label()).append('\t').append(i.size())
                    .append('\t').append(i.modified()).append('\n');
        }
    }

    /** Whether {@code name}'s extension is one javax.imageio (with the TwelveMonkeys plugins) can read. */
    public static boolean isImageName(String name) {
        if (name.startsWith(".")) {
            return false; // .DS_Store, ._photo.jpg (macOS resource forks), editor swap files
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Set<String> imageSuffixes() {
        Set<String> out = new TreeSet<>();
        for (String s : ImageIO.getReaderFileSuffixes()) {
            out.add(s.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Sorted names of the sub-directories of {@code root} (the classes). */
    private static List<String> classDirs(String dataset, String split, Path root) throws DataException {
        requireDirectory(dataset, split, root);
        List<String> out = new ArrayList<>();
        try (var entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && !name.startsWith(".")) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new DataException(dataset + ": cannot list the " + split + " directory " + root + " (" + e + ")");
        }
        out.sort(null);
        if (out.isEmpty()) {
            throw new DataException(dataset + ": the " + split + " directory " + root + " has no class sub-directories;"
                    + " lay it out as " + split + "/<class>/<image> (one directory per class)");
        }
        return out;
    }

    private static void requireDirectory(String dataset, String split, Path root) throws DataException {
        if (!Files.exists(root)) {
            throw new DataException(dataset + ": the " + split + " directory " + root + " does not exist; check the"
                    + " path (relative paths start at the data directory, DATA=)");
        }
        if (!Files.isDirectory(root)) {
            throw new DataException(dataset + ": " + split + " " + root + " is not a directory");
        }
        if (!Files.isReadable(root)) {
            throw new DataException(dataset + ": the " + split + " directory " + root + " is not readable (permissions)");
        }
    }

    private static List<Item> labelled(String dataset, String split, Path root, List<String> classes, Collector c)
            throws DataException {
        List<Item> out = new ArrayList<>();
        try (var entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p)) {
                    if (isImageName(name)) {
                        throw new DataException(dataset + ": image " + p + " is directly in the " + split
                                + " directory, outside any class; move it into " + split + "/<class>/");
                    }
                    c.skip(split + "/" + name);
                }
            }
        } catch (IOException e) {
            throw new DataException(dataset + ": cannot list the " + split + " directory " + root + " (" + e + ")");
        }
        for (int label = 0; label < classes.size(); label++) {
            Path dir = root.resolve(classes.get(label));
            List<Item> found = c.walk(dir, split + "/" + classes.get(label), label);
            if (found.isEmpty()) {
                throw new DataException(dataset + ": the class directory " + dir + " holds no images" + c.skippedNote()
                        + "; add images to it or remove it");
            }
            out.addAll(found);
        }
        return out;
    }

    private static List<Item> images(String dataset, String split, Path root, Collector c) throws DataException {
        requireDirectory(dataset, split, root);
        return c.walk(root, split, -1);
    }

    /** Walks directory trees, following links, collecting images in path order. */
    private static final class Collector {
        final String dataset;
        final boolean skipUnreadable;
        final List<String> skipped = new ArrayList<>();
        final List<String> unreadable = new ArrayList<>();

        final List<String> classes;

        Collector(String dataset, boolean skipUnreadable, List<String> classes) {
            this.classes = classes;
            this.dataset = dataset;
            this.skipUnreadable = skipUnreadable;
        }

        void skip(String relative) {
            skipped.add(relative);
        }

        String skippedNote() {
            return skipped.isEmpty() ? "" : " (" + skipped.size() + " non-image files skipped so far, e.g. " + skipped.get(0) + ")";
        }

        List<Item> walk(Path root, String prefix, int label) throws DataException {
            List<Item> out = new ArrayList<>();
            try {
                Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        decodable(dir);
                        return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        decodable(file);
                        String relative = prefix + "/" + root.relativize(file).toString().replace('\\', '/');
                        if (attrs.isSymbolicLink() && isImageName(file.getFileName().toString())) {
                            // Following the link failed: its target is gone.
                            unreadable(file, "a symbolic link that cannot be followed (its target "
                                    + Files.readSymbolicLink(file) + " does not exist, or links lead in a loop)");
                            return FileVisitResult.CONTINUE;
                        }
                        if (!attrs.isRegularFile() || !isImageName(file.getFileName().toString())) {
                            skipped.add(relative);
                            return FileVisitResult.CONTINUE;
                        }
                        String problem = attrs.size() == 0 ? "empty file (0 bytes)"
                                : !Files.isReadable(file) ? "not readable (permissions)" : null;
                        if (problem != null) {
                            unreadable(file, problem);
                        } else {
                            out.add(new Item(file, relative, label, attrs.size(), attrs.lastModifiedTime().toMillis()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        throw e;
                    }
                });
            } catch (FileSystemLoopException e) {
                throw new DataException(dataset + ": a symbolic-link loop at " + e.getFile() + " (a link to a directory"
                        + " that contains it); remove that link");
            } catch (AccessDeniedException e) {
                throw new DataException(dataset + ": cannot read " + e.getFile() + " (permission denied); fix its"
                        + " permissions or move it out of " + root);
            } catch (NoSuchFileException e) {
                throw new DataException(dataset + ": " + e.getFile() + " cannot be followed (a broken symbolic link?);"
                        + " remove it or fix the link");
            } catch (IOException e) {
                if (e.getCause() instanceof DataException d) {
                    throw d;
                }
                throw new DataException(dataset + ": cannot read " + root + " (" + e + ")");
            }
            out.sort(java.util.Comparator.comparing(Item::relative));
            return out;
        }

        /**
         * Walking hands out names as the file system stores them; under a C/POSIX locale Java shows a
         * non-ASCII byte as U+FFFD and cannot open the file by that name, so refuse it here, by name.
         */
        void decodable(Path p) throws IOException {
            if (p.getFileName() != null && p.getFileName().toString().indexOf('\uFFFD') >= 0) {
                throw new IOException(undecodableName(dataset, new java.nio.file.InvalidPathException(p.toString(),
                        "not representable in this locale's file encoding")));
            }
        }

        void unreadable(Path file, String why) throws IOException {
            if (!skipUnreadable) {
                throw new IOException(new DataException(dataset + ": image " + file + " is " + why + "; replace or"
                        + " remove it, or set skip_unreadable: true in the dataset's folder block to leave such images out"));
            }
            unreadable.add(file + ": " + why);
        }
    }

    private record ListRows(List<String> classes, List<Item> train, List<Item> test, List<Item> unlabeled) {
    }

    private static ListRows readList(String dataset, Path list, Collector c) throws DataException {
        if (!Files.isRegularFile(list)) {
            throw new DataException(dataset + ": the image list " + list + " does not exist or is not a file");
        }
        Path base = list.toAbsolutePath().getParent();
        record Row(long line, Path file, String relative, String label, String split) {
        }
        List<Row> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).build();
        try (Reader r = withoutBom(Files.newBufferedReader(list, StandardCharsets.UTF_8));
             CSVParser p = CSVParser.parse(r, format)) {
            List<String> header = p.getHeaderNames();
            if (!header.equals(List.of("path", "label")) && !header.equals(List.of("path", "label", "split"))) {
                throw new DataException(dataset + ": " + list + " line 1: the header must be 'path,label' or"
                        + " 'path,label,split', got '" + String.join(",", header) + "'");
            }
            boolean hasSplit = header.size() == 3;
            Set<String> seen = new HashSet<>();
            for (CSVRecord rec : p) {
                long line = rec.getRecordNumber() + 1;
                String at = dataset + ": " + list + " line " + line + ": ";
                if (rec.size() != header.size()) {
                    throw new DataException(at + rec.size() + " fields, expected " + header.size() + " ("
                            + String.join(",", header) + ")");
                }
                String path = rec.get("path");
                String label = rec.get("label");
                String split = hasSplit ? rec.get("split").toLowerCase(Locale.ROOT) : "train";
                if (!List.of("train", "test", "unlabeled").contains(split)) {
                    throw new DataException(at + "split '" + rec.get("split") + "' is not one of train, test, unlabeled");
                }
                if (path.isEmpty()) {
                    throw new DataException(at + "empty path");
                }
                if (label.isEmpty() && !split.equals("unlabeled")) {
                    throw new DataException(at + "empty label for a " + split + " image; give its class name, or"
                            + " split 'unlabeled' for an image without a label");
                }
                if (!seen.add(split + "\u0000" + path)) {
                    throw new DataException(at + path + " is listed twice in the " + split + " split");
                }
                String other = split.equals("train") ? "test" : split.equals("test") ? "train" : null;
                if (other != null && seen.contains(other + "\u0000" + path)) {
                    // Scored on an image it trained on: the test accuracy would not be a held-out one.
                    throw new DataException(at + path + " is listed in both the train and the test split; keep it in one");
                }
                Path file;
                try {
                    file = base.resolve(path).normalize();
                } catch (InvalidPathException e) {
                    throw new DataException(at + "not a valid path: " + path);
                }
                if (!Files.exists(file)) {
                    throw new DataException(at + "the file " + file + " does not exist (paths are relative to the"
                            + " list's directory " + base + ")");
                }
                rows.add(new Row(line, file, path, label, split));
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new DataException(dataset + ": cannot read the image list " + list + ": " + e.getMessage());
        }
        TreeSet<String> classSet = new TreeSet<>();
        rows.stream().filter(r -> r.split.equals("train")).forEach(r -> classSet.add(r.label));
        if (classSet.isEmpty()) {
            throw new DataException(dataset + ": the image list " + list + " has no train rows; a dataset needs labelled"
                    + " training images");
        }
        List<String> classes = ordered(dataset, List.copyOf(classSet), c.classes, "train labels of " + list);
        Set<String> testClasses = new TreeSet<>();
        rows.stream().filter(r -> r.split.equals("test")).forEach(r -> testClasses.add(r.label));
        if (!testClasses.isEmpty() && !testClasses.equals(classSet)) {
            throw new DataException(dataset + ": in " + list + " the test classes differ from the train classes: "
                    + difference(classes, List.copyOf(testClasses)) + "; every class needs train and test rows");
        }
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<Item> train = new ArrayList<>();
        List<Item> test = new ArrayList<>();
        List<Item> unlabeled = new ArrayList<>();
        for (Row r : rows) {
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(r.file, BasicFileAttributes.class);
            } catch (IOException e) {
                throw new DataException(dataset + ": " + list + " line " + r.line + ": cannot read " + r.file + " (" + e + ")");
            }
            if (!attrs.isRegularFile()) {
                throw new DataException(dataset + ": " + list + " line " + r.line + ": " + r.file + " is not a file");
            }
            String problem = attrs.size() == 0 ? "empty file (0 bytes)" : !Files.isReadable(r.file) ? "not readable (permissions)" : null;
            if (problem != null) {
                try {
                    c.unreadable(r.file, problem + " (" + list.getFileName() + " line " + r.line + ")");
                } catch (IOException e) {
                    throw (DataException) e.getCause();
                }
                continue;
            }
            int label = r.split.equals("unlabeled") ? -1 : index.get(r.label);
            Item item = new Item(r.file, r.split + "/" + r.relative, label, attrs.size(), attrs.lastModifiedTime().toMillis());
            (r.split.equals("train") ? train : r.split.equals("test") ? test : unlabeled).add(item);
        }
        return new ListRows(classes, train, test, unlabeled);
    }

    /** Whether two paths name one directory (also through links or {@code ..}). */
    private static boolean sameDirectory(Path a, Path b) throws DataException {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false; // a missing one is reported by the directory checks
        }
    }

    /**
     * The classes in the order the spec gives ({@code classes:}), which must name exactly the
     * classes found; the sorted names found when it gives none.
     */
    private static List<String> ordered(String dataset, List<String> found, List<String> given, String where)
            throws DataException {
        if (given.isEmpty()) {
            return found;
        }
        if (given.size() != new HashSet<>(given).size() || !new TreeSet<>(given).equals(new TreeSet<>(found))) {
            String diff = difference(found, given, "classes");
            throw new DataException(dataset + ": 'classes' must name each class found exactly once ("
                    + (diff.isEmpty() ? "a name is given twice" : diff) + "; found in the " + where + ": "
                    + String.join(", ", found) + ")");
        }
        return List.copyOf(given);
    }

    /** The reader past a UTF-8 byte-order mark (Excel writes one at the start of "CSV UTF-8" files). */
    private static Reader withoutBom(java.io.BufferedReader r) throws IOException {
        r.mark(1);
        if (r.read() != '\uFEFF') {
            r.reset();
        }
        return r;
    }

    /** "missing in test: a, b; only in test: c". */
    private static String difference(List<String> train, List<String> test) {
        return difference(train, test, "test");
    }

    private static String difference(List<String> train, List<String> test, String other) {
        List<String> missing = train.stream().filter(x -> !test.contains(x)).toList();
        List<String> extra = test.stream().filter(x -> !train.contains(x)).toList();
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing in " + other + ": " + String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            parts.add("only in " + other + ": " + String.join(", ", extra));
        }
        return String.join("; ", parts);
    }

    /**
     * Stratified hold-out: per class, round(fraction × n) images (at least 1, at most n − 1) chosen
     * by a fixed-seed shuffle of the class's images in path order.
     */
    @SuppressWarnings("unchecked")
    static List<Item>[] holdOut(String dataset, List<Item> items, List<String> classes, double fraction)
            throws DataException {
        List<List<Item>> byClass = new ArrayList<>();
        classes.forEach(x -> byClass.add(new ArrayList<>()));
        items.forEach(i -> byClass.get(i.label()).add(i));
        List<Item> train = new ArrayList<>();
        List<Item> test = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            List<Item> members = byClass.get(k);
            if (members.size() < 2) {
                throw new DataException(dataset + ": class '" + classes.get(k) + "' has " + members.size()
                        + " image(s); holding out a test split needs at least 2 per class (one to train, one to test);"
                        + " add images or give a test directory");
            }
            int held = (int) Math.max(1, Math.min(members.size() - 1, Math.round(fraction * members.size())));
            int[] order = new int[members.size()];
            Arrays.setAll(order, i -> i);
            Random rnd = new Random(HOLDOUT_SEED ^ classes.get(k).hashCode());
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            boolean[] isTest = new boolean[members.size()];
            for (int i = 0; i < held; i++) {
                isTest[order[i]] = true;
            }
            for (int i = 0; i < members.size(); i++) {
                (isTest[i] ? test : train).add(members.get(i));
            }
        }
        return new List[] {train, test};
    }
}
