package org.sslbench.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTarGzTest {
    @TempDir Path tmp;

    private Path target() throws Exception {
        return Files.createDirectories(tmp.resolve("work/target"));
    }

    private SafeTarGz.UnsafeArchiveException refused(TestTarGz tar, Path target, String... parts) throws Exception {
        Path archive = tar.write(tmp.resolve("a.tar.gz"));
        SafeTarGz.UnsafeArchiveException e = assertThrows(SafeTarGz.UnsafeArchiveException.class,
                () -> SafeTarGz.extract(archive, target, Set.of()));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void extractsFilesDirectoriesAndContainedLinksWithMd5s() throws Exception {
        byte[] a = {1, 2, 3};
        byte[] b = new byte[100_000];
        Path target = target();
        Path archive = new TestTarGz().dir("d").file("d/a.bin", a).file("d/sub/b.bin", b)
                .symlink("d/link", "sub/b.bin").hardlink("d/copy", "d/a.bin").file("./top.txt", "x".getBytes())
                .write(tmp.resolve("ok.tar.gz"));
        Map<String, String> md5 = SafeTarGz.extract(archive, target, Set.of("d/a.bin", "d/sub/b.bin"));
        assertArrayEquals(a, Files.readAllBytes(target.resolve("d/a.bin")));
        assertArrayEquals(b, Files.readAllBytes(target.resolve("d/sub/b.bin")));
        assertArrayEquals(b, Files.readAllBytes(target.resolve("d/link")));
        assertTrue(Files.isSymbolicLink(target.resolve("d/link")));
        assertArrayEquals(a, Files.readAllBytes(target.resolve("d/copy")));
        assertTrue(Files.isRegularFile(target.resolve("top.txt")));
        assertEquals(Map.of("d/a.bin", HttpDownloaderTest.md5(a), "d/sub/b.bin", HttpDownloaderTest.md5(b)), md5);
    }

    @Test
    void refusesAnEntryLeavingTheTargetByDotDot() throws Exception {
        Path target = target();
        refused(new TestTarGz().file("ok.txt", new byte[1]).file("../evil", new byte[1]), target,
                "entry '../evil' would land outside " + target);
        assertFalse(Files.exists(target.getParent().resolve("evil")));
        refused(new TestTarGz().file("d/../../evil2", new byte[1]), target, "entry 'd/../../evil2' would land outside");
        assertFalse(Files.exists(target.getParent().resolve("evil2")));
    }

    @Test
    void refusesAnAbsolutePath() throws Exception {
        Path outside = tmp.resolve("abs-evil");
        refused(new TestTarGz().file(outside.toString(), new byte[1]), target(), "entry '" + outside + "' has an absolute path");
        assertFalse(Files.exists(outside));
    }

    @Test
    void refusesLinksPointingOutside() throws Exception {
        refused(new TestTarGz().symlink("up", "../.."), target(), "entry 'up' is a symbolic link to '../..', outside");
        refused(new TestTarGz().symlink("abs", "/etc"), target(), "entry 'abs' is a symbolic link to the absolute path '/etc'");
        refused(new TestTarGz().hardlink("h", "../../x"), target(), "entry 'h' is a hard link to '../../x', outside");
    }

    @Test
    void refusesWritingThroughAChainOfLinks() throws Exception {
        Path target = target();
        // "x" -> "." is harmless, but "x/y" -> ".." resolved through it leaves the target.
        refused(new TestTarGz().symlink("x", ".").symlink("x/y", ".."), target, "entry 'x/y' is a symbolic link to '..', outside");
        // A link to an outside directory is refused before anything can be written through it.
        Path fresh = Files.createDirectories(tmp.resolve("other"));
        refused(new TestTarGz().symlink("out", "../../elsewhere").file("out/evil", new byte[1]), fresh, "entry 'out'");
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
    }

    @Test
    void refusesSpecialFiles() throws Exception {
        refused(new TestTarGz().fifo("pipe"), target(), "entry 'pipe' is not a regular file, directory or link");
    }
}
