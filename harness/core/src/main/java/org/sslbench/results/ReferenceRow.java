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

    static ReferenceRow fromRecord(CSVRecord r) {
        return new ReferenceRow(r.get("dataset"), r.get("backbone"), r.get("protocol"), getInt(r, "n_labels"),
                r.get("method"), Metric.parse(r.get("metric")), getDouble(r, "test_accuracy"),
                getInt(r, "n_seeds"), r.get("source"), r.get("note"));
    }
}
