package org.sslbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * File lookup, checksums and error messages shared by the built-in loaders, so that every loader
 * tells the user the same things in the same words.
 */
final class DataFiles {
    static final String GZ = ".gz";

    private DataFiles() {
    }

    /**
     * Finds {@code files} in {@code dataDir} or else in {@code dataDir/subdir} (the directory the
     * official archive unpacks to), and returns their paths in the order given.
     *
     * @param gzipOk  whether {@code name.gz} is accepted in place of {@code name}
     * @param howToGet where the files come from, appended to the message when some are missing
     * @throws DataException naming the missing files, the directory and how to get them
     */
    static List<Path> locate(String dataset, Path dataDir, String subdir, List<String> files,
                             boolean gzipOk, String howToGet) throws DataException {
        String expected = String.join(", ", files.stream().map(f -> gzipOk ? f + "[" + GZ + "]" : f).toList())
                + (gzipOk ? " (raw or gzipped)" : "");
        if (dataDir == null) {
            throw new DataException(dataset + ": no data directory given (DATA=..., --data or data.dir). "
                    + "Put these files in it: " + expected + ". " + howToGet);
        }
        Path best = dataDir;
        List<String> bestMissing = null;
        for (Path dir : List.of(dataDir, dataDir.resolve(subdir))) {
            List<Path> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String f : files) {
                Path p = find(dir, f, gzipOk);
                if (p == null) {
                    missing.add(gzipOk ? f + "[" + GZ + "]" : f);
                } else {
                    found.add(p);
                }
            }
            if (missing.isEmpty()) {
                return found;
            }
            // Report against the directory that came closest, which is where the user was aiming.
            if (bestMissing == null || missing.size() < bestMissing.size()) {
                best = dir;
                bestMissing = missing;
            }
        }
        String what = Files.isDirectory(dataDir)
                ? "missing " + String.join(", ", bestMissing) + " in " + best
                : dataDir + (Files.exists(dataDir) ? " is not a directory" : ": directory does not exist");
        throw new DataException(dataset + ": " + what + ". Expected in " + dataDir + " or "
                + dataDir.resolve(subdir) + ": " + expected + ". " + howToGet);
    }

    /** {@code dir/name}, else {@code dir/name.gz} when {@code gzipOk}, else {@code null}. */
    static Path find(Path dir, String name, boolean gzipOk) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path gz = dir.resolve(name + GZ);
        return gzipOk && Files.isRegularFile(gz) ? gz : null;
    }

    /** Labels must index the class list; {@code index} is the record's position in {@code file}. */
    static void checkLabel(String file, int index, int label, int classes) throws DataException {
        if (label < 0 || label >= classes) {
            throw new DataException("file " + file + ": label " + label + " of record " + index
                    + " is outside 0.." + (classes - 1));
        }
    }

    /** How many labels of each class. */
    static int[] perClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The first 12 hex digits of the SHA-256 of {@code bytes}: enough to tell data versions apart. */
    static String shortSha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    /**
     * Refuses a split with no images: training or scoring on nothing gives no result (or a
     * meaningless one), so an empty train, test or unlabeled split is bad input, reported with the
     * file(s) that should hold it. Single files may be empty as long as their split is not (the
     * CIFAR-10 validation layout of {@code bench/repro/cifar10-val-split.sh} has an empty batch).
     *
     * @param split    "train", "test" or "unlabeled"
     * @param files    the file(s) of that split, for the message
     * @param howToGet appended: where complete files come from
     * @throws DataException when {@code images == 0}
     */
    static void checkNotEmpty(String dataset, String split, int images, String files, String howToGet)
            throws DataException {
        if (images == 0) {
            throw new DataException(dataset + ": the " + split + " split is empty: " + files
                    + " hold(s) 0 images. Every dataset needs at least one train, one test and one unlabeled"
                    + " image; put the complete files there or point the data directory at a complete copy. "
                    + howToGet);
        }
    }

    /** Wraps an I/O failure in the checked data error {@link DatasetFactory#describe} may throw. */
    static DataException unreadable(String file, IOException e) {
        return new DataException("file " + file + ": cannot read: " + e, e);
    }
}
