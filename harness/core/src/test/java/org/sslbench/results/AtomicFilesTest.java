package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesContentAndLeavesNoTemp() throws IOException {
        Path target = dir.resolve("a.csv");
        AtomicFiles.writeString(target, "one\n");
        AtomicFiles.writeString(target, "two\n");
        assertEquals("two\n", Files.readString(target));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void failedRenameKeepsTargetAndRemovesTemp() throws IOException {
        // A non-empty directory cannot be replaced by a file, so the final move fails.
        Path target = dir.resolve("a.csv");
        Files.createDirectories(target.resolve("inside"));
        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertTrue(Files.isDirectory(target.resolve("inside")));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void tempFilesMatchOnlyThisTargetsTemps() throws IOException {
        Path target = dir.resolve("cells.csv");
        Path mine = Files.writeString(dir.resolve(".cells.csv.123.tmp"), "");
        Files.writeString(dir.resolve(".leaderboard.csv.123.tmp"), "");
        Files.writeString(dir.resolve("cells.csv.tmp"), "");
        assertEquals(List.of(mine), AtomicFiles.tempFiles(target));
        AtomicFiles.removeStaleTemps(target);
        assertEquals(List.of(".leaderboard.csv.123.tmp", "cells.csv.tmp"), names());
    }
}
