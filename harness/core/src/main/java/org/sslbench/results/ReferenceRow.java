package org.sslbench.results;

import static org.sslbench.results.CsvValues.getDouble;
import static org.sslbench.results.CsvValues.getInt;
import static org.sslbench.results.CsvValues.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;

/**
 * One published number of a reference table ({@code results/reference/*.csv}): a fact from its
 * source, with no spread, because sources rarely publish one.
 *
 * @param testAccuracy fraction in [0, 1]
 * @param nSeeds       runs behind the number (e.g. 10 label folds); its spread is unknown
 * @param subsetKind   which labelled subsets the number is over, where the source says:
 *                     {@link CellResult#STRATIFIED} (seeded class-balanced subsets, or all labels),
 *                     {@link CellResult#FOLD} (a dataset's predefined folds, e.g. STL-10's ten
 *                     1000-label folds); empty = unspecified, compared with run rows of both kinds
 * @param line         the row's line in its file (for messages), 0 when not read from a file
 */
public record ReferenceRow(String dataset, String backbone, String protocol, int nLabels, String method,
                           Metric metric, double testAccuracy, int nSeeds, String source, String note,
                           String subsetKind, long line) {

    /** Reference table header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "method", "subset_kind", "metric", "test_accuracy",
            "n_seeds", "source", "note");
    /** The header before {@code subset_kind} existed; such files still read (subset kind unspecified). */
    public static final List<String> LEGACY_COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "method", "metric", "test_accuracy", "n_seeds",
            "source", "note");

    public ReferenceRow {
        source = text(source);
        note = text(note);
        subsetKind = subsetKind == null ? "" : subsetKind;
    }

    /** Whether {@code header} is a reference table's, with or without {@code subset_kind}. */
    public static boolean isHeader(List<String> header) {
        return header.equals(COLUMNS) || header.equals(LEGACY_COLUMNS);
    }

    /** The key; its subset kind is the row's (empty when unspecified), its configuration unknown. */
    public ResultKey key() {
        return new ResultKey(dataset, backbone, protocol, nLabels, method, subsetKind, "");
    }

    /**
     * Reads a reference table ({@link #COLUMNS}, or {@link #LEGACY_COLUMNS}).
     *
     * @throws ResultsFileException when the header is neither, a row is malformed, or two rows
     *                              give the same key, subset kind, metric and source (naming
     *                              both lines): one source cannot publish two numbers for one
     *                              thing, and comparing both would count it twice
     */
    public static List<ReferenceRow> read(Path file) throws IOException {
        List<ReferenceRow> rows = CsvTable.readNumbered(file, COLUMNS, List.of(LEGACY_COLUMNS), ReferenceRow::fromRecord).rows();
        Map<String, ReferenceRow> seen = new LinkedHashMap<>();
        for (ReferenceRow r : rows) {
            String id = String.join("\u0000", r.key().toString(), r.subsetKind(), r.metric().csv(), r.source());
            ReferenceRow first = seen.putIfAbsent(id, r);
            if (first != null) {
                throw new ResultsFileException(file, "lines " + first.line() + " and " + r.line() + ": two rows for "
                        + r.key().scope() + (r.subsetKind().isEmpty() ? "" : " (" + r.subsetKind() + ")") + ", metric "
                        + r.metric().csv() + ", source '" + r.source() + "'"
                        + (first.testAccuracy() == r.testAccuracy() ? " (the same value " + r.testAccuracy() + ")"
                                : " with different values: " + first.testAccuracy() + " vs " + r.testAccuracy())
                        + "; a source publishes one number per key and metric: keep the right row, or tell them apart"
                        + " by source, metric or subset_kind");
            }
        }
        return rows;
    }

    /**
     * One row, checked: key columns non-empty, {@code subset_kind} (when the column exists) empty,
     * {@code stratified} or {@code fold}, {@code metric} one of {@link Metric}, accuracy a
     * fraction in [0, 1] (a percentage such as 61.30 would otherwise compare as 6130 %), n_labels
     * and n_seeds at least 1.
     *
     * @throws IllegalArgumentException naming the field ({@link CsvTable#read} adds file and line)
     */
    static ReferenceRow fromRecord(CSVRecord r, long line) {
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
        String kind = r.isMapped("subset_kind") ? r.get("subset_kind").strip() : "";
        if (!kind.isEmpty() && !kind.equals(CellResult.STRATIFIED) && !kind.equals(CellResult.FOLD)) {
            throw new IllegalArgumentException("subset_kind: '" + r.get("subset_kind").strip() + "' is not one of "
                    + CellResult.STRATIFIED + " (seeded class-balanced subsets, or all labels), " + CellResult.FOLD
                    + " (the dataset's predefined folds), or empty (unspecified: compared with both)");
        }
        return new ReferenceRow(r.get("dataset").strip(), r.get("backbone").strip(), r.get("protocol").strip(), nLabels,
                r.get("method").strip(), Metric.parse(r.get("metric")), accuracy, nSeeds, r.get("source"), r.get("note"),
                kind, line);
    }
}
