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
     * Warnings about the files {@code dataset} would be read from under {@code dataDir} (its
     * sub-directory, as {@code data} installs it, or the directory itself); empty when every file
     * is as verified, when the dataset has no official download (embedded, image folders), when no
     * data directory is given, or when the files are not there (the loader reports that).
     */
    public static List<String> warnings(String dataset, Path dataDir) {
        DataSource src = DataSources.DATASETS.contains(dataset) ? DataSources.official(dataset) : null;
        if (src == null || dataDir == null) {
            return List.of();
        }
        Path dir = null;
        for (Path candidate : List.of(dataDir.resolve(src.subdir()), dataDir)) {
            if (Files.isRegularFile(candidate.resolve(src.files().get(0)))) {
                dir = candidate;
                break;
            }
        }
        if (dir == null) {
            return List.of();
        }
        String verify = "`make data DATASET=" + dataset + " DATA=" + org.sslbench.data.Shell.quote(dataDir) + "` checks every file against its"
                + " published MD5 (nothing is downloaded when the files are there)";
        VerifiedRecord record = VerifiedRecord.read(dir);
        if (record == null) {
            return List.of(dataset + ": " + dir + " has no " + VerifiedRecord.FILE_NAME + " record, so its files were"
                    + " never checked against their published MD5s (installed by hand or by an older sslbench?); "
                    + verify);
        }
        List<String> changed = new ArrayList<>();
        List<String> unverified = new ArrayList<>();
        for (String name : src.files()) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue; // e.g. raw instead of gzipped IDX files: the loader says what it read
            }
            try {
                if (!record.unchanged(name, file)) {
                    changed.add(name);
                } else if (record.entries().get(name).basis() == VerifiedRecord.Basis.NONE) {
                    unverified.add(name);
                }
            } catch (IOException e) {
                changed.add(name + " (" + e.getMessage() + ")");
            }
        }
        List<String> out = new ArrayList<>();
        if (!changed.isEmpty()) {
            out.add(dataset + ": " + String.join(", ", changed) + " in " + dir + " changed (size or modification time)"
                    + " since `sslbench data` verified " + (changed.size() == 1 ? "it" : "them") + " on "
                    + record.written() + "; " + verify.replace("`make data", "`make data ARGS=--verify"));
        }
        if (!unverified.isEmpty()) {
            out.add(dataset + ": " + String.join(", ", unverified) + " in " + dir + " are recorded but not verified"
                    + " (no published MD5 covers them)");
        }
        return out;
    }
}
