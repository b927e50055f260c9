package org.sslbench.download;

/** A dataset could not be fetched or installed; the message says why and what to do. */
public class DownloadException extends Exception {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
