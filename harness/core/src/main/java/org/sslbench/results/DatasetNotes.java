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
 * "file: why" per image and a warning line.
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
        List<String> left = data.leftOut();
        Path list = dir.resolve(data.name() + "-unreadable.txt");
        if (!left.isEmpty()) {
            AtomicFiles.writeString(list, String.join("\n", left) + "\n");
            out.printf("warning: %s: %d unreadable images were left out (skip_unreadable: true); listed in %s%n",
                    data.name(), left.size(), list);
        } else {
            java.nio.file.Files.deleteIfExists(list); // from an earlier run whose images were fixed since
        }
    }

    private static int[] count(int[] labels, int classes) {
        int[] out = new int[classes];
        for (int l : labels) {
            out[l]++;
        }
        return out;
    }
}
