package org.sslbench.data;

/** Data that is missing or malformed; the message names the file and what is wrong with it. */
public class DataException extends Exception {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
