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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs a dataset into {@code dataDir/subdir}, where its loader finds it. Archives are
 * downloaded (resumably, MD5-checked), unpacked into a temporary directory next to the target,
 * checked (expected files, published MD5s of the extracted files) and only then renamed into
 * place, so an interrupted or refused install never leaves a directory that looks complete.
 * Single files (Fashion-MNIST) get their final names only after their MD5 matched.
 *
 * <p>Every installed file is checked: against its own published MD5 where one exists, else
 * through the published MD5 of the archive it came out of. A successful check leaves a
 * {@link VerifiedRecord} in the directory. An install that is already there (from an earlier run,
 * an earlier sslbench version, or by hand) is checked the same way before it is reported as
 * installed; files unchanged since the record was written are not hashed again unless asked.
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
        return install(src, dataDir, false);
    }

    /**
     * As {@link #install(DataSource, Path)}; {@code rehash} hashes every installed file again even
     * when the verified record says it is unchanged.
     *
     * @throws DownloadException also when an installed file does not match its published (or
     *                           recorded) MD5: naming each file, expected and actual MD5 and what
     *                           to do; the directory's verified record is then removed; and when
     *                           {@code subdir} is incomplete but {@code dataDir} itself holds the
     *                           files (a flat layout the loaders read): move them, nothing is fetched
     */
    public Path install(DataSource src, Path dataDir, boolean rehash) throws DownloadException {
        Path dest = dataDir.toAbsolutePath().normalize().resolve(src.subdir());
        List<String> missing = missing(src, dest);
        if (missing.isEmpty()) {
            verifyInstalled(src, dest, rehash, "already installed in " + dest);
            return dest;
        }
        Path flat = dest.getParent();
        if (!missing(src, flat).isEmpty() || !Files.isDirectory(flat)) {
            flat = null;
        }
        if (flat != null && flat.getFileName() != null && flat.getFileName().toString().equals(src.subdir())) {
            throw new DownloadException(src.dataset() + ": " + flat + " is the dataset directory itself; give its parent"
                    + " as the data directory (`--data " + org.sslbench.data.Shell.quote(flat.getParent()) + "`, `make data"
                    + " DATA=" + org.sslbench.data.Shell.quote(flat.getParent()) + "`) to have its files checked in place");
        }
        if (flat != null) {
            // The loaders read files placed directly in DATA, but this command checks DATA/<subdir>/:
            // downloading a second copy next to them would leave the ones the loader reads unchecked.
            throw new DownloadException(src.dataset() + ": " + flat + " holds the dataset's files directly ("
                    + String.join(", ", src.checkedFiles().stream().filter(n -> Files.isRegularFile(dest.getParent().resolve(n)))
                            .toList()) + "), where the loader reads them but this command does not check them; move them"
                    + " into " + dest + "/ and run the command again to have every file checked (nothing is downloaded"
                    + " when the files are there)");
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
        if (src.archive()) {
            log.println(src.dataset() + ": installed in " + dest);
        } else {
            // Single files were checked as they arrived (or kept because they matched): record them.
            verifyInstalled(src, dest, true, "installed in " + dest);
        }
        return dest;
    }

    /** Published MD5 of each installed file: the extracted files' ones, or the downloads' own for single files. */
    private static Map<String, String> published(DataSource src) {
        Map<String, String> out = new LinkedHashMap<>(src.fileMd5());
        if (!src.archive()) {
            src.downloads().stream().filter(f -> f.md5() != null).forEach(f -> out.put(f.name(), f.md5()));
        }
        return out;
    }

    /**
     * Checks every file of an installed dataset and (re)writes its {@link VerifiedRecord}: a file
     * with a published MD5 must match it; one that came out of a verified archive must match the
     * MD5 recorded when it was unpacked; others (installed by hand, nothing published) are
     * recorded and named in a warning.
     */
    void verifyInstalled(DataSource src, Path dest, boolean rehash, String what) throws DownloadException {
        VerifiedRecord record = VerifiedRecord.read(dest);
        Map<String, String> published = published(src);
        List<String> names = new ArrayList<>(src.files());
        // Files the archive installs beyond the required ones (CIFAR-10's batches.meta.txt, whose
        // class names the loader reads) are checked whenever they are there.
        src.optionalFiles().stream().filter(n -> Files.isRegularFile(dest.resolve(n))).forEach(names::add);
        if (record != null) {
            record.names().stream().filter(n -> !names.contains(n) && Files.isRegularFile(dest.resolve(n)))
                    .forEach(names::add);
        }
        Map<String, VerifiedRecord.Entry> checked = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        List<String> unverifiable = new ArrayList<>();
        int hashed = 0;
        int fromArchive = 0;
        try {
            for (String name : names) {
                Path file = dest.resolve(name);
                VerifiedRecord.Entry old = record == null ? null : record.entries().get(name);
                String expected;
                VerifiedRecord.Basis basis;
                String against;
                if (published.containsKey(name)) {
                    expected = published.get(name);
                    basis = VerifiedRecord.Basis.PUBLISHED;
                    against = "its published MD5";
                } else if (old != null && old.basis() == VerifiedRecord.Basis.ARCHIVE) {
                    expected = old.md5();
                    basis = VerifiedRecord.Basis.ARCHIVE;
                    against = "the MD5 recorded when it was unpacked from the verified archive";
                    fromArchive++;
                } else {
                    expected = null;
                    basis = VerifiedRecord.Basis.NONE;
                    against = "";
                    unverifiable.add(name);
                }
                String actual;
                if (!rehash && old != null && record.unchanged(name, file) && (expected == null || expected.equals(old.md5()))) {
                    actual = old.md5();
                } else {
                    actual = Md5.of(file);
                    hashed++;
                }
                if (expected != null && !expected.equals(actual)) {
                    mismatches.add(dest.resolve(name) + " does not match " + against + ": expected " + expected
                            + ", got " + actual);
                }
                checked.put(name, VerifiedRecord.Entry.of(file, actual, basis));
            }
            if (!mismatches.isEmpty()) {
                VerifiedRecord.delete(dest);
                String remedy = src.archive()
                        ? "Move " + dest + " away (or delete it) and run the command again to install a verified copy."
                        : "Delete the file" + (mismatches.size() == 1 ? "" : "s") + " named and run the command again to"
                                + " download " + (mismatches.size() == 1 ? "it" : "them") + " anew.";
                throw new DownloadException(src.dataset() + ": " + String.join("; ", mismatches)
                        + ". The installed dataset is damaged or not the official one, so results computed from it"
                        + " would be wrong. " + remedy);
            }
            VerifiedRecord.write(dest, src.dataset(), checked);
        } catch (IOException e) {
            throw new DownloadException(src.dataset() + ": cannot check " + dest + ": " + e, e);
        }
        int byPublished = checked.size() - fromArchive - unverifiable.size();
        log.println(src.dataset() + ": " + what + "; " + (checked.size() - unverifiable.size()) + " of " + checked.size()
                + " files verified (" + byPublished + " by their published MD5, " + fromArchive
                + " by the published MD5 of the archive they came from; " + hashed + " hashed now, the others"
                + " unchanged since the last check)");
        if (!unverifiable.isEmpty()) {
            log.println("  warning: no published MD5 covers " + String.join(", ", unverifiable) + " (installed without"
                    + " `sslbench data`?): recorded in " + VerifiedRecord.FILE_NAME + ", not verified."
                    + (src.archive() ? " To verify them, move " + dest + " away and run this command again: the"
                            + " archive's published MD5 covers every file." : ""));
        }
    }

    private void installArchive(DataSource src, Path dest) throws DownloadException, IOException {
        Path dataDir = dest.getParent();
        Path archive = http.fetch(src.downloads().get(0), dataDir);
        removeStaleTemps(dataDir, src.dataset());
        Path tmp = Files.createTempDirectory(dataDir, TEMP_PREFIX + src.dataset() + "-");
        try {
            log.println("  unpacking " + archive.getFileName() + " (in " + tmp.getFileName() + ", moved into place when checked)");
            // Every file under the subdirectory is hashed while extracting, for the verified record.
            String prefix = src.subdir() + "/";
            Map<String, String> md5;
            try {
                md5 = SafeTarGz.extract(archive, tmp, (String rel) -> rel.startsWith(prefix));
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
            RemoteFile download = src.downloads().get(0);
            Map<String, VerifiedRecord.Entry> record = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : md5.entrySet()) {
                String name = e.getKey().substring(prefix.length());
                VerifiedRecord.Basis basis = src.fileMd5().containsKey(name) ? VerifiedRecord.Basis.PUBLISHED
                        : download.md5() != null ? VerifiedRecord.Basis.ARCHIVE : VerifiedRecord.Basis.NONE;
                record.put(name, VerifiedRecord.Entry.of(unpacked.resolve(name), e.getValue(), basis));
            }
            // Written before the move, so the directory appears complete and recorded at once.
            VerifiedRecord.write(unpacked, src.dataset(), record);
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
