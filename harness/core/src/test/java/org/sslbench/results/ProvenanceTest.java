package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void withoutTensorFlowTheVersionIsUnknownButNoThrow() {
        Provenance p = Provenance.capture("cpu", 4, () -> {
            throw new UnsatisfiedLinkError("no jnitensorflow");
        });
        assertEquals("unknown", p.tfVersion());
        assertEquals("cpu", p.device());
        assertEquals(4, p.threads());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertEquals(System.getProperty("os.arch"), p.arch());
        assertTrue(p.os().startsWith(System.getProperty("os.name")), p.os());
        assertFalse(p.sslbenchVersion().isBlank());
        assertTrue(p.timestamp().toString().endsWith("Z"), "ISO-8601 UTC: " + p.timestamp());
        assertEquals("2.18.0", Provenance.capture("cpu", 1, () -> "2.18.0").tfVersion());
    }

    /** git_commit is the commit the build embedded, not the git state of the current directory. */
    @Test
    void gitCommitIsTheCommitThisBuildWasMadeFrom() throws Exception {
        String commit = Provenance.capture("cpu", 1, () -> "x").gitCommit();
        assertEquals(BuildInfo.commit(), commit);
        String head = gitHead();
        assumeTrue(head != null, "not built from a git checkout with git installed");
        // Built by this checkout's Maven run, so HEAD then is HEAD now (barring a commit mid-test run).
        assertTrue(commit.startsWith(head), commit + " vs HEAD " + head);
        assertTrue(commit.matches("[0-9a-f]{12}(-dirty sha256:[0-9a-f]{12})?"), commit);
    }

    @Test
    void nowRestampsOnly() {
        Instant t = Instant.parse("2030-05-06T07:08:09.123456789Z");
        Provenance p = TestCells.PROVENANCE.at(t);
        assertEquals(t.truncatedTo(ChronoUnit.MILLIS), p.timestamp());
        assertEquals(TestCells.PROVENANCE, p.at(TestCells.PROVENANCE.timestamp()));
    }

    /** {@code git rev-parse --short=12 HEAD} of the module directory, or null. */
    private static String gitHead() throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
