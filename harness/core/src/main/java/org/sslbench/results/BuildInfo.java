package org.sslbench.results;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.regex.Pattern;
import org.sslbench.plugin.CodeOrigin;

/**
 * The git commit sslbench itself was built from, as the build embedded it in
 * {@code org/sslbench/build.properties} of sslbench-core (maven-antrun-plugin, see
 * harness/core/pom.xml) — not the git state of the directory a run is started from, which can be
 * any checkout or none.
 *
 * <p>Values: a clean build gives the 12-hex commit; a build with uncommitted (or untracked) changes
 * gives {@code <commit>-dirty}, and a build outside git (a source tarball) {@code unknown}. These two
 * do not identify the code, so the content hash of sslbench-core is appended, e.g.
 * {@code 1a2b3c4d5e6f-dirty sha256:0123456789ab}: an edited and rebuilt working tree reads as other
 * code, which is what the stale-results check needs.
 */
public final class BuildInfo {
    static final String RESOURCE = "/org/sslbench/build.properties";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");
    private static volatile String commit;

    private BuildInfo() {
    }

    /** This build's commit as described above; read once. Never throws. */
    public static String commit() {
        String c = commit;
        if (c == null) {
            Properties p = new Properties();
            try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException | IllegalArgumentException e) {
                p.clear();
            }
            c = describe(p, CodeOrigin.of(BuildInfo.class).shortHash());
            commit = c;
        }
        return c;
    }

    /**
     * The commit string from build.properties values ({@code commit}, {@code commit_exit},
     * {@code clean}) and the short content hash of the sslbench-core classes (may be empty).
     */
    static String describe(Properties p, String coreHash) {
        String c = p.getProperty("commit", "").strip();
        boolean known = "0".equals(p.getProperty("commit_exit", "").strip()) && COMMIT.matcher(c).matches();
        String suffix = coreHash == null || coreHash.isEmpty() ? "" : " sha256:" + coreHash;
        if (!known) {
            return Provenance.UNKNOWN + suffix;
        }
        return "true".equals(p.getProperty("clean", "").strip()) ? c : c + "-dirty" + suffix;
    }
}
