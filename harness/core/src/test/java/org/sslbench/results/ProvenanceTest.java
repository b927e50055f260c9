package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void outsideAGitRepoAndWithoutTensorFlowEverythingUnknownButNoThrow() {
        Provenance p = Provenance.capture("cpu", 4, dir, () -> {
            throw new UnsatisfiedLinkError("no jnitensorflow");
        });
        assertEquals("unknown", p.gitCommit());
        assertEquals("unknown", p.tfVersion());
        assertEquals("cpu", p.device());
        assertEquals(4, p.threads());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertEquals(System.getProperty("os.arch"), p.arch());
        assertTrue(p.os().startsWith(System.getProperty("os.name")), p.os());
        assertFalse(p.sslbenchVersion().isBlank());
        assertTrue(p.timestamp().toString().endsWith("Z"), "ISO-8601 UTC: " + p.timestamp());
    }

    @Test
    void missingDirectoryIsUnknownToo() {
        Provenance p = Provenance.capture("cpu", 1, dir.resolve("does-not-exist"), () -> "2.18.0");
        assertEquals("unknown", p.gitCommit());
        assertEquals("2.18.0", p.tfVersion());
    }

    @Test
    void gitCommitAndDirtyFlag() throws Exception {
        assumeTrue(git("--version") == 0, "git not installed");
        assertEquals(0, git("init", "-q"));
        Files.writeString(dir.resolve("a.txt"), "a");
        assertEquals(0, git("add", "a.txt"));
        assertEquals(0, git("-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
                "commit", "-q", "-m", "init"));

        String clean = Provenance.capture("cpu", 1, dir, () -> "x").gitCommit();
        assertTrue(clean.matches("[0-9a-f]{12}"), clean);

        Files.writeString(dir.resolve("b.txt"), "untracked");
        assertEquals(clean + "-dirty", Provenance.capture("cpu", 1, dir, () -> "x").gitCommit());
    }

    @Test
    void nowRestampsOnly() {
        Instant t = Instant.parse("2030-05-06T07:08:09.123456789Z");
        Provenance p = TestCells.PROVENANCE.at(t);
        assertEquals(t.truncatedTo(ChronoUnit.MILLIS), p.timestamp());
        assertEquals(TestCells.PROVENANCE, p.at(TestCells.PROVENANCE.timestamp()));
    }

    private int git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        }
    }
}
