package org.sslbench.results;

import static org.sslbench.results.CsvValues.getDouble;
import static org.sslbench.results.CsvValues.getInt;
import static org.sslbench.results.CsvValues.number;
import static org.sslbench.results.CsvValues.text;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVRecord;

/**
 * One evaluated cell (method × dataset × backbone × protocol × label count × seed): one row of
 * cells.csv. Doubles are NaN when there is no value (e.g. {@code test_loss} for knn,
 * {@code pretext_loss} for the supervised baseline); see {@link CsvValues} for the encoding.
 * Accuracies are fractions in [0, 1]. Null strings become empty.
 *
 * @param collapseStd   mean per-dimension std of the L2-normalised embeddings (low = collapse)
 * @param methodParams  the method's effective params as the runner formats them
 * @param labelSubset   identifies the labelled subset (e.g. its hash), so seeds can be compared
 * @param configHash    identity of the cell's full configuration: the resume key
 * @param pretextHash   identity of the pretext run, shared by cells that reuse one checkpoint
 */
public record CellResult(
        String spec, String method, String dataset, String backbone, String protocol,
        int nLabels, int seed, int pretextEpochs, int downstreamEpochs,
        double testAccuracy, double maxTestAccuracy, double testLoss, double pretextLoss, double collapseStd,
        double wallSeconds, double pretextSeconds, double imagesPerSecond,
        Status status, String statusDetail, String methodParams, String labelSubset,
        String configHash, String pretextHash, Provenance provenance) {

    /** cells.csv header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "spec", "method", "dataset", "backbone", "protocol",
            "n_labels", "seed", "pretext_epochs", "downstream_epochs",
            "test_accuracy", "max_test_accuracy", "test_loss", "pretext_loss", "collapse_std",
            "wall_seconds", "pretext_seconds", "images_per_second",
            "status", "status_detail", "method_params", "label_subset",
            "config_hash", "pretext_hash",
            "git_commit", "sslbench_version", "tf_version", "java_version", "os", "arch", "device",
            "threads", "timestamp");

    public CellResult {
        spec = text(spec);
        method = text(method);
        dataset = text(dataset);
        backbone = text(backbone);
        protocol = text(protocol);
        statusDetail = text(statusDetail);
        methodParams = text(methodParams);
        labelSubset = text(labelSubset);
        pretextHash = text(pretextHash);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(provenance, "provenance");
        if (configHash == null || configHash.isBlank()) {
            throw new IllegalArgumentException("config_hash is the resume key and must not be empty");
        }
    }

    /** Values in {@link #COLUMNS} order. */
    public List<String> toRecord() {
        Provenance p = provenance;
        return List.of(
                spec, method, dataset, backbone, protocol,
                number(nLabels), number(seed), number(pretextEpochs), number(downstreamEpochs),
                number(testAccuracy), number(maxTestAccuracy), number(testLoss), number(pretextLoss),
                number(collapseStd),
                number(wallSeconds), number(pretextSeconds), number(imagesPerSecond),
                status.csv(), statusDetail, methodParams, labelSubset,
                configHash, pretextHash,
                p.gitCommit(), p.sslbenchVersion(), p.tfVersion(), p.javaVersion(), p.os(), p.arch(), p.device(),
                number(p.threads()), p.timestamp().toString());
    }

    /**
     * Parses a row of a file whose header is {@link #COLUMNS}.
     *
     * @throws IllegalArgumentException naming the column when a value is malformed
     */
    public static CellResult fromRecord(CSVRecord r) {
        Provenance p = new Provenance(
                r.get("git_commit"), r.get("sslbench_version"), r.get("tf_version"), r.get("java_version"),
                r.get("os"), r.get("arch"), r.get("device"), getInt(r, "threads"), timestamp(r));
        return new CellResult(
                r.get("spec"), r.get("method"), r.get("dataset"), r.get("backbone"), r.get("protocol"),
                getInt(r, "n_labels"), getInt(r, "seed"), getInt(r, "pretext_epochs"), getInt(r, "downstream_epochs"),
                getDouble(r, "test_accuracy"), getDouble(r, "max_test_accuracy"), getDouble(r, "test_loss"),
                getDouble(r, "pretext_loss"), getDouble(r, "collapse_std"),
                getDouble(r, "wall_seconds"), getDouble(r, "pretext_seconds"), getDouble(r, "images_per_second"),
                Status.parse(r.get("status")), r.get("status_detail"), r.get("method_params"), r.get("label_subset"),
                r.get("config_hash"), r.get("pretext_hash"), p);
    }

    private static Instant timestamp(CSVRecord r) {
        String v = r.get("timestamp").strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp: not an ISO-8601 UTC instant: '" + v + "'");
        }
    }
}
