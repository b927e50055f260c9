package org.sslbench.download;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cheap check a run makes before it trains on a downloadable dataset: is the directory it
 * reads the one {@code sslbench data} verified, unchanged since? It compares each file's size and
 * modification time with the {@link VerifiedRecord} (no hashing: that is {@code data --verify}'s
 * job), so a label file replaced after installation, or a dataset unpacked by hand, is named
 * before hours of training depend on it.
 */
public final class DataIntegrity {
    private DataIntegrity() {
    }

    /**
     * Warnings about the files {@code dataset} would be read from under {@code dataDir} (the
     * directory itself, else its sub-directory as {@code data} installs it: the loaders' order),
     * including files read un-gzipped, which no published MD5 covers; empty when every file
     * is as verified, when the dataset has no official download (embedded, image folders), when no
     * data directory is given, or when the files are not there (the loader reports that).
     */
    public static List<String> warnings(String dataset, Path dataDir) {
        DataSource src = DataSources.DATASETS.contains(dataset) ? DataSources.official(dataset) : null;
        if (src == null || dataDir == null) {
            return List.of();
        }
        // The directory and files the loader reads, found the way it finds them (DataFiles.locate:
        // the data directory itself first, then its subdirectory; a raw IDX file before its .gz).
        Path dir = null;
        List<Path> read = null;
        // The first directory holding every file the loader requires wins, as in the loader; else
        // the first holding the first file (the loader then reports what is missing).
        for (boolean complete : new boolean[] {true, false}) {
            for (Path candidate : List.of(dataDir, dataDir.resolve(src.subdir()))) {
                List<Path> found = loaderFiles(src, candidate);
                if (dir == null && found != null && (!complete || holdsLoaderRequired(src, candidate))) {
                    dir = candidate;
                    read = found;
                }
            }
        }
        if (dir == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        List<String> raw = read.stream().map(p -> p.getFileName().toString())
                .filter(n -> !src.checkedFiles().contains(n)).toList();
        if (!raw.isEmpty()) {
            // Only the .gz downloads have published MD5s: an unpacked copy cannot be checked.
            out.add(dataset + ": " + String.join(", ", raw) + " in " + dir + " " + (raw.size() == 1 ? "is" : "are")
                    + " read un-gzipped, and no MD5 is published for un-gzipped files (the published ones are for "
                    + String.join(", ", raw.stream().map(n -> n + ".gz").toList()) + "), so "
                    + (raw.size() == 1 ? "it was" : "they were") + " not verified. Remove the un-gzipped files (the loader"
                    + " reads them before the .gz ones) and keep the .gz files, which the loader reads directly, or run "
                    + dataCommand(src, dataDir, installTarget(src, dataDir, dir), "") + " to install verified .gz files in "
                    + installTarget(src, dataDir, dir) + "/");
        }
        boolean installDir = isInstallDir(src, dataDir, dir);
        VerifiedRecord record = VerifiedRecord.read(dir);
        if (record == null) {
            if (!raw.isEmpty() && raw.size() == read.size()) {
                return out; // every file is un-gzipped: said above
            }
            out.add(dataset + ": " + dir + " has no " + VerifiedRecord.FILE_NAME + " record, so its files were"
                    + " never checked against their published MD5s (installed by hand or by an older sslbench?); "
                    + verifyAdvice(src, dataDir, dir, installDir, ""));
            return out;
        }
        List<String> changed = new ArrayList<>();
        List<String> unrecorded = new ArrayList<>();
        List<String> unverified = new ArrayList<>();
        for (String name : src.checkedFiles()) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue; // an optional file not installed, or a raw IDX file read instead (said above)
            }
            try {
                if (!record.entries().containsKey(name)) {
                    unrecorded.add(name);
                } else if (!record.unchanged(name, file)) {
                    changed.add(name);
                } else if (record.entries().get(name).basis() == VerifiedRecord.Basis.NONE) {
                    unverified.add(name);
                }
            } catch (IOException e) {
                changed.add(name + " (" + e.getMessage() + ")");
            }
        }
        if (!changed.isEmpty()) {
            out.add(dataset + ": " + String.join(", ", changed) + " in " + dir + " changed (size or modification time)"
                    + " since `sslbench data` verified " + (changed.size() == 1 ? "it" : "them") + " on "
                    + record.written() + "; " + verifyAdvice(src, dataDir, dir, installDir, " ARGS=--verify"));
        }
        if (!unrecorded.isEmpty()) {
            out.add(dataset + ": " + String.join(", ", unrecorded) + " in " + dir + " " + (unrecorded.size() == 1 ? "is" : "are")
                    + " not in its " + VerifiedRecord.FILE_NAME + " record (added after `sslbench data` checked the"
                    + " directory, or recorded by an older sslbench), so never checked; "
                    + verifyAdvice(src, dataDir, dir, installDir, ""));
        }
        if (!unverified.isEmpty()) {
            out.add(dataset + ": " + String.join(", ", unverified) + " in " + dir + " are recorded but not verified"
                    + " (no published MD5 covers them)");
        }
        return out;
    }

    /**
     * The files the loader would read from {@code dir}, or {@code null} when the first required
     * file is missing (the dataset is not there; the loader reports what else is missing): each
     * file of {@code files} present; for single {@code .gz} downloads (Fashion-MNIST) the
     * un-gzipped name first, as the loader prefers it.
     */
    private static List<Path> loaderFiles(DataSource src, Path dir) {
        List<Path> out = new ArrayList<>();
        for (String name : src.files()) {
            Path file = dir.resolve(name);
            if (!src.archive() && name.endsWith(".gz")) {
                Path raw = dir.resolve(name.substring(0, name.length() - ".gz".length()));
                if (Files.isRegularFile(raw)) {
                    file = raw;
                }
            }
            if (Files.isRegularFile(file)) {
                out.add(file);
            } else if (out.isEmpty()) {
                return null;
            }
        }
        return out;
    }

    /** Whether {@code dir} holds every file the loader requires (STL-10's class_names.txt is optional to it). */
    private static boolean holdsLoaderRequired(DataSource src, Path dir) {
        List<String> required = src.dataset().equals(DataSources.STL10) ? org.sslbench.data.Stl10Factory.REQUIRED_FILES
                : src.files();
        return required.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n))
                || (!src.archive() && n.endsWith(".gz") && Files.isRegularFile(dir.resolve(n.substring(0, n.length() - 3)))));
    }

    /**
     * Whether {@code dir} is where {@code sslbench data} checks: {@code DATA/subdir}, given either
     * as {@code DATA} or as the subdirectory itself. Files placed flat in another directory are
     * read by the loaders but {@code data} would install a fresh copy rather than check them.
     */
    private static boolean isInstallDir(DataSource src, Path dataDir, Path dir) {
        return dir.getFileName() != null && dir.getFileName().toString().equals(src.subdir());
    }

    /** Where {@code sslbench data} installs and checks the files the loader reads from {@code dir}. */
    private static Path installTarget(DataSource src, Path dataDir, Path dir) {
        return isInstallDir(src, dataDir, dir) ? dir : dataDir.resolve(src.subdir());
    }

    /** {@code make data …} for the data directory that holds {@code dir} as its subdirectory. */
    private static String dataCommand(DataSource src, Path dataDir, Path dir, String args) {
        Path parent = isInstallDir(src, dataDir, dir) ? dir.getParent() : dataDir;
        return "`make data DATASET=" + src.dataset() + " DATA=" + org.sslbench.data.Shell.quote(parent == null ? dir : parent)
                + args + "`";
    }

    /**
     * What to run to check the files in {@code dir}: {@code make data} when they are where it
     * looks; else (a flat layout) move them there first, since {@code data} would otherwise try
     * to download a copy instead of checking these.
     */
    private static String verifyAdvice(DataSource src, Path dataDir, Path dir, boolean installDir, String args) {
        if (installDir) {
            return dataCommand(src, dataDir, dir, args) + " checks every file against its published MD5 (nothing is"
                    + " downloaded when the files are there)";
        }
        Path target = installTarget(src, dataDir, dir);
        return "`make data` checks only " + target + "/, not files placed directly in " + dir + ": move "
                + String.join(", ", src.checkedFiles().stream().filter(n -> Files.isRegularFile(dir.resolve(n))).toList())
                + " into " + target + "/ (the loader reads them there too), then " + dataCommand(src, dataDir, target, args)
                + " checks every file against its published MD5 (nothing is downloaded when the files are there)";
    }
}
