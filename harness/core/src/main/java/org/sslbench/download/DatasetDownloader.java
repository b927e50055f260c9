package org.sslbench.download;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs a dataset into {@code dataDir/subdir}, where its loader finds it. Archives are
 * downloaded (resumably, MD5-checked), unpacked into a temporary directory next to the target,
 * checked (expected files, published MD5s of the extracted files) and only then renamed into
 * place, so an interrupted or refused install never leaves a directory that looks complete.
 * Single files (Fashion-MNIST) get their final names only after their MD5 matched.
 */
public final class DatasetDownloader {
    static final String TEMP_PREFIX = ".sslbench-unpack-";
    private final HttpDownloader http;
    private final PrintStream log;

    public DatasetDownloader(HttpDownloader http, PrintStream log) {
        this.http = http;
        this.log = log;
    }

    /**
     * Makes the dataset complete in {@code dataDir/src.subdir()} and returns that directory; does
     * nothing when it already is.
     *
     * @throws DownloadException with what went wrong and, when the server cannot be reached or
     *                           the download fails, which files to put where by hand
     */
    public Path install(DataSource src, Path dataDir) throws DownloadException {
        Path dest = dataDir.toAbsolutePath().normalize().resolve(src.subdir());
        List<String> missing = missing(src, dest);
        if (missing.isEmpty()) {
            log.println(src.dataset() + ": already installed in " + dest);
            return dest;
        }
        boolean created = !Files.exists(dest);
        try {
            Files.createDirectories(dest.getParent());
            if (src.archive()) {
                if (Files.exists(dest)) {
                    throw new DownloadException(src.dataset() + ": " + dest + " exists but lacks " + String.join(", ", missing)
                            + "; move it away (or complete it by hand), then run again");
                }
                installArchive(src, dest);
            } else {
                for (RemoteFile f : src.downloads()) {
                    http.fetch(f, dest);
                }
            }
        } catch (UnreachableException e) {
            removeIfEmpty(dest, created);
            throw new UnreachableException(src.dataset() + ": " + e.getMessage() + ". Offline? Then "
                    + src.manualInstructions(dest.getParent()) + ".", e);
        } catch (SafeTarGz.UnsafeArchiveException e) {
            throw e;
        } catch (DownloadException e) {
            removeIfEmpty(dest, created);
            throw new DownloadException(src.dataset() + ": " + sentence(e.getMessage()) + " Alternatively, "
                    + src.manualInstructions(dest.getParent()) + ".", e);
        } catch (IOException e) {
            throw new DownloadException(src.dataset() + ": cannot install into " + dest + ": " + e, e);
        }
        List<String> still = missing(src, dest);
        if (!still.isEmpty()) {
            throw new DownloadException(src.dataset() + ": " + dest + " still lacks " + String.join(", ", still));
        }
        log.println(src.dataset() + ": installed in " + dest);
        return dest;
    }

    private void installArchive(DataSource src, Path dest) throws DownloadException, IOException {
        Path dataDir = dest.getParent();
        Path archive = http.fetch(src.downloads().get(0), dataDir);
        removeStaleTemps(dataDir, src.dataset());
        Path tmp = Files.createTempDirectory(dataDir, TEMP_PREFIX + src.dataset() + "-");
        try {
            log.println("  unpacking " + archive.getFileName() + " (in " + tmp.getFileName() + ", moved into place when checked)");
            Set<String> hash = new HashSet<>();
            src.fileMd5().keySet().forEach(f -> hash.add(src.subdir() + "/" + f));
            Map<String, String> md5;
            try {
                md5 = SafeTarGz.extract(archive, tmp, hash);
            } catch (SafeTarGz.UnsafeArchiveException e) {
                Files.deleteIfExists(archive);
                throw e;
            } catch (IOException e) {
                throw new DownloadException("cannot unpack " + archive + " (" + HttpDownloader.describe(e) + "). If the"
                        + " archive is damaged, delete it and run again to download it anew.", e);
            }
            Path unpacked = tmp.resolve(src.subdir());
            List<String> lacking = missing(src, unpacked);
            if (!lacking.isEmpty()) {
                Files.deleteIfExists(archive);
                throw new DownloadException(archive.getFileName() + " does not hold " + src.subdir() + "/"
                        + String.join(", " + src.subdir() + "/", lacking) + "; it is not the expected archive and was deleted.");
            }
            for (Map.Entry<String, String> e : src.fileMd5().entrySet()) {
                String actual = md5.get(src.subdir() + "/" + e.getKey());
                if (!e.getValue().equals(actual)) {
                    Files.deleteIfExists(archive);
                    throw new DownloadException("MD5 mismatch for " + src.subdir() + "/" + e.getKey() + " in "
                            + archive.getFileName() + ": expected " + e.getValue() + ", got " + actual
                            + ". The archive was deleted and nothing was installed; run the command again to retry.");
                }
            }
            Files.move(unpacked, dest, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
        Files.deleteIfExists(archive);
        log.println("  removed " + archive.getFileName() + " (unpacked)");
    }

    /** Leaves no empty dataset directory behind when a first download of single files failed. */
    private static void removeIfEmpty(Path dir, boolean created) {
        if (!created) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            if (!s.iterator().hasNext()) {
                Files.delete(dir);
            }
        } catch (IOException ignored) {
            // absent, or not ours to clean: leave it
        }
    }

    private static String sentence(String s) {
        return s.endsWith(".") ? s : s + ".";
    }

    /** Files of {@code src.files()} not in {@code dir}. */
    static List<String> missing(DataSource src, Path dir) {
        List<String> out = new ArrayList<>();
        for (String f : src.files()) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                out.add(f);
            }
        }
        return out;
    }

    /** Unpack directories of this dataset left by a killed run. */
    private void removeStaleTemps(Path dataDir, String dataset) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dataDir, TEMP_PREFIX + dataset + "-*")) {
            for (Path p : s) {
                log.println("  removing " + p + " (left by an interrupted run)");
                deleteTree(p);
            }
        }
    }

    /** Deletes a tree without following links. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
