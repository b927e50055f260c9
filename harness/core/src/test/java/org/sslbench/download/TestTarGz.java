package org.sslbench.download;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar.gz archives entry by entry, including hostile ones (absolute paths, ../, links). */
final class TestTarGz {
    private record Entry(String name, byte type, byte[] content, String link) {
    }

    private final List<Entry> entries = new ArrayList<>();

    TestTarGz dir(String name) {
        entries.add(new Entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, null, null));
        return this;
    }

    TestTarGz file(String name, byte[] content) {
        entries.add(new Entry(name, TarConstants.LF_NORMAL, content, null));
        return this;
    }

    TestTarGz symlink(String name, String target) {
        entries.add(new Entry(name, TarConstants.LF_SYMLINK, null, target));
        return this;
    }

    TestTarGz hardlink(String name, String target) {
        entries.add(new Entry(name, TarConstants.LF_LINK, null, target));
        return this;
    }

    TestTarGz fifo(String name) {
        entries.add(new Entry(name, TarConstants.LF_FIFO, null, null));
        return this;
    }

    /** Every file of {@code dir} (recursively) under {@code prefix/}, as `tar czf` of a directory writes them. */
    TestTarGz tree(Path dir, String prefix) throws IOException {
        dir(prefix);
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    file(prefix + "/" + dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        }
        return this;
    }

    byte[] bytes() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bos))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : entries) {
                // preserveAbsolutePath: write names exactly as given, hostile ones included.
                TarArchiveEntry t = new TarArchiveEntry(e.name, e.type, true);
                if (e.link != null) {
                    t.setLinkName(e.link);
                }
                if (e.content != null) {
                    t.setSize(e.content.length);
                }
                tar.putArchiveEntry(t);
                if (e.content != null) {
                    tar.write(e.content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }
}
