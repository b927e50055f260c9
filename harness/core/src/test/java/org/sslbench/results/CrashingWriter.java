package org.sslbench.results;

import java.nio.file.Path;

/** Child process for {@link CellsCsvTest}: appends rows until it is killed. */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    /** Args: results dir, number of rows to append. Row i has hash {@code h<i>} and seed i. */
    public static void main(String[] args) throws Exception {
        CellsCsv cells = CellsCsv.open(Path.of(args[0]));
        int rows = Integer.parseInt(args[1]);
        for (int i = 0; i < rows; i++) {
            cells.append(TestCells.ok("h" + i, i));
        }
    }
}
