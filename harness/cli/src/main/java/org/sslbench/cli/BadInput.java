package org.sslbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.sslbench.data.DataException;
import org.sslbench.plugin.PluginConflictException;
import org.sslbench.run.BenchRunner;
import org.sslbench.spec.SpecException;

/**
 * The one place the commands turn bad input into a message on stderr and exit code 2: a spec
 * error (file:line:field), two jars providing one name, unreadable or malformed data, and files
 * that cannot be read or written. Each command catches these kinds and hands them here, so every
 * command words the same failure the same way.
 */
final class BadInput {
    private BadInput() {
    }

    /**
     * Prints {@code e} as "sslbench: …" ("sslbench: data: …" for data) and returns
     * {@link Main#BAD_INPUT}.
     *
     * @param e one of SpecException, PluginConflictException, DataException,
     *          BenchRunner.DataLoadException, IOException, UncheckedIOException
     * @throws IllegalArgumentException for any other kind (a programming error: not bad input)
     */
    static int report(Exception e) {
        if (e instanceof SpecException || e instanceof PluginConflictException) {
            System.err.println("sslbench: " + e.getMessage());
        } else if (e instanceof DataException || e instanceof BenchRunner.DataLoadException) {
            System.err.println("sslbench: data: " + e.getMessage());
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            // NoSuchFileException and friends carry only a path as message: name the failure too.
            System.err.println("sslbench: " + e);
        } else {
            throw new IllegalArgumentException("not a bad-input exception: " + e, e);
        }
        return Main.BAD_INPUT;
    }
}
