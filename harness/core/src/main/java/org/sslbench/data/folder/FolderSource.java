package org.sslbench.data.folder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sslbench.data.Fingerprinted;
import org.sslbench.data.ImageShape;

/**
 * Where a spec's own images are and how to read them: the {@code folder:} block of a dataset.
 * Either directories ({@code train}, optional {@code test} and {@code unlabeled}) or a CSV
 * {@code list} of {@code path,label[,split]} rows; every path absolute (the spec reader resolves
 * relative ones against the data directory).
 *
 * @param train          {@code train/<class>/<image>} (class = sub-directory name); null with a list
 * @param test           same layout, or null: a stratified held-out part of train ({@code testFraction})
 * @param unlabeled      any tree of images for the pretext pool, or null: the train images without labels
 * @param list           a CSV file (header {@code path,label} or {@code path,label,split}) instead of directories
 * @param shape          every image becomes this [height, width, channels] (channels 1 or 3); null for a
 *                       folder used only as a pretext pool ({@link #pool()}), whose images are decoded
 *                       to each evaluation dataset's shape ({@link #withShape})
 * @param resize         how images of other sizes become {@code shape}
 * @param testFraction   share of each class held out as the test split when there is no test split, in (0, 1)
 * @param skipUnreadable true: corrupt, empty or unreadable images are left out with a warning and a
 *                       list in the results directory; false: they stop the run (exit 2)
 * @param cache          directory for the decoded uint8 cache
 * @param classes        class names in label order (label i = classes[i]); empty = sorted names, as
 *                       torchvision's ImageFolder orders them
 * @param content        fingerprint of the file list (relative paths, labels, splits, sizes), set by
 *                       {@link FolderScan#fingerprint}; "" before scanning
 */
public record FolderSource(Path train, Path test, Path unlabeled, Path list, ImageShape shape, Resize resize,
                           double testFraction, boolean skipUnreadable, Path cache, List<String> classes,
                           String content)
        implements Fingerprinted {
    public FolderSource {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** Default {@code test_fraction}: as in a common 80/20 split. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;

    /** The same source with its content fingerprint. */
    public FolderSource withContent(String fingerprint) {
        return new FolderSource(train, test, unlabeled, list, shape, resize, testFraction, skipUnreadable, cache,
                classes, fingerprint);
    }

    /**
     * The same source decoding to {@code target}: a pretext-only folder ({@link #pool()}) read for an
     * evaluation dataset of that shape.
     */
    public FolderSource withShape(ImageShape target) {
        return new FolderSource(train, test, unlabeled, list, target, resize, testFraction, skipUnreadable, cache,
                classes, content);
    }

    /**
     * Whether this folder is only a pretext pool ({@code pretext.dataset: {name, folder}}): no
     * declared shape, no labels; its pool is {@code unlabeled}, else the images under {@code train}.
     */
    public boolean pool() {
        return shape == null;
    }

    /**
     * Settings that change the pixels or the splits, and the content fingerprint; not the paths,
     * so that moving the folder keeps every result's hash, and not the cache directory.
     */
    @Override
    public Object identity() {
        Map<String, Object> id = new LinkedHashMap<>();
        if (shape == null) { // a pretext pool: the evaluation dataset's shape is in the hash already
            id.put("kind", "pool");
            id.put("resize", resize.key());
            id.put("skip_unreadable", skipUnreadable);
            id.put("content", content);
            return id;
        }
        id.put("kind", list != null ? "list" : "folder");
        id.put("image_size", List.of(shape.height(), shape.width()));
        id.put("channels", shape.channels());
        id.put("resize", resize.key());
        if (list != null || test == null) { // with a test directory the fraction is never used
            id.put("test_fraction", testFraction);
        }
        id.put("skip_unreadable", skipUnreadable);
        if (!classes.isEmpty()) {
            id.put("classes", classes);
        }
        int cut = content.indexOf(FolderScan.POOL_SEPARATOR);
        id.put("content", cut < 0 ? content : content.substring(0, cut));
        if (cut >= 0) {
            id.put("pool_content", content.substring(cut + FolderScan.POOL_SEPARATOR.length()));
        }
        return id;
    }

    /**
     * As hashed for a method without a pretext run: the unlabeled directory's images are never read
     * by it, so they must not change its results' hashes (or an added pretext image would redo the
     * from-scratch baseline).
     */
    public FolderSource withoutPool() {
        int cut = content.indexOf(FolderScan.POOL_SEPARATOR);
        return cut < 0 ? this : new FolderSource(train, test, null, list, shape, resize, testFraction, skipUnreadable,
                cache, classes, content.substring(0, cut));
    }

    /** The directories or list, for messages and provenance. */
    public String where() {
        if (list != null) {
            return "list " + list;
        }
        if (shape == null) {
            return unlabeled != null ? "unlabeled " + unlabeled : "train " + train + " (without labels)";
        }
        return "train " + train + (test != null ? ", test " + test : "") + (unlabeled != null ? ", unlabeled " + unlabeled : "");
    }
}
