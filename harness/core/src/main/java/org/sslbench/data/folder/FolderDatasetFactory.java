package org.sslbench.data.folder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.data.DatasetFactory;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.ImageSet;
import org.sslbench.data.LoadedDataset;
import org.sslbench.data.MappedImages;
import org.sslbench.data.UnlabeledPool;

/**
 * A dataset declared in a spec from the user's own images ({@link FolderSource}): scanned by
 * {@link FolderScan}, decoded once into the {@link FolderCache}, and served memory-mapped. The
 * unlabeled pool is the {@code unlabeled} images when given, else the training images without
 * labels (never the held-out test images).
 */
public final class FolderDatasetFactory implements DatasetFactory {
    private final String name;
    private final FolderSource source;
    private final int threads;
    private final PrintStream log;

    /**
     * @param threads decoding threads (the number of cores is a good value)
     * @param log     where decoding progress is printed; null for none
     */
    public FolderDatasetFactory(String name, FolderSource source, int threads, PrintStream log) {
        this.name = name;
        this.source = source;
        this.threads = Math.max(1, threads);
        this.log = log;
    }

    /** With all cores and progress on standard output. */
    public FolderDatasetFactory(String name, FolderSource source) {
        this(name, source, Runtime.getRuntime().availableProcessors(), System.out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "image folder declared in the spec: " + source.where();
    }

    public FolderSource source() {
        return source;
    }

    /** Latest scans by dataset name and source, so validation's repeated describe calls walk the folders once. */
    private static final Map<String, FolderScan.Scan> SCANS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, FolderScan.Scan> eldest) {
                    return size() > 16;
                }
            });

    /**
     * Keeps {@code scan} as the scan of {@code source} (whose content fingerprint it has), for
     * {@link #describe} without walking the folders again.
     */
    public static void remember(String name, FolderSource source, FolderScan.Scan scan) {
        SCANS.put(name + "\u0000" + source, scan);
    }

    /** {@link FolderScan.Scan#summary()} of the folders, scanned when the spec was read (else now). */
    public String summary() throws DataException {
        FolderScan.Scan known = source.content().isEmpty() ? null : SCANS.get(name + "\u0000" + source);
        return (known != null ? known : FolderScan.scan(name, source)).summary();
    }

    /** Scans the folders (no decoding): classes and split sizes. */
    @Override
    public DatasetInfo describe(Path dataDir) throws DataException {
        FolderScan.Scan known = source.content().isEmpty() ? null : SCANS.get(name + "\u0000" + source);
        FolderScan.Scan scan = known != null ? known : FolderScan.scan(name, source);
        int pool = scan.unlabeled().isEmpty() ? scan.train().size() : scan.unlabeled().size();
        return new DatasetInfo(name, source.shape(), scan.classes(), pool, scan.train().size(), scan.trainPerClass(),
                scan.test().size());
    }

    @Override
    public Dataset load(Path dataDir, int unlabeledLimit) throws DataException, IOException {
        FolderScan.Scan scan = FolderScan.scan(name, source);
        String content = FolderScan.fingerprint(scan);
        if (!source.content().isEmpty() && !source.content().equals(content)) {
            throw new DataException(name + ": the images in " + source.where() + " changed since the spec was read;"
                    + " run again");
        }
        if (log != null) {
            log.println(name + ": " + scan.summary());
        }
        FolderCache.Entry cache = FolderCache.ensure(name, scan, source, threads, log);
        ImageSet train = open(cache.train(), true);
        ImageSet test = open(cache.test(), true);
        ImageSet poolImages = scan.unlabeled().isEmpty() ? train : open(cache.unlabeled(), false);
        ImageSet pool = UnlabeledPool.of(name, poolImages, unlabeledLimit);
        everyClassIn(name, "train", train, scan.classes(), cache);
        everyClassIn(name, "test", test, scan.classes(), cache);
        String src = "image folder " + source.where() + " (" + scan.classes().size() + " classes; train " + train.size()
                + ", test " + test.size() + (scan.heldOut() ? " held out of train (test_fraction " + source.testFraction()
                + ", fixed seed)" : "") + "; " + source.shape() + " " + source.resize().key() + "; content sha256 "
                + content.substring(0, 16) + "; " + (poolImages == train ? "unlabeled pool: the train images"
                : "unlabeled pool: " + poolImages.size() + " images") + (unlabeledLimit > 0 ? ", limit " + unlabeledLimit : "")
                + (cache.unreadable().isEmpty() ? "" : "; " + cache.unreadable().size() + " unreadable images left out") + ")";
        LoadedDataset data = new LoadedDataset(name, source.shape(), scan.classes(), pool, train, test, src);
        return new FolderDataset(data, cache.unreadable());
    }

    /**
     * Every class keeps at least one image in the split after unreadable images were left out: a
     * test split without a class would score on fewer classes than it trains, silently.
     */
    private static void everyClassIn(String name, String split, ImageSet images, List<String> classes,
                                     FolderCache.Entry cache) throws DataException {
        int[] count = new int[classes.size()];
        for (int l : images.labels()) {
            count[l]++;
        }
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 0) {
                throw new DataException(name + ": after leaving out unreadable images, class '" + classes.get(c)
                        + "' has no " + split + " images left (see " + cache.dir().resolve("unreadable.txt")
                        + "); replace them or remove the class");
            }
        }
    }

    private ImageSet open(FolderCache.Split split, boolean labelled) throws IOException {
        if (split.count() == 0) {
            return MappedImages.empty(source.shape(), labelled);
        }
        MappedImages all = MappedImages.map(split.file(), source.shape(), MappedImages.Layout.HWC, split.count(), 0,
                labelled ? split.labels() : null);
        return split.kept().length == split.count() ? all : all.subset(split.kept());
    }

    /** A loaded folder dataset and the images it left out. */
    private record FolderDataset(LoadedDataset data, List<String> leftOut) implements Dataset {
        @Override public String name() { return data.name(); }
        @Override public org.sslbench.data.ImageShape shape() { return data.shape(); }
        @Override public List<String> classNames() { return data.classNames(); }
        @Override public ImageSet unlabeled() { return data.unlabeled(); }
        @Override public ImageSet train() { return data.train(); }
        @Override public ImageSet test() { return data.test(); }
        @Override public String source() { return data.source(); }
    }
}
