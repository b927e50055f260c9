package org.sslbench.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sslbench.plugin.CodeOrigin;

/**
 * The code that computed a cell or trained a pretext checkpoint: sslbench's version and build
 * commit, and the jar (or built-in module) that provided the method with its content hash.
 *
 * <p>Deliberately not part of {@code config_hash}: the hash says which experiment a row is, this
 * says which code ran it. Were it in the hash, every rebuild would silently start every cell over;
 * instead a rerun compares it ({@link #differences}) and warns about stale cells, which
 * {@code bench --recompute-stale} redoes.
 *
 * @param sslbenchVersion  as {@link Provenance#sslbenchVersion()}
 * @param gitCommit        as {@link Provenance#gitCommit()} (the build's commit)
 * @param methodSource     the providing jar's name, as {@link CodeOrigin#name()}
 * @param methodSourceSha256 the providing jar's content hash, as {@link CodeOrigin#sha256()}
 */
public record CodeIdentity(String sslbenchVersion, String gitCommit, String methodSource, String methodSourceSha256) {
    /** Checkpoint metadata keys, the same names as the cells.csv columns. */
    public static final String VERSION_KEY = "sslbench_version";
    public static final String COMMIT_KEY = "git_commit";
    public static final String SOURCE_KEY = "method_source";
    public static final String SOURCE_HASH_KEY = "method_source_sha256";

    public CodeIdentity {
        sslbenchVersion = sslbenchVersion == null ? "" : sslbenchVersion;
        gitCommit = gitCommit == null ? "" : gitCommit;
        methodSource = methodSource == null ? "" : methodSource;
        methodSourceSha256 = methodSourceSha256 == null ? "" : methodSourceSha256;
    }

    /** The code running now for a method provided by {@code origin}. */
    public static CodeIdentity current(Provenance provenance, CodeOrigin origin) {
        return new CodeIdentity(provenance.sslbenchVersion(), provenance.gitCommit(), origin.name(), origin.sha256());
    }

    /** The code recorded in a cells.csv row (empty parts for rows written before it was recorded). */
    public static CodeIdentity of(CellResult row) {
        return new CodeIdentity(row.provenance().sslbenchVersion(), row.provenance().gitCommit(), row.methodSource(),
                row.methodSourceHash());
    }

    /** The code recorded in a checkpoint's metadata (empty parts for older checkpoints). */
    public static CodeIdentity of(Map<String, String> metadata) {
        return new CodeIdentity(metadata.get(VERSION_KEY), metadata.get(COMMIT_KEY), metadata.get(SOURCE_KEY),
                metadata.get(SOURCE_HASH_KEY));
    }

    /** This identity as checkpoint metadata entries. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(VERSION_KEY, sslbenchVersion);
        m.put(COMMIT_KEY, gitCommit);
        m.put(SOURCE_KEY, methodSource);
        m.put(SOURCE_HASH_KEY, methodSourceSha256);
        return m;
    }

    /**
     * How the code recorded here differs from {@code current}, one phrase each, e.g.
     * {@code "method code sslbench-method-simclr.jar 1a2b3c4d5e6f -> 0f9e8d7c6b5a"}; empty when it is
     * the same code. The method's jar is compared by content hash only (a renamed jar with the same
     * classes is the same code); anything not recorded counts as different, since it cannot be vouched for.
     */
    public List<String> differences(CodeIdentity current) {
        List<String> out = new ArrayList<>();
        if (!sslbenchVersion.equals(current.sslbenchVersion)) {
            out.add("sslbench " + shown(sslbenchVersion) + " -> " + current.sslbenchVersion);
        }
        if (!gitCommit.equals(current.gitCommit)) {
            out.add("sslbench build " + shown(gitCommit) + " -> " + current.gitCommit);
        }
        if (!methodSourceSha256.equals(current.methodSourceSha256)) {
            out.add("method code " + (methodSource.isEmpty() ? "" : methodSource + " ")
                    + (methodSourceSha256.isEmpty() ? "(not recorded)" : shortHash(methodSourceSha256))
                    + " -> " + current.methodSource + " " + shortHash(current.methodSourceSha256));
        }
        return out;
    }

    private static String shown(String v) {
        return v.isEmpty() ? "(not recorded)" : v;
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) : h;
    }
}
