package org.sslbench.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.sslbench.data.DataException;
import org.sslbench.data.ImageShape;
import org.sslbench.data.folder.FolderDatasetFactory;
import org.sslbench.data.folder.FolderScan;
import org.sslbench.data.folder.FolderSource;
import org.sslbench.data.folder.Resize;

/**
 * A dataset's {@code folder:} block: the user's own images.
 *
 * <pre>{@code
 * datasets:
 *   - name: my-cells
 *     folder: {train: cells/train, test: cells/test, unlabeled: cells/unlabeled,
 *              image_size: [64, 64], channels: 3}
 * }</pre>
 *
 * Keys: {@code train} (directory of class sub-directories) or {@code list} (CSV file with header
 * {@code path,label[,split]}), {@code test}, {@code unlabeled}, {@code image_size} ([height, width]
 * or one number for square images; required), {@code channels} (1 or 3, default 3), {@code resize}
 * (crop | stretch | pad, default crop), {@code test_fraction} (held-out share per class when there
 * is no test split, in (0, 1), default 0.2), {@code skip_unreadable} (default false) and
 * {@code cache} (decode cache directory, default {@code <data dir>/cache}) and {@code classes}
 * (class names in label order; default sorted, as torchvision's ImageFolder). Relative paths start
 * at the data directory ({@code DATA=}, {@code data.dir}, default {@code data/}).
 *
 * <p>The folders are scanned here (not decoded), so validate reports a bad layout with the line of
 * the block, and the content fingerprint enters the dataset's hash.
 */
final class FolderSpecReader {
    static final List<String> KEYS = List.of("train", "test", "unlabeled", "list", "image_size", "channels", "resize",
            "test_fraction", "skip_unreadable", "cache", "classes");
    /** Largest side accepted: 4096² × 3 bytes per image still fits one int-indexed buffer many times over. */
    static final int MAX_SIDE = 4096;

    private FolderSpecReader() {
    }

    /**
     * @param dataDir the data directory relative paths start at (null = {@code data} in the working directory)
     */
    static FolderSource read(String dataset, YNode block, Path dataDir) throws SpecException {
        YMap m = block.map(KEYS, "folder key");
        Path base = (dataDir != null ? dataDir : Path.of("data")).toAbsolutePath().normalize();
        if (m.has("train") == m.has("list")) {
            throw block.error("give either 'train' (a directory of class sub-directories) or 'list' (a CSV file of"
                    + " path,label[,split] rows), " + (m.has("train") ? "not both" : "one of them is required"));
        }
        if (m.has("list")) {
            for (String k : List.of("test", "unlabeled")) {
                if (m.has(k)) {
                    throw m.get(k).error(k + " cannot be combined with 'list': give " + k + " images as list rows"
                            + " with split '" + k + "'");
                }
            }
        }
        Path train = path(m.get("train"), base);
        Path test = path(m.get("test"), base);
        Path unlabeled = path(m.get("unlabeled"), base);
        Path list = path(m.get("list"), base);
        ImageShape shape = shape(m, block);
        Resize resize = resize(m);
        if (m.has("test_fraction") && test != null) {
            throw m.get("test_fraction").error("test_fraction has no effect: the test split is the 'test' directory;"
                    + " remove one of them");
        }
        double fraction = m.number("test_fraction", FolderSource.DEFAULT_TEST_FRACTION, Range.FRACTION);
        if (fraction >= 1) {
            throw m.get("test_fraction").error("must be in (0, 1), got 1 (that would leave nothing to train on)");
        }
        boolean skip = m.bool("skip_unreadable", false);
        Path cache = cache(m, block, base);
        List<String> classes = new java.util.ArrayList<>();
        if (m.has("classes")) {
            for (YNode c : m.get("classes").nonEmptyList()) {
                classes.add(c.string());
            }
        }
        FolderSource source = new FolderSource(train, test, unlabeled, list, shape, resize, fraction, skip, cache,
                classes, "");
        try {
            FolderScan.Scan scan = FolderScan.scan(dataset, source);
            source = source.withContent(FolderScan.fingerprint(scan));
            FolderDatasetFactory.remember(dataset, source, scan);
        } catch (DataException e) {
            throw block.error(e.getMessage());
        }
        return source;
    }

    /** Keys of a pretext-only folder ({@link #readPool}). */
    static final List<String> POOL_KEYS = List.of("unlabeled", "train", "resize", "skip_unreadable", "cache");

    /** A pretext-only image folder and the number of images in it. */
    record Pool(FolderSource source, int size) {
    }

    /**
     * The {@code folder:} block of a pretext dataset ({@code pretext.dataset: {name, folder}}): an
     * image folder used only as a pretext pool. {@code unlabeled} (any tree of images) or
     * {@code train} (its images without labels), plus {@code resize}, {@code skip_unreadable} and
     * {@code cache}; no {@code image_size} / {@code channels}, since the images are decoded straight
     * to each evaluation dataset's size and channels (the source's shape is filled in at load).
     * Scanned here (not decoded).
     */
    static Pool readPool(String dataset, YNode block, Path dataDir) throws SpecException {
        for (String k : List.of("image_size", "channels")) {
            YNode given = block.lookup(k);
            if (given != null) {
                throw given.error(k + " has no effect on a pretext pool: its images are decoded straight to each"
                        + " evaluation dataset's size and channels; remove it");
            }
        }
        for (String k : List.of("test", "test_fraction", "classes", "list")) {
            YNode given = block.lookup(k);
            if (given != null) {
                throw given.error(k + " does not apply to a folder used only as a pretext pool (its images are read"
                        + " without labels); give 'unlabeled' (or 'train') and remove " + k);
            }
        }
        YMap m = block.map(POOL_KEYS, "pretext folder key");
        if (m.has("train") == m.has("unlabeled")) {
            throw block.error("give either 'unlabeled' (any tree of images) or 'train' (its images are used without"
                    + " labels), " + (m.has("train") ? "not both: only one of them would be the pool" : "one of them is required"));
        }
        Path base = (dataDir != null ? dataDir : Path.of("data")).toAbsolutePath().normalize();
        Path train = path(m.get("train"), base);
        Path unlabeled = path(m.get("unlabeled"), base);
        Resize resize = resize(m);
        boolean skip = m.bool("skip_unreadable", false);
        Path cache = cache(m, block, base);
        FolderSource source = new FolderSource(train, null, unlabeled, null, null, resize,
                FolderSource.DEFAULT_TEST_FRACTION, skip, cache, List.of(), "");
        try {
            FolderScan.Scan scan = FolderScan.scanPool(dataset, source);
            return new Pool(source.withContent(FolderScan.fingerprint(scan)), scan.unlabeled().size());
        } catch (DataException e) {
            throw block.error(e.getMessage());
        }
    }

    private static Resize resize(YMap m) throws SpecException {
        return Resize.valueOf(m.has("resize") ? m.get("resize").oneOf(List.of("crop", "stretch", "pad"), "resize")
                .toUpperCase(java.util.Locale.ROOT) : "CROP");
    }

    /** The decode cache directory ({@code cache:}, default {@code <data dir>/cache}), refused when it cannot be written. */
    private static Path cache(YMap m, YNode block, Path base) throws SpecException {
        Path cache = m.has("cache") ? path(m.get("cache"), base) : base.resolve("cache");
        String unwritable = unwritable(cache);
        if (unwritable != null) {
            throw (m.has("cache") ? m.get("cache") : block).error("the decode cache " + cache + " cannot be written ("
                    + unwritable + "); set cache: to a writable directory");
        }
        return cache;
    }

    private static ImageShape shape(YMap m, YNode block) throws SpecException {
        YNode size = m.get("image_size");
        if (size == null) {
            throw block.error("image_size is required: the [height, width] every image is resized to, e.g."
                    + " image_size: [64, 64] (or 32 for CIFAR-sized images)");
        }
        Range side = new Range(1, false, MAX_SIDE, false);
        int h;
        int w;
        if (size.isScalar()) {
            h = w = size.integer(side);
        } else {
            List<YNode> hw = size.nonEmptyList();
            if (hw.size() != 2) {
                throw size.error("image_size must be [height, width] or one number, got " + hw.size() + " values");
            }
            h = hw.get(0).integer(side);
            w = hw.get(1).integer(side);
        }
        int channels = 3;
        if (m.has("channels")) {
            channels = m.get("channels").integer(new Range(1, false, 3, false));
            if (channels == 2) {
                throw m.get("channels").error("channels must be 1 (grayscale) or 3 (RGB), got 2");
            }
        }
        return new ImageShape(h, w, channels);
    }

    /** Why {@code dir} cannot be created or written (checked on its nearest existing ancestor), or null. */
    static String unwritable(Path dir) {
        Path p = dir;
        while (p != null && !java.nio.file.Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return "no existing parent directory";
        }
        if (!java.nio.file.Files.isDirectory(p)) {
            return p + " is not a directory";
        }
        return java.nio.file.Files.isWritable(p) ? null : p + " is not writable";
    }

    private static Path path(YNode value, Path base) throws SpecException {
        if (value == null) {
            return null;
        }
        String text = value.string();
        if (text.isBlank()) {
            throw value.error("must not be empty");
        }
        if (text.equals("~") || text.startsWith("~/")) { // as a shell would: YAML has no tilde expansion
            text = System.getProperty("user.home") + text.substring(1);
        }
        try {
            return base.resolve(Path.of(text)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw value.error("not a valid path: " + e.getMessage());
        }
    }
}
