package org.sslbench.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sslbench.plugin.CodeOrigin;

/**
 * The code that computed a cell or trained a pretext checkpoint: sslbench's version and build
 * commit, and the jars (or built-in modules) that provided the method, the backbone and the dataset,
 * each with its content hash; for a cell evaluated on a pretext checkpoint, also the code that
 * trained that checkpoint ({@link #pretextCode}, a {@link #fingerprint}).
 *
 * <p>Deliberately not part of {@code config_hash}: the hash says which experiment a row is, this
 * says which code ran it. Were it in the hash, every rebuild would silently start every cell over;
 * instead a rerun compares it ({@link #differences}) and warns about stale cells, which
 * {@code bench --recompute-stale} redoes.
 *
 * @param sslbenchVersion  as {@link Provenance#sslbenchVersion()}
 * @param gitCommit        as {@link Provenance#gitCommit()} (the build's commit)
 * @param methodSource     the method's providing jar's name, as {@link CodeOrigin#name()}
 * @param methodSourceSha256 that jar's content hash, as {@link CodeOrigin#sha256()}
 * @param backboneSource   the backbone's providing jar's name
 * @param backboneSourceSha256 that jar's content hash
 * @param datasetSource    the dataset's providing jar's name
 * @param datasetSourceSha256 that jar's content hash
 * @param pretextCode      {@link #fingerprint} of the code that trained the pretext checkpoint a cell
 *                         was evaluated on; empty for a checkpoint's own identity, a cell without
 *                         pretraining, or a row written before it was recorded
 */
public record CodeIdentity(String sslbenchVersion, String gitCommit, String methodSource, String methodSourceSha256,
                           String backboneSource, String backboneSourceSha256, String datasetSource,
                           String datasetSourceSha256, String pretextCode) {
    /** Checkpoint metadata keys, the same names as the cells.csv columns. */
    public static final String VERSION_KEY = "sslbench_version";
    public static final String COMMIT_KEY = "git_commit";
    public static final String SOURCE_KEY = "method_source";
    public static final String SOURCE_HASH_KEY = "method_source_sha256";
    public static final String BACKBONE_SOURCE_KEY = "backbone_source";
    public static final String BACKBONE_SOURCE_HASH_KEY = "backbone_source_sha256";
    public static final String DATASET_SOURCE_KEY = "dataset_source";
    public static final String DATASET_SOURCE_HASH_KEY = "dataset_source_sha256";

    public CodeIdentity {
        sslbenchVersion = orEmpty(sslbenchVersion);
        gitCommit = orEmpty(gitCommit);
        methodSource = orEmpty(methodSource);
        methodSourceSha256 = orEmpty(methodSourceSha256);
        backboneSource = orEmpty(backboneSource);
        backboneSourceSha256 = orEmpty(backboneSourceSha256);
        datasetSource = orEmpty(datasetSource);
        datasetSourceSha256 = orEmpty(datasetSourceSha256);
        pretextCode = orEmpty(pretextCode);
    }

    /** Only the method's code known (backbone, dataset and pretext code not recorded). */
    public CodeIdentity(String sslbenchVersion, String gitCommit, String methodSource, String methodSourceSha256) {
        this(sslbenchVersion, gitCommit, methodSource, methodSourceSha256, "", "", "", "", "");
    }

    /** The code running now for a method, backbone and dataset provided by these origins. */
    public static CodeIdentity current(Provenance provenance, CodeOrigin method, CodeOrigin backbone, CodeOrigin dataset) {
        return new CodeIdentity(provenance.sslbenchVersion(), provenance.gitCommit(), method.name(), method.sha256(),
                backbone.name(), backbone.sha256(), dataset.name(), dataset.sha256(), "");
    }

    /** The code recorded in a cells.csv row (empty parts for rows written before they were recorded). */
    public static CodeIdentity of(CellResult row) {
        return new CodeIdentity(row.provenance().sslbenchVersion(), row.provenance().gitCommit(), row.methodSource(),
                row.methodSourceHash(), row.backboneSource(), row.backboneSourceHash(), row.datasetSource(),
                row.datasetSourceHash(), row.pretextCode());
    }

    /** The code recorded in a checkpoint's metadata (empty parts for older checkpoints). */
    public static CodeIdentity of(Map<String, String> metadata) {
        return new CodeIdentity(metadata.get(VERSION_KEY), metadata.get(COMMIT_KEY), metadata.get(SOURCE_KEY),
                metadata.get(SOURCE_HASH_KEY), metadata.get(BACKBONE_SOURCE_KEY), metadata.get(BACKBONE_SOURCE_HASH_KEY),
                metadata.get(DATASET_SOURCE_KEY), metadata.get(DATASET_SOURCE_HASH_KEY), "");
    }

    /** This identity with {@code pretextCode} set: a cell evaluated on a checkpoint trained by that code. */
    public CodeIdentity withPretextCode(String code) {
        return new CodeIdentity(sslbenchVersion, gitCommit, methodSource, methodSourceSha256, backboneSource,
                backboneSourceSha256, datasetSource, datasetSourceSha256, code);
    }

    /**
     * A short (16 hex digits) SHA-256 of the code parts (version, commit and the three content
     * hashes; not the jar names, not {@link #pretextCode}): equal exactly when the same code ran.
     * Stored as a cell's {@code pretext_code} and in current-configs.csv's {@code code}.
     */
    public String fingerprint() {
        String joined = String.join("\n", sslbenchVersion, gitCommit, methodSourceSha256, backboneSourceSha256,
                datasetSourceSha256);
        return org.sslbench.matrix.ConfigHash.sha256Hex(joined, 16);
    }

    /** This identity as checkpoint metadata entries ({@link #pretextCode} is not a checkpoint's). */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(VERSION_KEY, sslbenchVersion);
        m.put(COMMIT_KEY, gitCommit);
        m.put(SOURCE_KEY, methodSource);
        m.put(SOURCE_HASH_KEY, methodSourceSha256);
        m.put(BACKBONE_SOURCE_KEY, backboneSource);
        m.put(BACKBONE_SOURCE_HASH_KEY, backboneSourceSha256);
        m.put(DATASET_SOURCE_KEY, datasetSource);
        m.put(DATASET_SOURCE_HASH_KEY, datasetSourceSha256);
        return m;
    }

    /**
     * How the code recorded here differs from {@code current}, one phrase each, e.g.
     * {@code "method code sslbench-method-simclr.jar 1a2b3c4d5e6f -> 0f9e8d7c6b5a"}; empty when it is
     * the same code. Jars are compared by content hash only (a renamed jar with the same classes is
     * the same code); anything not recorded counts as different, since it cannot be vouched for. A
     * recorded {@link #pretextCode} must equal {@code current}'s {@link #fingerprint}: a cell computed
     * now on a checkpoint trained by older code is as stale as the checkpoint.
     */
    public List<String> differences(CodeIdentity current) {
        List<String> out = new ArrayList<>();
        if (!sslbenchVersion.equals(current.sslbenchVersion)) {
            out.add("sslbench " + shown(sslbenchVersion) + " -> " + current.sslbenchVersion);
        }
        if (!gitCommit.equals(current.gitCommit)) {
            out.add("sslbench build " + shown(gitCommit) + " -> " + current.gitCommit);
        }
        jar(out, "method", methodSource, methodSourceSha256, current.methodSource, current.methodSourceSha256);
        jar(out, "backbone", backboneSource, backboneSourceSha256, current.backboneSource, current.backboneSourceSha256);
        jar(out, "dataset", datasetSource, datasetSourceSha256, current.datasetSource, current.datasetSourceSha256);
        if (!pretextCode.isEmpty() && !pretextCode.equals(current.fingerprint())) {
            out.add("evaluated on a pretext checkpoint trained by other code (code " + pretextCode + " -> "
                    + current.fingerprint() + ")");
        }
        return out;
    }

    private static void jar(List<String> out, String what, String source, String sha, String nowSource, String nowSha) {
        if (!sha.equals(nowSha)) {
            out.add(what + " code " + (source.isEmpty() ? "" : source + " ")
                    + (sha.isEmpty() ? "(not recorded)" : shortHash(sha)) + " -> " + nowSource + " " + shortHash(nowSha));
        }
    }

    private static String orEmpty(String v) {
        return v == null ? "" : v;
    }

    private static String shown(String v) {
        return v.isEmpty() ? "(not recorded)" : v;
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) : h;
    }
}
