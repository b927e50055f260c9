package org.sslbench.spec;

/** A spec that cannot run. The message names file, line and field; the CLI exits with code 2. */
public class SpecException extends Exception {
    private final String file;
    private final int line;
    private final String field;

    public SpecException(String file, int line, String field, String message) {
        super(file + (line > 0 ? ":" + line : "") + (field == null || field.isEmpty() ? "" : ": " + field) + ": " + message);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() { return file; }

    /** 1-based line, or 0 when the error is not tied to one line. */
    public int line() { return line; }

    /** Dotted path of the field, e.g. {@code methods[1].params.all_four}. */
    public String field() { return field; }
}
