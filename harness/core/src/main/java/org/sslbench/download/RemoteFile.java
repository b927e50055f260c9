package org.sslbench.download;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One file to download.
 *
 * @param name file name it is stored under
 * @param uri  where it comes from
 * @param md5  published MD5 (lower-case hex), or {@code null} when none is published
 * @param size published size in bytes, or -1 when unknown (progress then uses Content-Length)
 */
public record RemoteFile(String name, URI uri, String md5, long size) {
    public RemoteFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        if (md5 != null && !md5.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("not an MD5: " + md5);
        }
        md5 = md5 == null ? null : md5.toLowerCase(Locale.ROOT);
    }
}
