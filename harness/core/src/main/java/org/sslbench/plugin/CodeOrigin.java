package org.sslbench.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What provided a class's code: the jar (or classes directory) it was loaded from, by name, and a
 * SHA-256 of that jar's content. Recorded with every result row and pretext checkpoint
 * ({@code method_source}, {@code method_source_sha256}) so that a rerun can tell results computed
 * by other code.
 *
 * <p>The hash covers the jar's entries (name and bytes, in name order), not the zip file's bytes:
 * zip entries carry modification times, so every rebuild of unchanged sources would otherwise look
 * like new code. A classes directory (tests, an IDE) is hashed the same way over its files. Each jar
 * or directory is hashed once per process.
 *
 * @param name   the jar's file name (e.g. {@code sslbench-method-simclr-0.1.0-SNAPSHOT.jar}); for a
 *               classes directory its module-relative path (e.g. {@code simclr/target/classes});
 *               {@code unknown} when the class has no code source (bootstrap classes)
 * @param path   absolute path of the jar or directory, empty when unknown
 * @param sha256 lower-case hex SHA-256 of the content as above, empty when it cannot be read
 */
public record CodeOrigin(String name, String path, String sha256) {
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    /** The origin of {@code type}'s code; never throws (an unreadable source gets an empty hash). */
    public static CodeOrigin of(Class<?> type) {
        Path location = location(type);
        if (location == null) {
            return new CodeOrigin("unknown", "", "");
        }
        String hash;
        try {
            // Keyed by size and modification time too: a jar replaced at the same path (a rebuilt
            // plugin) within one JVM must not keep its old hash.
            hash = HASHES.computeIfAbsent(cacheKey(location), k -> contentSha256(location));
        } catch (UncheckedIOException e) {
            hash = "";
        }
        return new CodeOrigin(displayName(location), location.toString(), hash);
    }

    private static String cacheKey(Path location) {
        try {
            var attrs = Files.readAttributes(location, java.nio.file.attribute.BasicFileAttributes.class);
            return location + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis() + "|" + attrs.fileKey();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first 12 hex digits of {@link #sha256()}, for display; empty when unknown. */
    public String shortHash() {
        return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
    }

    /** The jar or classes directory {@code type} was loaded from, or null. */
    static Path location(Class<?> type) {
        var cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private static String displayName(Path location) {
        if (Files.isDirectory(location)) {
            // .../plugins/simclr/target/classes -> simclr/target/classes
            int n = location.getNameCount();
            return n >= 3 ? location.subpath(n - 3, n).toString().replace('\\', '/') : location.toString();
        }
        return location.getFileName().toString();
    }

    /**
     * SHA-256 over the entries of a jar, or the files under a directory: for each in name order,
     * the name (UTF-8), a 0 byte, the length (8 bytes) and the bytes.
     *
     * @throws UncheckedIOException when the jar or directory cannot be read
     */
    public static String contentSha256(Path jarOrDirectory) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        try {
            if (Files.isDirectory(jarOrDirectory)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(jarOrDirectory)) {
                    files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
                }
                files.sort(Comparator.comparing(f -> entryName(jarOrDirectory, f)));
                for (Path f : files) {
                    update(digest, entryName(jarOrDirectory, f), Files.readAllBytes(f));
                }
            } else {
                try (JarFile jar = new JarFile(jarOrDirectory.toFile(), false)) {
                    List<JarEntry> entries = new ArrayList<>(jar.stream().filter(e -> !e.isDirectory()).toList());
                    entries.sort(Comparator.comparing(JarEntry::getName));
                    for (JarEntry e : entries) {
                        try (InputStream in = jar.getInputStream(e)) {
                            update(digest, e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + jarOrDirectory + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String entryName(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static void update(MessageDigest digest, String name, byte[] bytes) {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        long n = bytes.length;
        for (int i = 7; i >= 0; i--) {
            digest.update((byte) (n >>> (8 * i)));
        }
        digest.update(bytes);
    }
}
