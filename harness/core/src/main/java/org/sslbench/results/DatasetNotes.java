package org.sslbench.results;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.sslbench.data.Dataset;

/**
 * What a results directory says about each dataset it used: {@code datasets/<name>-classes.csv}
 * (label index, class name, images per class in the labelled pool and the test split; the class
 * names that label indices stand for in every other file) and, when images were left out as
 * unreadable ({@code skip_unreadable}), {@code datasets/<name>-unreadable.txt} with one
 * "file: why" per image and a warning line; {@code datasets/<name>-source.txt} says where the images
 * came from (files, checksums, splits, the folder's content fingerprint). report.md lists them.
 */
public final class DatasetNotes {
    private DatasetNotes() {
    }

    /** Writes both files (atomically) under {@code resultsDir}; prints the warning to {@code out}. */
    public static void write(Path resultsDir, Dataset data, PrintStream out) throws IOException {
        Path dir = resultsDir.resolve("datasets");
        int[] train = count(data.train().labels(), data.classes());
        int[] test = count(data.test().labels(), data.classes());
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build())) {
            csv.printRecord("label", "class", "train_images", "test_images");
            for (int k = 0; k < data.classes(); k++) {
                csv.printRecord(k, data.classNames().get(k), train[k], test[k]);
            }
        }
        AtomicFiles.writeString(dir.resolve(data.name() + "-classes.csv"), text.toString());
        AtomicFiles.writeString(dir.resolve(data.name() + "-source.txt"), data.source() + "\n");
        writeUnreadable(resultsDir, data.name(), data.leftOut(), out);
    }

    /**
     * {@code datasets/<name>-source.txt} for a pretext dataset (a pool another dataset's methods
     * pretrain on), listed under "Datasets" in report.md as a pretext pool.
     */
    public static void writePoolSource(Path resultsDir, String name, String description) throws IOException {
        AtomicFiles.writeString(resultsDir.resolve("datasets").resolve(name + "-source.txt"),
                POOL_PREFIX + description + "\n");
    }

    /**
     * {@code datasets/<name>-unreadable.txt} with the images left out of dataset (or pretext pool)
     * {@code name} under {@code skip_unreadable}, and a warning line; an earlier run's list is
     * removed when none were left out.
     */
    public static void writeUnreadable(Path resultsDir, String name, List<String> left, PrintStream out) throws IOException {
        Path list = resultsDir.resolve("datasets").resolve(name + "-unreadable.txt");
        if (!left.isEmpty()) {
            AtomicFiles.writeString(list, String.join("\n", left) + "\n");
            out.printf("warning: %s: %d unreadable images were left out (skip_unreadable: true); listed in %s%n",
                    name, left.size(), list);
        } else {
            java.nio.file.Files.deleteIfExists(list); // from an earlier run whose images were fixed since
        }
    }

    /**
     * The "Datasets" section of report.md from the files {@link #write} left in {@code resultsDir}:
     * per dataset its source and classes (label, name, train and test images) and the number of
     * unreadable images left out; empty when there are none (results of older versions).
     */
    public static String markdown(Path resultsDir) {
        Path dir = resultsDir.resolve("datasets");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return "";
        }
        // Pretext pools (a source without classes) first, then the evaluation datasets, each by name.
        StringBuilder pools = new StringBuilder();
        StringBuilder datasets = new StringBuilder();
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith("-source.txt")) {
                    String text = java.nio.file.Files.readString(f).strip();
                    if (text.startsWith(POOL_PREFIX)) {
                        String name = file.substring(0, file.length() - "-source.txt".length());
                        pools.append("### ").append(name).append(" (pretext pool)\n\n")
                                .append(text.substring(POOL_PREFIX.length())).append("\n\n").append(unreadableNote(dir, name));
                    }
                } else if (file.endsWith("-classes.csv")) {
                    String name = file.substring(0, file.length() - "-classes.csv".length());
                    datasets.append("### ").append(name).append("\n\n");
                    Path source = dir.resolve(name + "-source.txt");
                    if (java.nio.file.Files.exists(source)) {
                        datasets.append(java.nio.file.Files.readString(source).strip()).append("\n\n");
                    }
                    datasets.append(unreadableNote(dir, name)).append(TextTable.markdown(classRows(f))).append('\n');
                }
            }
        } catch (IOException | RuntimeException e) {
            return "## Datasets\n\n(cannot read " + dir + ": " + e.getMessage() + ")\n\n";
        }
        return "## Datasets\n\n" + pools + datasets;
    }

    /** How {@link #writePoolSource} marks a pretext pool's source file. */
    private static final String POOL_PREFIX = "pretext pool: ";

    /** The report line on images left out of {@code name}, or "" when none were. */
    private static String unreadableNote(Path dir, String name) throws IOException {
        Path unreadable = dir.resolve(name + "-unreadable.txt");
        return java.nio.file.Files.exists(unreadable)
                ? "**" + java.nio.file.Files.readAllLines(unreadable).size() + " unreadable images left out**"
                        + " (`skip_unreadable: true`), listed in `datasets/" + name + "-unreadable.txt`.\n\n"
                : "";
    }

    /** The rows of a classes.csv as a table: label, class, train images, test images. */
    private static List<List<String>> classRows(Path classesCsv) throws IOException {
        List<List<String>> rows = new java.util.ArrayList<>();
        rows.add(List.of("label", "class", "train images", "test images"));
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(classesCsv);
             org.apache.commons.csv.CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .build().parse(r)) {
            p.forEach(rec -> rows.add(List.of(rec.get("label"), rec.get("class"), rec.get("train_images"),
                    rec.get("test_images"))));
        }
        return rows;
    }

    private static int[] count(int[] labels, int classes) {
        int[] out = new int[classes];
        for (int l : labels) {
            out[l]++;
        }
        return out;
    }
}
