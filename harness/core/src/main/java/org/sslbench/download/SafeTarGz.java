package org.sslbench.download;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a {@code .tar.gz} without trusting it: an entry with an absolute path, one whose
 * normalised path lands outside the target directory, one written through a link, a link whose
 * target lies outside, and special files (devices, FIFOs) are refused with an
 * {@link UnsafeArchiveException} naming the entry. Callers extract into a fresh temporary
 * directory and delete it on failure, so nothing of a refused archive remains.
 */
public final class SafeTarGz {
    private SafeTarGz() {
    }

    /** An archive entry was refused; nothing of it was written. */
    public static final class UnsafeArchiveException extends DownloadException {
        public UnsafeArchiveException(String message) {
            super(message);
        }
    }

    /**
     * Extracts {@code archive} into the existing directory {@code dir}.
     *
     * @param hash entry names (as normalised relative paths with {@code /}, e.g.
     *             {@code stl10_binary/train_X.bin}) whose MD5 to compute while extracting
     * @return the MD5 of each extracted regular file named in {@code hash}
     * @throws UnsafeArchiveException for an entry that would escape {@code dir} or is not a plain
     *                                file, directory or contained link
     * @throws IOException            when the archive is corrupt or a file cannot be written
     */
    public static Map<String, String> extract(Path archive, Path dir, Set<String> hash)
            throws UnsafeArchiveException, IOException {
        return extract(archive, dir, hash::contains);
    }

    /**
     * As {@link #extract(Path, Path, Set)}, hashing every regular file whose normalised relative
     * path {@code hash} accepts (hashed while extracting: the files are read once).
     */
    public static Map<String, String> extract(Path archive, Path dir, Predicate<String> hash)
            throws UnsafeArchiveException, IOException {
        Path root = dir.toAbsolutePath().normalize();
        Path realRoot = root.toRealPath();
        Map<String, String> md5 = new LinkedHashMap<>();
        try (InputStream file = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = e.getName();
                Path out = destination(archive, root, name);
                if (out.equals(root)) {
                    continue; // "./"
                }
                String rel = root.relativize(out).toString().replace('\\', '/');
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw refuse(archive, name, "is not a regular file, directory or link (tar type '"
                            + (char) typeFlag(e) + "')");
                } else if (e.isDirectory()) {
                    createParents(archive, realRoot, name, out);
                    if (!Files.isDirectory(out)) {
                        Files.createDirectory(out);
                    }
                } else if (e.isSymbolicLink()) {
                    createParents(archive, realRoot, name, out);
                    String link = e.getLinkName();
                    Path target = linkTarget(archive, name, link);
                    Path resolved = out.getParent().toRealPath().resolve(target).normalize();
                    if (!resolved.startsWith(realRoot)) {
                        throw refuse(archive, name, "is a symbolic link to '" + link + "', outside " + root);
                    }
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, target);
                } else if (e.isLink()) {
                    createParents(archive, realRoot, name, out);
                    String link = e.getLinkName();
                    Path target;
                    try {
                        target = destination(archive, root, link);
                    } catch (UnsafeArchiveException outside) {
                        throw refuse(archive, name, "is a hard link to '" + link + "', outside " + root);
                    }
                    if (!Files.isRegularFile(target) || !target.toRealPath().startsWith(realRoot)) {
                        throw refuse(archive, name, "is a hard link to '" + link + "', which is not a file extracted before it");
                    }
                    Files.copy(target, out, StandardCopyOption.REPLACE_EXISTING);
                } else if (e.isFile()) {
                    createParents(archive, realRoot, name, out);
                    if (Files.isSymbolicLink(out)) {
                        Files.delete(out); // replace the link, never write through it
                    }
                    if (hash.test(rel)) {
                        MessageDigest md = Md5.digest();
                        Files.copy(new DigestInputStream(tar, md), out, StandardCopyOption.REPLACE_EXISTING);
                        md5.put(rel, Md5.hex(md));
                    } else {
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                } else {
                    throw refuse(archive, name, "is not a regular file, directory or link (tar type '"
                            + (char) e.getLinkFlag() + "')");
                }
            }
        }
        return md5;
    }

    /** Where {@code name} goes, refusing absolute paths and paths that normalise to outside {@code root}. */
    private static Path destination(Path archive, Path root, String name) throws UnsafeArchiveException {
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            throw refuse(archive, name, "has an absolute path");
        }
        Path out;
        try {
            out = root.resolve(name).normalize();
        } catch (InvalidPathException ex) {
            throw refuse(archive, name, "is not a valid path (" + ex.getMessage() + ")");
        }
        if (!out.startsWith(root)) {
            throw refuse(archive, name, "would land outside " + root);
        }
        return out;
    }

    private static Path linkTarget(Path archive, String name, String link) throws UnsafeArchiveException {
        if (link.startsWith("/") || link.startsWith("\\") || link.matches("^[A-Za-z]:.*")) {
            throw refuse(archive, name, "is a symbolic link to the absolute path '" + link + "'");
        }
        try {
            return Path.of(link);
        } catch (InvalidPathException ex) {
            throw refuse(archive, name, "is a symbolic link to an invalid path (" + ex.getMessage() + ")");
        }
    }

    /** Creates the parent directories and checks that, links resolved, they are still inside the root. */
    private static void createParents(Path archive, Path realRoot, String name, Path out) throws IOException,
            UnsafeArchiveException {
        Path parent = out.getParent();
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(realRoot)) {
            throw refuse(archive, name, "would be written through a link to " + parent.toRealPath() + ", outside " + realRoot);
        }
    }

    private static int typeFlag(TarArchiveEntry e) {
        if (e.isCharacterDevice()) {
            return '3';
        }
        if (e.isBlockDevice()) {
            return '4';
        }
        if (e.isFIFO()) {
            return '6';
        }
        return '?';
    }

    private static UnsafeArchiveException refuse(Path archive, String entry, String why) {
        return new UnsafeArchiveException("refusing to extract " + archive.getFileName() + ": entry '" + entry + "' "
                + why + ". Nothing was installed; the archive is not the expected one.");
    }
}
