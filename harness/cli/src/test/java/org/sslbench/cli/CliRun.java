package org.sslbench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * One in-process command through {@link Main#run}: its exit code and what it printed to stdout
 * and stderr (captured, then the streams are put back).
 */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new CliRun(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
