package org.sslbench.data.folder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.sslbench.data.DataException;
import org.sslbench.data.ImageShape;
import org.sslbench.data.MappedImages;

/**
 * Decode once: the images of a {@link FolderScan.Scan}, decoded and resized into one uint8 file
 * per split ({@code train.u8}, {@code test.u8}, {@code unlabeled.u8}; HWC, {@code shape.size()}
 * bytes per image, memory-mapped by {@link MappedImages} as STL-10's files are) in a directory
 * named by a key over the file list (relative paths, labels, sizes, modification times), the
 * resize settings and this format's version. A rerun finds the directory and maps it without
 * decoding; a changed, added or removed image changes the key and the images are decoded again
 * (the older cache of the same folders is then removed).
 *
 * <p>Written atomically: everything goes to a hidden temporary directory that is renamed into
 * place only when complete, so an interrupted or failed decode never leaves a cache that looks
 * valid. Decoding runs on every core ({@code threads}), with a progress bar on a terminal.
 */
public final class FolderCache {
    /** Bump when the decoding or layout changes: every cache is then rebuilt. */
    static final int FORMAT = 1;
    static final String MANIFEST = "manifest.properties";
    private static final int MAX_LISTED = 20;

    /** The decoded splits; {@code kept} are the indices of the images that decoded (all, without skip_unreadable). */
    public record Split(String name, Path file, int count, int[] labels, int[] kept) {
    }

    /** A ready cache: its directory, splits, and the images left out as unreadable ("file: why"). */
    public record Entry(Path dir, Split train, Split test, Split unlabeled, List<String> unreadable, boolean reused,
                        double seconds) {
    }

    private FolderCache() {
    }

    /**
     * The cache key of {@code scan} read with {@code src}'s settings (64 hex digits): the decoding
     * settings and the scan's {@link FolderScan#fingerprint} (classes, relative paths, labels, sizes,
     * modification times), so the cache is invalidated exactly when a result's content identity is.
     */
    public static String key(FolderScan.Scan scan, FolderSource src) {
        return Hashes.sha256("format=" + FORMAT + "\nshape=" + src.shape() + "\nresize=" + src.resize().key()
                + " lanczos3\nskip_unreadable=" + src.skipUnreadable() + "\ncontent=" + FolderScan.fingerprint(scan));
    }

    /**
     * The cache of {@code scan} in {@code src.cache()}: reused when complete and keyed alike, else
     * decoded now.
     *
     * @param threads decoding threads (≥ 1), e.g. the number of cores
     * @param log     progress and what happened; null for silence
     * @throws DataException naming every corrupt image (at most 20 listed) when one does not decode
     *                       and {@code skip_unreadable} is off (nothing is cached then), or when the
     *                       cache directory cannot be written
     */
    public static Entry ensure(String dataset, FolderScan.Scan scan, FolderSource src, int threads, PrintStream log)
            throws DataException {
        String key = key(scan, src);
        Path root = src.cache();
        Path dir = root.resolve(dataset + "-" + key.substring(0, 16));
        long start = System.nanoTime();
        try {
            String why = check(dir, key, src.shape());
            if (why == null) {
                Entry e = read(dir, scan, src, true, (System.nanoTime() - start) / 1e9);
                if (log != null) {
                    log.printf(Locale.ROOT, "%s: decoded images reused from %s (%.2f s)%n", dataset, dir, e.seconds());
                }
                return e;
            }
            if (log != null && !why.equals("absent")) {
                log.printf("%s: cache %s %s; decoding again%n", dataset, dir, why);
            }
            Files.createDirectories(root);
            removeAbandoned(root, dataset);
            Path tmp = Files.createDirectories(root.resolve(".tmp-" + dataset + "-" + key.substring(0, 16) + "-"
                    + ProcessHandle.current().pid()));
            try {
                write(dataset, tmp, key, scan, src, threads, log);
                publish(tmp, dir, d -> check(d, key, src.shape()) == null);
            } catch (DataException | IOException | RuntimeException | Error e) {
                deleteTree(tmp);
                throw e;
            }
            removeOlder(root, dataset, dir, src.where(), src.shape(), src.resize());
            Entry e = read(dir, scan, src, false, (System.nanoTime() - start) / 1e9);
            if (log != null) {
                int n = e.train().count() + e.test().count() + e.unlabeled().count();
                log.printf(Locale.ROOT, "%s: decoded %d images in %.1f s (%.0f img/s, %d threads) into %s%n", dataset, n,
                        e.seconds(), n / Math.max(e.seconds(), 1e-9), threads, dir);
            }
            return e;
        } catch (IOException e) {
            throw new DataException(dataset + ": cannot write the decode cache in " + root + " (" + e.getMessage()
                    + "); set 'cache:' in the dataset's folder block to a writable directory");
        }
    }

    /**
     * Renames the complete directory {@code tmp} to {@code dir} atomically. When {@code dir}
     * exists: if it is {@code valid} (another run published the same content first) it is kept and
     * {@code tmp} deleted; otherwise (damaged, or written by an older format) it is moved aside,
     * deleted, and {@code tmp} takes its place. Readers never see a half-written directory.
     *
     * @throws IOException when the rename fails for another reason (e.g. another file system)
     */
    static void publish(Path tmp, Path dir, java.util.function.Predicate<Path> valid) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (java.nio.file.FileSystemException e) {
                // Linux reports an existing non-empty target as a plain FileSystemException (ENOTEMPTY).
                if (!Files.exists(dir) || e instanceof AtomicMoveNotSupportedException) {
                    throw e;
                }
                if (valid.test(dir)) {
                    deleteTree(tmp);
                    return;
                }
                if (attempt > 0) {
                    throw e;
                }
                Path aside = dir.resolveSibling(".old-" + dir.getFileName() + "-" + ProcessHandle.current().pid());
                try {
                    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // another run removed it meanwhile
                }
                deleteTree(aside);
            }
        }
    }

    /** Why {@code dir} is not a usable cache for {@code key}, or null when it is. */
    static String check(Path dir, String key, ImageShape shape) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Files.exists(dir) ? "has no manifest" : "absent";
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return "has an unreadable manifest (" + e.getMessage() + ")";
        }
        if (!String.valueOf(FORMAT).equals(p.getProperty("format")) || !key.equals(p.getProperty("key"))) {
            return "was written for other files or settings";
        }
        for (String split : List.of("train", "test", "unlabeled")) {
            long count = Long.parseLong(p.getProperty(split + ".count", "-1"));
            Path file = dir.resolve(split + ".u8");
            try {
                if (count > 0 && Files.size(file) != count * shape.size()) {
                    return "has a " + split + ".u8 of the wrong size";
                }
            } catch (IOException e) {
                return "misses " + file.getFileName();
            }
        }
        return null;
    }

    private static void write(String dataset, Path tmp, String key, FolderScan.Scan scan, FolderSource src, int threads,
                              PrintStream log) throws IOException, DataException {
        List<List<FolderScan.Item>> splits = List.of(scan.train(), scan.test(), scan.unlabeled());
        List<String> names = List.of("train", "test", "unlabeled");
        int total = splits.stream().mapToInt(List::size).sum();
        int bytes = src.shape().size();
        FileChannel[] channels = new FileChannel[3];
        boolean[][] failed = new boolean[3][];
        ConcurrentLinkedQueue<String> corrupt = new ConcurrentLinkedQueue<>();
        try {
            for (int s = 0; s < 3; s++) {
                channels[s] = FileChannel.open(tmp.resolve(names.get(s) + ".u8"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                failed[s] = new boolean[splits.get(s).size()];
            }
            int[] offsets = {0, scan.train().size(), scan.train().size() + scan.test().size()};
            if (log != null) {
                log.printf(Locale.ROOT, "%s: decoding %d images (%s, %s) on %d threads into %s%n", dataset, total,
                        src.shape(), src.resize().key(), threads, src.cache());
            }
            record State(ImageDecoder decoder, byte[] buf) {
            }
            ParallelImages.run(total, threads, log == null ? null : dataset + " decode",
                    () -> new State(new ImageDecoder(src.shape(), src.resize()), new byte[bytes]), (st, i) -> {
                        int s = i >= offsets[2] ? 2 : i >= offsets[1] ? 1 : 0;
                        int j = i - offsets[s];
                        FolderScan.Item item = splits.get(s).get(j);
                        try {
                            st.decoder().decode(item.file(), st.buf());
                        } catch (ImageDecoder.CorruptImageException e) {
                            failed[s][j] = true;
                            corrupt.add(item.file() + ": " + e.getMessage());
                            java.util.Arrays.fill(st.buf(), (byte) 0);
                        }
                        channels[s].write(ByteBuffer.wrap(st.buf()), (long) j * bytes);
                    });
        } finally {
            for (FileChannel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
        }
        List<String> bad = new ArrayList<>(corrupt);
        bad.sort(null);
        if (!bad.isEmpty() && !src.skipUnreadable()) {
            throw new DataException(dataset + ": " + bad.size() + " image(s) cannot be decoded; nothing was cached:\n  "
                    + String.join("\n  ", bad.subList(0, Math.min(MAX_LISTED, bad.size())))
                    + (bad.size() > MAX_LISTED ? "\n  ... and " + (bad.size() - MAX_LISTED) + " more" : "")
                    + "\nreplace or remove them, or set skip_unreadable: true in the dataset's folder block to leave"
                    + " such images out (they are then listed in the results directory)");
        }
        List<String> left = new ArrayList<>(scan.unreadable());
        left.addAll(bad);
        for (int s = 0; s < 3; s++) {
            try (Writer w = Files.newBufferedWriter(tmp.resolve(names.get(s) + ".csv"), StandardCharsets.UTF_8)) {
                w.write("index,label,path\n");
                List<FolderScan.Item> items = splits.get(s);
                for (int j = 0; j < items.size(); j++) {
                    if (!failed[s][j]) {
                        w.write(j + "," + items.get(j).label() + "," + csvQuote(items.get(j).relative()) + "\n");
                    }
                }
            }
        }
        Files.write(tmp.resolve("unreadable.txt"), left, StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.setProperty("format", String.valueOf(FORMAT));
        p.setProperty("key", key);
        p.setProperty("dataset", dataset);
        p.setProperty("where", src.where());
        p.setProperty("shape", src.shape().toString());
        p.setProperty("resize", src.resize().key());
        p.setProperty("classes", String.join(",", scan.classes()));
        for (int s = 0; s < 3; s++) {
            p.setProperty(names.get(s) + ".count", String.valueOf(splits.get(s).size()));
        }
        // Written last: a directory with a manifest is complete (and it is renamed into place only then).
        try (Writer w = Files.newBufferedWriter(tmp.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            p.store(w, "sslbench decode cache; delete the directory to force decoding again");
        }
    }

    private static String csvQuote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static Entry read(Path dir, FolderScan.Scan scan, FolderSource src, boolean reused, double seconds)
            throws IOException {
        List<List<FolderScan.Item>> splits = List.of(scan.train(), scan.test(), scan.unlabeled());
        List<String> names = List.of("train", "test", "unlabeled");
        Split[] out = new Split[3];
        for (int s = 0; s < 3; s++) {
            List<FolderScan.Item> items = splits.get(s);
            int[] labels = items.stream().mapToInt(FolderScan.Item::label).toArray();
            List<Integer> kept = new ArrayList<>();
            try (Stream<String> lines = Files.lines(dir.resolve(names.get(s) + ".csv"), StandardCharsets.UTF_8)) {
                lines.skip(1).forEach(l -> kept.add(Integer.parseInt(l.substring(0, l.indexOf(',')))));
            }
            out[s] = new Split(names.get(s), dir.resolve(names.get(s) + ".u8"), items.size(), labels,
                    kept.stream().mapToInt(Integer::intValue).toArray());
        }
        List<String> unreadable = Files.readAllLines(dir.resolve("unreadable.txt"), StandardCharsets.UTF_8);
        return new Entry(dir, out[0], out[1], out[2], unreadable, reused, seconds);
    }

    /** Temporary directories of runs of this dataset that died (their process is gone). */
    private static void removeAbandoned(Path root, String dataset) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ".tmp-" + dataset + "-*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                try {
                    long pid = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(p);
                    }
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
    }

    /** Earlier caches of the same folders (other keys): superseded, so their disk space is freed. */
    private static void removeOlder(Path root, String dataset, Path keep, String where, ImageShape shape, Resize resize)
            throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, dataset + "-*")) {
            for (Path p : ds) {
                if (p.equals(keep) || !Files.isRegularFile(p.resolve(MANIFEST))) {
                    continue;
                }
                Properties props = new Properties();
                try (Reader r = Files.newBufferedReader(p.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                    props.load(r);
                }
                // Same folders and the same decoding settings: only the files changed. Another image size
                // or resize of the same folders (two specs) keeps its own cache.
                if (where.equals(props.getProperty("where")) && dataset.equals(props.getProperty("dataset"))
                        && shape.toString().equals(props.getProperty("shape")) && resize.key().equals(props.getProperty("resize"))) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
