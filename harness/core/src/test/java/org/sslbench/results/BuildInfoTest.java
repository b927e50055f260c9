package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
    private static Properties props(String commit, String exit, String clean) {
        Properties p = new Properties();
        p.setProperty("commit", commit);
        p.setProperty("commit_exit", exit);
        p.setProperty("clean", clean);
        return p;
    }

    @Test
    void cleanBuildIsItsCommit() {
        assertEquals("ed6568dca1ff", BuildInfo.describe(props("ed6568dca1ff", "0", "true"), "0123456789ab"));
    }

    @Test
    void dirtyBuildAddsTheCoreContentHashSoEditsReadAsOtherCode() {
        assertEquals("ed6568dca1ff-dirty sha256:0123456789ab",
                BuildInfo.describe(props("ed6568dca1ff", "0", "false"), "0123456789ab"));
    }

    /** A source tarball: git fails (exit 128, no output), or Ant leaves its placeholder unexpanded. */
    @Test
    void buildOutsideGitIsUnknown() {
        assertEquals("unknown sha256:0123456789ab", BuildInfo.describe(props("", "128", "false"), "0123456789ab"));
        assertEquals("unknown sha256:0123456789ab",
                BuildInfo.describe(props("${sslbench.git.commit}", "${sslbench.git.commit.rc}", "false"), "0123456789ab"));
        assertEquals("unknown", BuildInfo.describe(new Properties(), ""));
    }
}
