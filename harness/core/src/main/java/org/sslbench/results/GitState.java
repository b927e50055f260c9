package org.sslbench.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git commit a run was made from, for provenance. Never throws: provenance must not fail a run. */
final class GitState {
    static final String UNKNOWN = "unknown";

    private GitState() {
    }

    /**
     * {@code git rev-parse --short=12 HEAD} of {@code dir}, with {@code -dirty} appended when
     * {@code git status --porcelain} lists anything (untracked files too: they can change a build)
     * or cannot be run;
     * {@link #UNKNOWN} when git is missing, {@code dir} is not in a repository, or git hangs.
     */
    static String describe(Path dir, Duration timeout) {
        String commit = run(dir, timeout, "git", "rev-parse", "--short=12", "HEAD");
        if (commit == null || commit.isBlank()) {
            return UNKNOWN;
        }
        String status = run(dir, timeout, "git", "status", "--porcelain");
        // A failed status check counts as dirty: we cannot vouch that the tree matches the commit.
        return commit.strip() + (status != null && status.isBlank() ? "" : "-dirty");
    }

    /** Stdout of a successful command, or null on any failure. */
    private static String run(Path dir, Duration timeout, String... command) {
        Path out = null;
        Process process = null;
        try {
            // Stdout goes to a file, not a pipe: reading a pipe could block past the timeout
            // and a full pipe could stall git.
            out = Files.createTempFile("sslbench-git", ".out");
            ProcessBuilder pb = new ProcessBuilder(List.of(command))
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            // Read-only: no credential prompts, and no index.lock taken by `git status` refreshing
            // the index, which could collide with the user's own git commands.
            pb.environment().put("GIT_TERMINAL_PROMPT", "0");
            pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
            process = pb.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return null;
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover file in the system temp dir is harmless.
        }
    }
}
