package org.sslbench.cli;

import java.nio.file.Path;

/**
 * A plugins directory (from {@code --plugins} or the spec's {@code plugins.dir}) that does not
 * exist or is not a directory. Every command that loads plugins raises it before loading anything,
 * and {@link Main} turns it into the same one-line message and exit 2 (bad input) for all of them.
 */
final class NoPluginsDirectoryException extends RuntimeException {
    NoPluginsDirectoryException(Path dir) {
        super(message(dir));
    }

    /** The one wording every command uses. */
    static String message(Path dir) {
        return "plugins directory " + dir + ": no such directory (given by --plugins or the spec's plugins.dir);"
                + " create it, or point --plugins at the directory holding the plugin jars";
    }
}
