package org.sslbench.results;

import static org.sslbench.results.CsvValues.getDouble;
import static org.sslbench.results.CsvValues.getInt;
import static org.sslbench.results.CsvValues.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * One published number of a reference table ({@code results/reference/*.csv}): a fact from its
 * source, with no spread, because sources rarely publish one.
 *
 * @param testAccuracy fraction in [0, 1]
 * @param nSeeds       runs behind the number (e.g. 10 label folds); its spread is unknown
 */
public record ReferenceRow(String dataset, String backbone, String protocol, int nLabels, String method,
                           Metric metric, double testAccuracy, int nSeeds, String source, String note) {

    /** Reference table header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "method", "metric", "test_accuracy", "n_seeds",
            "source", "note");

    public ReferenceRow {
        source = text(source);
        note = text(note);
    }

    public ResultKey key() {
        return new ResultKey(dataset, backbone, protocol, nLabels, method);
    }

    /** @throws ResultsFileException when the header is not {@link #COLUMNS} or a row is malformed */
    public static List<ReferenceRow> read(Path file) throws IOException {
        return CsvTable.read(file, COLUMNS, ReferenceRow::fromRecord).rows();
    }

    /**
     * One row, checked: key columns non-empty, {@code metric} one of {@link Metric}, accuracy a
     * fraction in [0, 1] (a percentage such as 61.30 would otherwise compare as 6130 %), n_labels
     * and n_seeds at least 1.
     *
     * @throws IllegalArgumentException naming the field ({@link CsvTable#read} adds file and line)
     */
    static ReferenceRow fromRecord(CSVRecord r) {
        for (String column : List.of("dataset", "backbone", "protocol", "method")) {
            if (r.get(column).isBlank()) {
                throw new IllegalArgumentException(column + ": empty; every reference row names its " + column);
            }
        }
        int nLabels = getInt(r, "n_labels");
        if (nLabels < 1) {
            throw new IllegalArgumentException("n_labels: " + nLabels + " is not a label count (>= 1)");
        }
        double accuracy = getDouble(r, "test_accuracy");
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("test_accuracy: '" + r.get("test_accuracy").strip() + "' is not a fraction"
                    + " in [0, 1]; write accuracies as fractions (61.30 % -> 0.6130)");
        }
        int nSeeds = getInt(r, "n_seeds");
        if (nSeeds < 1) {
            throw new IllegalArgumentException("n_seeds: " + nSeeds + " is not a run count (>= 1)");
        }
        return new ReferenceRow(r.get("dataset").strip(), r.get("backbone").strip(), r.get("protocol").strip(), nLabels,
                r.get("method").strip(), Metric.parse(r.get("metric")), accuracy, nSeeds, r.get("source"), r.get("note"));
    }
}
