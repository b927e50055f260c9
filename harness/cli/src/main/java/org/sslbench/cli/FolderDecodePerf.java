package org.sslbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.sslbench.data.DataException;
import org.sslbench.data.ImageShape;
import org.sslbench.data.folder.FolderDatasetFactory;
import org.sslbench.data.folder.FolderSource;
import org.sslbench.data.folder.Resize;

/**
 * The {@code folder-decode} case of {@code make perf}: an image folder (by default the 60,000
 * CIFAR-10 JPEGs of {@code ../shared/data/cifar-10-jpeg}, unpacked to a temporary directory and
 * deleted after) loaded twice through {@link FolderDatasetFactory} into a fresh cache: the first
 * load scans and decodes everything on all cores (seconds, wall clock), the second finds the cache
 * (scan, key, map: what every rerun pays). Files are in the page cache for both (just unpacked).
 */
final class FolderDecodePerf {
    /** Where the shared CIFAR-10 JPEG archive is on these machines, relative to the repository. */
    static final Path DEFAULT_ZIP = Path.of("..", "shared", "data", "cifar-10-jpeg", "cifar-10-jpeg.zip");

    record Result(int images, double decodeSeconds, double reuseSeconds) {
    }

    private FolderDecodePerf() {
    }

    /** Null (with a line saying why) when there is no folder to measure. */
    static Result measure(Path folder, PrintStream o) throws IOException, DataException {
        Path scratch = Files.createTempDirectory("sslbench-folder-perf-");
        try {
            Path root = folder;
            if (root == null) {
                if (!Files.isRegularFile(DEFAULT_ZIP)) {
                    o.println("  folder-decode: skipped (no --folder and no " + DEFAULT_ZIP + ")");
                    return null;
                }
                root = scratch.resolve("images");
                long t = System.nanoTime();
                int n = unzip(DEFAULT_ZIP, root);
                o.printf(Locale.ROOT, "  folder-decode: unpacked %d files of %s in %.1f s (not timed below)%n", n,
                        DEFAULT_ZIP, (System.nanoTime() - t) / 1e9);
            }
            Path test = Files.isDirectory(root.resolve("test")) ? root.resolve("test") : null;
            FolderSource src = new FolderSource(root.resolve("train"), test, null, null, new ImageShape(32, 32, 3),
                    Resize.CROP, FolderSource.DEFAULT_TEST_FRACTION, false, scratch.resolve("cache"), List.of(), "");
            int threads = Runtime.getRuntime().availableProcessors();
            FolderDatasetFactory f = new FolderDatasetFactory("perf-folder", src, threads, null);
            long t0 = System.nanoTime();
            var data = f.load(null, 0);
            double decode = (System.nanoTime() - t0) / 1e9;
            int images = data.train().size() + data.test().size();
            long t1 = System.nanoTime();
            new FolderDatasetFactory("perf-folder", src, threads, null).load(null, 0);
            double reuse = (System.nanoTime() - t1) / 1e9;
            return new Result(images, decode, reuse);
        } finally {
            org.sslbench.data.folder.FolderWriter.deleteTree(scratch);
        }
    }

    private static int unzip(Path zip, Path to) throws IOException {
        int n = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                Path target = to.resolve(e.getName()).normalize();
                if (!target.startsWith(to)) {
                    throw new IOException("zip entry outside the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                n++;
            }
        }
        return n;
    }
}
