package org.sslbench.results;

import java.time.Instant;

/** Fixture cells for the results tests. */
final class TestCells {
    static final Provenance PROVENANCE = new Provenance("0123456789ab", "dev", "2.18.0", "17.0.15",
            "Linux 6.1", "amd64", "cpu", 2, Instant.parse("2026-11-22T18:10:54.123Z"));

    private TestCells() {
    }

    static CellResult cell(String method, String dataset, int nLabels, int seed, Status status, double accuracy) {
        return cell(method, dataset, "small-cnn", "finetune", nLabels, seed, status, accuracy);
    }

    /** Losses derive from the accuracy so different cells have different, checkable values. */
    static CellResult cell(String method, String dataset, String backbone, String protocol, int nLabels, int seed,
                           Status status, double accuracy) {
        String hash = String.join("|", method, dataset, backbone, protocol, "" + nLabels, "" + seed);
        return new CellResult("spec-a", method, dataset, backbone, protocol, nLabels, seed, 5, 10,
                accuracy, accuracy + 0.01, 1 - accuracy, 2 - accuracy, 0.3,
                12.5, 3.0, 1500.0, status, status == Status.OK ? "" : "boom", "lr=0.1", "subset-" + seed,
                CellResult.STRATIFIED, -1, String.join("|", method, dataset, backbone, protocol, "" + nLabels),
                hash, "pretext-" + method, "", "", PROVENANCE);
    }

    static CellResult ok(String hash, int seed) {
        return withHash(cell("rotation", "mnist", 100, seed, Status.OK, 0.5 + seed / 100.0), hash);
    }

    static CellResult withHash(CellResult c, String hash) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(),
                c.status(), c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                hash, c.pretextHash(), c.methodSource(), c.methodSourceHash(), c.provenance());
    }

    /** {@code c} with another max_test_accuracy (NaN: not measured). */
    static CellResult withMax(CellResult c, double max) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), max, c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(),
                c.status(), c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), c.methodSource(), c.methodSourceHash(), c.provenance());
    }

    static CellResult withStatus(CellResult c, Status status) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(),
                status, c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), c.methodSource(), c.methodSourceHash(), c.provenance());
    }

    /**
     * {@code c} as a cell of configuration {@code configId} with {@code params}, on a predefined
     * fold ({@code fold >= 0}) or a stratified subset; its config hash made unique from all of them.
     */
    static CellResult configured(CellResult c, String configId, String params, int fold) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(),
                c.status(), c.statusDetail(), params, c.labelSubset(), fold < 0 ? CellResult.STRATIFIED : CellResult.FOLD,
                fold, configId, c.configHash() + "|" + configId + "|" + fold, c.pretextHash(), c.methodSource(),
                c.methodSourceHash(), c.provenance());
    }
}
