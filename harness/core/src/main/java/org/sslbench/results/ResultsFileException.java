package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A results file that cannot be used as it is (wrong header, malformed row). Thrown instead of
 * guessing, because silently mixing rows of two formats would corrupt a benchmark. The message
 * names the file and what to do.
 */
public class ResultsFileException extends IOException {
    private final Path file;

    public ResultsFileException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    static ResultsFileException headerMismatch(Path file, List<String> expected, List<String> found) {
        return new ResultsFileException(file, "header does not match this version of sslbench; "
                + "move the file aside or use another output dir.\n  expected: " + String.join(",", expected)
                + "\n  found:    " + String.join(",", found));
    }
}
