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
                "pretext pool: " + description + "\n");
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
        StringBuilder md = new StringBuilder("## Datasets\n\n");
        try (java.util.stream.Stream<Path> pools = java.nio.file.Files.list(dir)) {
            for (Path f : pools.filter(p -> p.getFileName().toString().endsWith("-source.txt")).sorted().toList()) {
                String text = java.nio.file.Files.readString(f).strip();
                if (text.startsWith("pretext pool: ")) { // a pool without classes of its own
                    String name = f.getFileName().toString().replaceFirst("-source\\.txt$", "");
                    md.append("### ").append(name).append(" (pretext pool)\n\n").append(text.substring(14)).append("\n\n");
                    Path unreadable = dir.resolve(name + "-unreadable.txt");
                    if (java.nio.file.Files.exists(unreadable)) {
                        md.append("**").append(java.nio.file.Files.readAllLines(unreadable).size())
                                .append(" unreadable images left out** (`skip_unreadable: true`), listed in `datasets/")
                                .append(name).append("-unreadable.txt`.\n\n");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "## Datasets\n\n(cannot read " + dir + ": " + e.getMessage() + ")\n\n";
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-classes.csv")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("-classes\\.csv$", "");
                md.append("### ").append(name).append("\n\n");
                Path source = dir.resolve(name + "-source.txt");
                if (java.nio.file.Files.exists(source)) {
                    md.append(java.nio.file.Files.readString(source).strip()).append("\n\n");
                }
                Path unreadable = dir.resolve(name + "-unreadable.txt");
                if (java.nio.file.Files.exists(unreadable)) {
                    md.append("**").append(java.nio.file.Files.readAllLines(unreadable).size())
                            .append(" unreadable images left out** (`skip_unreadable: true`), listed in `datasets/")
                            .append(name).append("-unreadable.txt`.\n\n");
                }
                List<List<String>> rows = new java.util.ArrayList<>();
                try (java.io.Reader r = java.nio.file.Files.newBufferedReader(f);
                     org.apache.commons.csv.CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                             .build().parse(r)) {
                    rows.add(List.of("label", "class", "train images", "test images"));
                    p.forEach(rec -> rows.add(List.of(rec.get("label"), rec.get("class"), rec.get("train_images"),
                            rec.get("test_images"))));
                }
                md.append(TextTable.markdown(rows)).append('\n');
            }
        } catch (IOException | RuntimeException e) {
            return "## Datasets\n\n(cannot read " + dir + ": " + e.getMessage() + ")\n\n";
        }
        return md.toString();
    }

    private static int[] count(int[] labels, int classes) {
        int[] out = new int[classes];
        for (int l : labels) {
            out[l]++;
        }
        return out;
    }
}
