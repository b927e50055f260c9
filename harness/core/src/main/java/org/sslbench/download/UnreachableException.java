package org.sslbench.download;

/**
 * The server could not be reached at all (no network, unknown host, connection refused, timeout),
 * as opposed to a download that started and then failed.
 */
public class UnreachableException extends DownloadException {
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
