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
 * @param maxTestAccuracy the test-selected maximum ({@value #TEST_SELECTED}): the best test accuracy over
 *                       the epochs scored, chosen on the test split, so optimistic (a diagnostic,
 *                       never the reported number); NaN (empty) when the test split was scored once
 * @param collapseStd   mean per-dimension std of the L2-normalised embeddings (low = collapse)
 * @param methodParams  the method's effective params as the runner formats them
 * @param labelSubset   identifies the labelled subset (e.g. its hash), so seeds can be compared
 * @param subsetKind    how the labelled subset was drawn: {@link #STRATIFIED} (seeded, class-balanced)
 *                      or {@link #FOLD} (a dataset's predefined fold); two kinds never pool
 * @param fold          the predefined fold's index for {@link #FOLD}, else -1 (written empty)
 * @param configId      identity of the configuration without the seed and the fold: cells with equal
 *                      ids are repetitions of one experiment and are the only ones a leaderboard
 *                      averages; empty for rows written before the column existed
 * @param configHash    identity of the cell's full configuration: the resume key
 * @param pretextHash   identity of the pretext run, shared by cells that reuse one checkpoint
 * @param methodSource  what provided the method's code: a plugin jar's file name or a built-in
 *                      module's artifact, e.g. {@code sslbench-method-simclr-0.3.0.jar}; empty if unknown
 * @param methodSourceHash SHA-256 (hex) of that jar's content; empty if unknown
 * @param backboneSource what provided the backbone's code, as {@code methodSource}
 * @param backboneSourceHash SHA-256 (hex) of that jar's content; empty if unknown
 * @param datasetSource  what provided the dataset's code, as {@code methodSource}
 * @param datasetSourceHash SHA-256 (hex) of that jar's content; empty if unknown
 * @param pretextCode    {@link CodeIdentity#fingerprint} of the code that trained the pretext checkpoint
 *                       the cell was evaluated on (it can be older than the row's own code when a
 *                       checkpoint was reused); empty without pretraining or if unknown
 * @param pretextDataset the dataset whose unlabeled pool the pretext trained on when it is not the
 *                       evaluation dataset's own ({@code pretext.dataset}, e.g. {@code stl10} for a
 *                       cifar10 row); empty for the evaluation dataset's own pool, without pretraining,
 *                       and for rows written before the column existed
 * @param selection      the rule that chose the protocol's settings on the labelled subset only
 *                       (e.g. {@code holdout 20%}, {@code 5-fold}, {@code fixed}); empty for rows
 *                       written before the column existed (they used fixed settings)
 * @param selected       the settings it chose ({@code epochs=12}, {@code l2=0.001}, {@code k=20};
 *                       {@code ;}-separated); empty when fixed
 * @param precision      the EFFECTIVE compute precision of the cell's downstream sessions
 *                       ({@code fp32}, {@code bf16}, {@code fp16}; org.sslbench.engine.Precision#effective
 *                       of the protocol block's {@code precision}: {@code fp32} after a fallback);
 *                       {@code fp32} for rows written before the column existed
 */
public record CellResult(
        String spec, String method, String dataset, String backbone, String protocol,
        int nLabels, int seed, int pretextEpochs, int downstreamEpochs,
        double testAccuracy, double maxTestAccuracy, double testLoss, double pretextLoss, double collapseStd,
        double wallSeconds, double pretextSeconds, double imagesPerSecond,
        Status status, String statusDetail, String methodParams, String labelSubset,
        String subsetKind, int fold, String configId,
        String configHash, String pretextHash, String methodSource, String methodSourceHash,
        String backboneSource, String backboneSourceHash, String datasetSource, String datasetSourceHash,
        String pretextCode, String pretextDataset, String selection, String selected, String precision,
        Provenance provenance) {

    /** {@code subset_kind} of a seeded, class-stratified label subset. */
    public static final String STRATIFIED = "stratified";
    /** {@code subset_kind} of a dataset's predefined label fold. */
    public static final String FOLD = "fold";

    /** cells.csv header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "spec", "method", "dataset", "backbone", "protocol",
            "n_labels", "seed", "pretext_epochs", "downstream_epochs",
            "test_accuracy", "test_selected_max_accuracy", "test_loss", "pretext_loss", "collapse_std",
            "wall_seconds", "pretext_seconds", "images_per_second",
            "status", "status_detail", "method_params", "label_subset",
            "subset_kind", "fold", "config_id",
            "config_hash", "pretext_hash", "method_source", "method_source_sha256",
            "backbone_source", "backbone_source_sha256", "dataset_source", "dataset_source_sha256", "pretext_code",
            "pretext_dataset", "selection", "selected", "precision",
            "git_commit", "sslbench_version", "tf_version", "java_version", "os", "arch", "device",
            "threads", "timestamp");

    /** Columns added after the first layout, each group in the order it was added. */
    private static final List<String> ADDED_FOR_CONFIGURATIONS = List.of(
            "subset_kind", "fold", "config_id", "method_source", "method_source_sha256");
    private static final List<String> ADDED_FOR_CODE = List.of(
            "backbone_source", "backbone_source_sha256", "dataset_source", "dataset_source_sha256", "pretext_code");
    private static final List<String> ADDED_FOR_PRETEXT_DATASET = List.of("pretext_dataset");
    private static final List<String> ADDED_FOR_SELECTION = List.of("selection", "selected");
    private static final List<String> ADDED_FOR_PRECISION = List.of("precision");
    /** {@link #precision} of rows written before the column existed (mixed precision did not exist). */
    public static final String DEFAULT_PRECISION = "fp32";

    /**
     * The best test accuracy over the epochs scored: chosen on the test split, so an optimistic
     * diagnostic (named for that since issue 13; {@value #LEGACY_TEST_SELECTED} before).
     */
    public static final String TEST_SELECTED = "test_selected_max_accuracy";
    /** {@link #TEST_SELECTED}'s name in every layout before issue 13. */
    public static final String LEGACY_TEST_SELECTED = "max_test_accuracy";

    /**
     * Older cells.csv headers that are still read (the columns they lack come back unknown, i.e.
     * empty) and rewritten in the current layout at the next append, so old results directories
     * keep working: the first layout (before subset kind, configuration id and method source), and
     * the one before backbone/dataset sources and the pretext checkpoint's code were recorded, and
     * the one before the pretext dataset was, and the one before the selection rule was, and the
     * one with the selection rule whose test-selected column was still {@value #LEGACY_TEST_SELECTED}
     * (all of them name it so), and the one before the precision was recorded (rows read as
     * {@value #DEFAULT_PRECISION}).
     */
    public static final List<List<String>> LEGACY_HEADERS = List.of(
            without(ADDED_FOR_CONFIGURATIONS, ADDED_FOR_CODE, ADDED_FOR_PRETEXT_DATASET, ADDED_FOR_SELECTION,
                    ADDED_FOR_PRECISION),
            without(ADDED_FOR_CODE, ADDED_FOR_PRETEXT_DATASET, ADDED_FOR_SELECTION, ADDED_FOR_PRECISION),
            without(ADDED_FOR_PRETEXT_DATASET, ADDED_FOR_SELECTION, ADDED_FOR_PRECISION),
            without(ADDED_FOR_SELECTION, ADDED_FOR_PRECISION),
            without(ADDED_FOR_PRECISION),
            COLUMNS.stream().filter(c -> !ADDED_FOR_PRECISION.contains(c)).toList());

    @SafeVarargs
    private static List<String> without(List<String>... groups) {
        return COLUMNS.stream().filter(c -> java.util.Arrays.stream(groups).noneMatch(g -> g.contains(c)))
                .map(c -> c.equals(TEST_SELECTED) ? LEGACY_TEST_SELECTED : c).toList();
    }

    /** The first layout's header, {@link #LEGACY_HEADERS}{@code .get(0)}. */
    public static final List<String> LEGACY_COLUMNS = LEGACY_HEADERS.get(0);

    /** As the canonical constructor, computed in fp32 (every row before mixed precision existed). */
    public CellResult(
            String spec, String method, String dataset, String backbone, String protocol,
            int nLabels, int seed, int pretextEpochs, int downstreamEpochs,
            double testAccuracy, double maxTestAccuracy, double testLoss, double pretextLoss, double collapseStd,
            double wallSeconds, double pretextSeconds, double imagesPerSecond,
            Status status, String statusDetail, String methodParams, String labelSubset,
            String subsetKind, int fold, String configId,
            String configHash, String pretextHash, String methodSource, String methodSourceHash,
            String backboneSource, String backboneSourceHash, String datasetSource, String datasetSourceHash,
            String pretextCode, String pretextDataset, String selection, String selected, Provenance provenance) {
        this(spec, method, dataset, backbone, protocol, nLabels, seed, pretextEpochs, downstreamEpochs, testAccuracy,
                maxTestAccuracy, testLoss, pretextLoss, collapseStd, wallSeconds, pretextSeconds, imagesPerSecond, status,
                statusDetail, methodParams, labelSubset, subsetKind, fold, configId, configHash, pretextHash, methodSource,
                methodSourceHash, backboneSource, backboneSourceHash, datasetSource, datasetSourceHash, pretextCode,
                pretextDataset, selection, selected, DEFAULT_PRECISION, provenance);
    }

    /** As the canonical constructor with backbone, dataset and pretext code unknown (empty). */
    public CellResult(
            String spec, String method, String dataset, String backbone, String protocol,
            int nLabels, int seed, int pretextEpochs, int downstreamEpochs,
            double testAccuracy, double maxTestAccuracy, double testLoss, double pretextLoss, double collapseStd,
            double wallSeconds, double pretextSeconds, double imagesPerSecond,
            Status status, String statusDetail, String methodParams, String labelSubset,
            String subsetKind, int fold, String configId,
            String configHash, String pretextHash, String methodSource, String methodSourceHash,
            Provenance provenance) {
        this(spec, method, dataset, backbone, protocol, nLabels, seed, pretextEpochs, downstreamEpochs, testAccuracy,
                maxTestAccuracy, testLoss, pretextLoss, collapseStd, wallSeconds, pretextSeconds, imagesPerSecond, status,
                statusDetail, methodParams, labelSubset, subsetKind, fold, configId, configHash, pretextHash, methodSource,
                methodSourceHash, "", "", "", "", "", "", "", "", provenance);
    }

    /** As the canonical constructor with the pretext dataset empty (the evaluation dataset's own pool). */
    public CellResult(
            String spec, String method, String dataset, String backbone, String protocol,
            int nLabels, int seed, int pretextEpochs, int downstreamEpochs,
            double testAccuracy, double maxTestAccuracy, double testLoss, double pretextLoss, double collapseStd,
            double wallSeconds, double pretextSeconds, double imagesPerSecond,
            Status status, String statusDetail, String methodParams, String labelSubset,
            String subsetKind, int fold, String configId,
            String configHash, String pretextHash, String methodSource, String methodSourceHash,
            String backboneSource, String backboneSourceHash, String datasetSource, String datasetSourceHash,
            String pretextCode, Provenance provenance) {
        this(spec, method, dataset, backbone, protocol, nLabels, seed, pretextEpochs, downstreamEpochs, testAccuracy,
                maxTestAccuracy, testLoss, pretextLoss, collapseStd, wallSeconds, pretextSeconds, imagesPerSecond, status,
                statusDetail, methodParams, labelSubset, subsetKind, fold, configId, configHash, pretextHash, methodSource,
                methodSourceHash, backboneSource, backboneSourceHash, datasetSource, datasetSourceHash, pretextCode, "",
                "", "", provenance);
    }

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
        configId = text(configId);
        methodSource = text(methodSource);
        methodSourceHash = text(methodSourceHash);
        backboneSource = text(backboneSource);
        backboneSourceHash = text(backboneSourceHash);
        datasetSource = text(datasetSource);
        datasetSourceHash = text(datasetSourceHash);
        pretextCode = text(pretextCode);
        pretextDataset = text(pretextDataset);
        selection = text(selection);
        selected = text(selected);
        precision = precision == null || precision.isBlank() ? DEFAULT_PRECISION : precision.strip();
        if (!STRATIFIED.equals(subsetKind) && !FOLD.equals(subsetKind)) {
            throw new IllegalArgumentException("subset_kind: '" + subsetKind + "' is neither " + STRATIFIED + " nor " + FOLD);
        }
        if (FOLD.equals(subsetKind) != (fold >= 0)) {
            throw new IllegalArgumentException("fold: " + fold + " does not fit subset_kind " + subsetKind
                    + " (a fold index >= 0 exactly when the kind is " + FOLD + ")");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(provenance, "provenance");
        if (configHash == null || configHash.isBlank()) {
            throw new IllegalArgumentException("config_hash is the resume key and must not be empty");
        }
    }

    /** Values in {@link #COLUMNS} order. */
    /**
     * This row with another {@code config_id}: for a reused cell whose stored id was computed by an
     * earlier rule ({@link CellsCsv#relabel}). Everything else, the result included, is kept.
     */
    public CellResult withConfigId(String id) {
        return new CellResult(spec, method, dataset, backbone, protocol, nLabels, seed, pretextEpochs, downstreamEpochs,
                testAccuracy, maxTestAccuracy, testLoss, pretextLoss, collapseStd, wallSeconds, pretextSeconds,
                imagesPerSecond, status, statusDetail, methodParams, labelSubset, subsetKind, fold, id, configHash,
                pretextHash, methodSource, methodSourceHash, backboneSource, backboneSourceHash, datasetSource,
                datasetSourceHash, pretextCode, pretextDataset, selection, selected, precision, provenance);
    }

    public List<String> toRecord() {
        Provenance p = provenance;
        return List.of(
                spec, method, dataset, backbone, protocol,
                number(nLabels), number(seed), number(pretextEpochs), number(downstreamEpochs),
                number(testAccuracy), number(maxTestAccuracy), number(testLoss), number(pretextLoss),
                number(collapseStd),
                number(wallSeconds), number(pretextSeconds), number(imagesPerSecond),
                status.csv(), statusDetail, methodParams, labelSubset,
                subsetKind, fold < 0 ? "" : number(fold), configId,
                configHash, pretextHash, methodSource, methodSourceHash,
                backboneSource, backboneSourceHash, datasetSource, datasetSourceHash, pretextCode, pretextDataset,
                selection, selected, precision,
                p.gitCommit(), p.sslbenchVersion(), p.tfVersion(), p.javaVersion(), p.os(), p.arch(), p.device(),
                number(p.threads()), p.timestamp().toString());
    }

    /**
     * Parses a row of a file whose header is {@link #COLUMNS} or one of {@link #LEGACY_HEADERS}. A legacy
     * row's subset kind and fold are recovered from its label_subset ({@code fold3:...} for a
     * predefined fold); its config_id and code sources stay empty (unknown).
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
                getDouble(r, "test_accuracy"), getDouble(r, r.isMapped(TEST_SELECTED) ? TEST_SELECTED : LEGACY_TEST_SELECTED), getDouble(r, "test_loss"),
                getDouble(r, "pretext_loss"), getDouble(r, "collapse_std"),
                getDouble(r, "wall_seconds"), getDouble(r, "pretext_seconds"), getDouble(r, "images_per_second"),
                Status.parse(r.get("status")), r.get("status_detail"), r.get("method_params"), r.get("label_subset"),
                r.isMapped("subset_kind") ? r.get("subset_kind") : legacyKind(r.get("label_subset")),
                r.isMapped("fold") ? fold(r) : legacyFold(r.get("label_subset")),
                optional(r, "config_id"),
                r.get("config_hash"), r.get("pretext_hash"), optional(r, "method_source"),
                optional(r, "method_source_sha256"), optional(r, "backbone_source"),
                optional(r, "backbone_source_sha256"), optional(r, "dataset_source"), optional(r, "dataset_source_sha256"),
                optional(r, "pretext_code"), optional(r, "pretext_dataset"), optional(r, "selection"),
                optional(r, "selected"), optional(r, "precision"), p);
    }

    private static String optional(CSVRecord r, String column) {
        return r.isMapped(column) ? r.get(column) : "";
    }

    private static int fold(CSVRecord r) {
        return r.get("fold").isBlank() ? -1 : getInt(r, "fold");
    }

    // Before subset_kind existed the runner wrote a fold's subset as "fold<i>:<fingerprint>".
    private static final java.util.regex.Pattern LEGACY_FOLD = java.util.regex.Pattern.compile("fold(\\d+):.*");

    private static String legacyKind(String labelSubset) {
        return legacyFold(labelSubset) >= 0 ? FOLD : STRATIFIED;
    }

    private static int legacyFold(String labelSubset) {
        var m = LEGACY_FOLD.matcher(labelSubset == null ? "" : labelSubset.strip());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
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
