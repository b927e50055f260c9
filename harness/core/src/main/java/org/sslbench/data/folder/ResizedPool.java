package org.sslbench.data.folder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.data.MappedImages;
import org.sslbench.data.UnlabeledPool;

/**
 * A pretext pool taken from another dataset ({@code pretext.dataset}) at the evaluation dataset's
 * [height, width, channels]: STL-10's 96×96 unlabeled images for CIFAR-10's 32×32, a large folder
 * of photos for a small labelled one.
 *
 * <p>Images are converted exactly as an image folder's are ({@link ImageDecoder}): the shorter side
 * scaled and the centre cropped (a folder source keeps its own {@code resize}), Lanczos-3
 * resampling, 3 → 1 channel as ITU-R BT.601 luma, 1 → 3 by repeating the gray value. They are
 * converted once into a uint8 HWC cache file (written to a hidden temporary directory on every
 * core, then renamed into place, as {@link FolderCache}) and memory-mapped ({@link MappedImages}),
 * so an epoch never resizes.
 *
 * <p>The cache of a registered dataset is keyed by the format version, the dataset's name and
 * {@link Dataset#source()} (its files and checksums, and the unlabeled limit), the pool size, a
 * SHA-256 over the pixels of up to {@value #SAMPLED} evenly spaced pool images (STL-10's 2.7 GB
 * pixel file is not hashed whole), and the target shape. A folder source is cached by
 * {@link FolderCache} itself (keyed by its file list, sizes and modification times).
 */
public final class ResizedPool {
    /** Bump when the conversion changes: every converted pool is then rebuilt. */
    static final int FORMAT = 1;
    /** Pool images whose pixels enter the cache key. */
    static final int SAMPLED = 256;

    /**
     * A converted pool and how it was made.
     *
     * @param images      the pool, unlabeled, of the target shape
     * @param description e.g. "stl10 unlabeled 100000 resized 96x96x3→32x32x3", for logs
     * @param cache       the cache directory, or null when the source already had the target shape
     * @param reused      whether the cache existed
     * @param leftOut     images of a pretext folder left out as unreadable ({@code skip_unreadable}), "file: why"
     */
    public record Result(ImageSet images, String description, Path cache, boolean reused, List<String> leftOut) {
        public Result {
            leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
        }

        /** Without images left out (a registered dataset's pool, which has none). */
        public Result(ImageSet images, String description, Path cache, boolean reused) {
            this(images, description, cache, reused, List.of());
        }
    }

    private ResizedPool() {
    }

    /**
     * The unlabeled pool of {@code source} (as loaded, its unlabeled limit applied) at {@code target}.
     * The pool itself when the shapes already agree.
     *
     * @param cacheRoot directory the converted pool is cached under (e.g. {@code <data dir>/cache})
     * @param threads   conversion threads (≥ 1)
     * @param log       progress and what happened; null for silence
     * @throws DataException when the source has other than 1 or 3 channels, or the cache cannot be written
     */
    public static Result of(Dataset source, ImageShape target, Path cacheRoot, int threads, PrintStream log)
            throws DataException {
        ImageSet pool = source.unlabeled();
        ImageShape from = source.shape();
        String what = source.name() + " unlabeled " + pool.size();
        if (from.equals(target)) {
            return new Result(pool, what + " (" + target + ", as is)", null, false);
        }
        for (ImageShape s : List.of(from, target)) {
            if (s.channels() != 1 && s.channels() != 3) {
                throw new DataException(source.name() + ": a pretext pool of " + from + " images cannot be converted to "
                        + target + " (only 1 or 3 channels are)");
            }
        }
        String key = key(source, target);
        Path dir = cacheRoot.resolve("pretext-" + source.name() + "-" + target + "-" + key.substring(0, 16));
        String description = what + " resized " + from + "→" + target;
        long start = System.nanoTime();
        try {
            boolean reused = complete(dir, key, pool.size(), target);
            if (!reused) {
                Files.createDirectories(cacheRoot);
                Path tmp = Files.createDirectories(cacheRoot.resolve(".tmp-pretext-" + source.name() + "-"
                        + key.substring(0, 16) + "-" + ProcessHandle.current().pid()));
                try {
                    write(source, target, tmp, key, threads, log);
                    FolderCache.publish(tmp, dir, d -> complete(d, key, pool.size(), target));
                } catch (IOException | RuntimeException | Error e) {
                    FolderCache.deleteTree(tmp);
                    throw e;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (log != null) {
                log.printf(Locale.ROOT, "%s: pretext pool %s %s in %.1f s (%s)%n", source.name(), description,
                        reused ? "reused" : "converted", seconds, dir);
            }
            MappedImages images = MappedImages.map(dir.resolve("pool.u8"), target, MappedImages.Layout.HWC, pool.size(), 0,
                    null);
            return new Result(images, description, dir, reused);
        } catch (IOException e) {
            throw new DataException(source.name() + ": cannot write the converted pretext pool in " + cacheRoot + " ("
                    + e.getMessage() + "); make the data directory's cache/ writable");
        }
    }

    /**
     * The pool of a pretext-only image folder ({@link FolderSource#pool()}) decoded straight to
     * {@code target} through {@link FolderCache}, cut to {@code limit} images (0 = all; seeded as
     * {@link UnlabeledPool}).
     *
     * @throws DataException for changed, corrupt or unreadable images, as for any image folder
     */
    public static Result ofFolder(String name, FolderSource src, ImageShape target, int limit, int threads,
                                  PrintStream log) throws DataException, IOException {
        FolderScan.Scan scan = FolderScan.scanPool(name, src);
        String content = FolderScan.fingerprint(scan);
        if (!src.content().isEmpty() && !src.content().equals(content)) {
            throw new DataException(name + ": the images in " + src.where() + " changed since the spec was read; run again");
        }
        // One cache per target shape: the name keeps FolderCache from removing another shape's as older.
        FolderCache.Entry cache = FolderCache.ensure(name + "." + target, scan, src.withShape(target), threads, log);
        FolderCache.Split split = cache.unlabeled();
        ImageSet all = MappedImages.map(split.file(), target, MappedImages.Layout.HWC, split.count(), 0, null);
        ImageSet kept = split.kept().length == split.count() ? all : all.subset(split.kept());
        if (kept.size() == 0) {
            throw new DataException(name + ": after leaving out unreadable images the pretext pool is empty; see "
                    + cache.dir().resolve("unreadable.txt"));
        }
        ImageSet pool = UnlabeledPool.of(name, kept, limit);
        String description = name + " (image folder " + src.where() + ") unlabeled " + pool.size()
                + (limit > 0 ? " of " + kept.size() : "") + " decoded to " + target + " " + src.resize().key();
        return new Result(pool, description, cache.dir(), cache.reused(), cache.unreadable());
    }

    /** The cache key of {@code source}'s pool converted to {@code target} (64 hex digits). */
    static String key(Dataset source, ImageShape target) {
        ImageSet pool = source.unlabeled();
        StringBuilder s = new StringBuilder();
        s.append("format=").append(FORMAT).append('\n')
                .append("dataset=").append(source.name()).append('\n')
                .append("source=").append(source.source()).append('\n')
                .append("count=").append(pool.size()).append('\n')
                .append("from=").append(source.shape()).append('\n')
                .append("to=").append(target).append('\n')
                .append("resize=").append(Resize.CROP.key()).append(" lanczos3\n")
                .append("sample=");
        float[] img = new float[source.shape().size()];
        StringBuilder px = new StringBuilder();
        int n = Math.min(SAMPLED, pool.size());
        for (int k = 0; k < n; k++) {
            int i = (int) ((long) k * pool.size() / n);
            pool.readImage(i, img, 0);
            px.append(i).append(':').append(java.util.Arrays.hashCode(img)).append(';');
        }
        s.append(Hashes.sha256(px.toString()));
        return Hashes.sha256(s.toString());
    }

    /** Whether {@code dir} is a complete conversion for {@code key}. */
    private static boolean complete(Path dir, String key, int count, ImageShape target) {
        Path manifest = dir.resolve(FolderCache.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(r);
            return key.equals(p.getProperty("key")) && Files.size(dir.resolve("pool.u8")) == (long) count * target.size();
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Dataset source, ImageShape target, Path tmp, String key, int threads, PrintStream log)
            throws IOException {
        ImageSet pool = source.unlabeled();
        ImageShape from = source.shape();
        int total = pool.size();
        if (log != null) {
            log.printf(Locale.ROOT, "%s: converting %d pretext pool images %s→%s on %d threads into %s%n", source.name(),
                    total, from, target, threads, tmp.getParent());
        }
        try (FileChannel out = FileChannel.open(tmp.resolve("pool.u8"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            record State(ImageDecoder decoder, float[] img, byte[] buf) {
            }
            ParallelImages.run(total, threads, log == null ? null : source.name() + " resize",
                    () -> new State(new ImageDecoder(target, Resize.CROP), new float[from.size()], new byte[target.size()]),
                    (st, i) -> {
                        pool.readImage(i, st.img(), 0);
                        st.decoder().toBytes(image(st.img(), from), st.buf());
                        out.write(ByteBuffer.wrap(st.buf()), (long) i * st.buf().length);
                    });
        }
        Properties p = new Properties();
        p.setProperty("format", String.valueOf(FORMAT));
        p.setProperty("key", key);
        p.setProperty("dataset", source.name());
        p.setProperty("source", source.source());
        p.setProperty("from", from.toString());
        p.setProperty("to", target.toString());
        p.setProperty("count", String.valueOf(total));
        // Written last: a directory with a manifest is complete (and renamed into place only then).
        try (Writer w = Files.newBufferedWriter(tmp.resolve(FolderCache.MANIFEST), StandardCharsets.UTF_8)) {
            p.store(w, "sslbench converted pretext pool; delete the directory to convert again");
        }
    }

    /**
     * One HWC image with values in [0, 1] (as {@link ImageSet#readImage} gives them, byte / 255) as
     * the 8-bit image it was: TYPE_BYTE_GRAY for 1 channel, TYPE_INT_RGB for 3.
     */
    static BufferedImage image(float[] hwc, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        if (shape.channels() == 1) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[x] = toByte(hwc[y * w + x]);
                }
                out.getRaster().setSamples(0, y, w, 1, 0, row);
            }
            return out;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = toByte(hwc[3 * i]) << 16 | toByte(hwc[3 * i + 1]) << 8 | toByte(hwc[3 * i + 2]);
        }
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
