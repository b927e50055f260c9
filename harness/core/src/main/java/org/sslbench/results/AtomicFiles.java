package org.sslbench.results;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Whole-file replacement that a crash, SIGKILL or power loss can never leave half-done: readers
 * see either the old content or the new, never a mix. Single writer per target is assumed.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code content} to a temp file beside {@code target} (same directory, so the rename
     * cannot cross file systems), forces it to disk, then renames it over {@code target}.
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that creates mode 0600, which would make results unreadable
        // to other users after the rename. CREATE_NEW uses the umask like any other file.
        Path temp = dir.resolve(tempPrefix(target) + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                // Data must be durable before the rename publishes it, or a power cut could
                // leave the target renamed but empty.
                ch.force(true);
            }
            Files.move(temp, target, ATOMIC_MOVE, REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceDirectory(dir);
    }

    /**
     * Temp files beside {@code target} that a killed writer left behind (or that a writer is
     * filling right now). They are never the live data: the rename had not happened.
     */
    public static List<Path> tempFiles(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        List<Path> temps = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return temps;
        }
        String glob = escapeGlob(tempPrefix(target)) + "*" + TEMP_SUFFIX;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(temps::add);
        }
        return temps;
    }

    /**
     * Deletes {@link #tempFiles}. Only the (single) writer of {@code target} may call this: a
     * reader doing it could delete a temp a live writer is about to rename.
     */
    public static void removeStaleTemps(Path target) throws IOException {
        for (Path temp : tempFiles(target)) {
            Files.deleteIfExists(temp);
        }
    }

    // Hidden, and named after the target, so stale temps are recognisable and never match *.csv.
    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    // Makes the rename itself durable. Not every platform can open a directory (Windows cannot);
    // there the rename is still atomic, only less certain to survive a power cut.
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort, see above
        }
    }
}
