package org.sslbench.download;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record {@code sslbench data} leaves in a dataset directory once every file checked out:
 * {@value #FILE_NAME}, one line per file, {@code md5  size  mtime  basis  name} (mtime in ms since
 * the epoch). It lets a later {@code data} run skip re-hashing gigabytes when nothing changed
 * (same size and modification time, the quick check rsync and make rely on; {@code --verify}
 * hashes anyway),
 * and it is the reference for files that have no published MD5 of their own but came out of an
 * archive whose published MD5 matched. It is deleted as soon as a check fails, so a directory
 * never keeps a record that vouches for a damaged file.
 *
 * @param entries file name → what was found when it was checked
 * @param written when the record was written (files modified later are hashed again)
 */
public record VerifiedRecord(Map<String, Entry> entries, Instant written) {
    public static final String FILE_NAME = ".sslbench-verified";

    /** How a file's MD5 was vouched for. */
    public enum Basis {
        /** equal to the file's own published MD5 */
        PUBLISHED,
        /** unpacked from an archive whose published MD5 matched */
        ARCHIVE,
        /** no published value: recorded, not verified (a file installed by hand) */
        NONE;

        String csv() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param md5      lower-case hex
     * @param size     bytes
     * @param mtime    last-modified time when hashed, ms since the epoch
     */
    public record Entry(String md5, long size, long mtime, Basis basis) {
        /** The entry of {@code file} as it is now, with the given MD5. */
        static Entry of(Path file, String md5, Basis basis) throws IOException {
            return new Entry(md5, Files.size(file), Files.getLastModifiedTime(file).toMillis(), basis);
        }
    }

    public VerifiedRecord {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The record in {@code dir}, or {@code null} when there is none or it cannot be read (then files are hashed). */
    static VerifiedRecord read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("  ", 5);
                if (f.length != 5 || !f[0].matches("[0-9a-f]{32}")) {
                    return null; // not ours or damaged: ignore it and hash again
                }
                entries.put(f[4], new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Basis.valueOf(f[3].toUpperCase(java.util.Locale.ROOT))));
            }
            return new VerifiedRecord(entries, Files.getLastModifiedTime(file).toInstant());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes the record into {@code dir} atomically (temporary file, then rename). */
    static void write(Path dir, String dataset, Map<String, Entry> entries) throws IOException {
        StringBuilder sb = new StringBuilder("# sslbench data: " + dataset + ", every file checked " + Instant.now()
                + "\n# md5  size  mtime(ms)  basis  name; basis: published = equals the file's published MD5, archive = unpacked"
                + " from the archive whose published MD5 matched, none = no published value (recorded only)\n");
        entries.forEach((name, e) -> sb.append(e.md5()).append("  ").append(e.size()).append("  ")
                .append(e.mtime()).append("  ").append(e.basis().csv()).append("  ").append(name).append('\n'));
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the record of {@code dir}, if any. */
    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }

    /**
     * Whether {@code file} is as recorded: same size and modification time, so hashing it again
     * would give the recorded MD5 short of an edit that restores the time (then {@code --verify}).
     */
    boolean unchanged(String name, Path file) throws IOException {
        Entry e = entries.get(name);
        return e != null && Files.size(file) == e.size() && Files.getLastModifiedTime(file).toMillis() == e.mtime();
    }

    /** Names in file order. */
    List<String> names() {
        return List.copyOf(entries.keySet());
    }
}
