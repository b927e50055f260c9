package org.sslbench.data;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Paths and values shown inside commands that a message tells the user to run ({@code make bench
 * DATA=…}, {@code tar … -C …}, {@code sbatch …}): quoted for a POSIX shell so that a path with
 * spaces, quotes or non-ASCII characters pastes as one word.
 */
public final class Shell {
    /** Characters that never need quoting in sh, bash or as a make variable value. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

    private Shell() {
    }

    /** {@code s} as one shell word: unchanged when plain, else in single quotes ({@code it's} → {@code 'it'\''s'}). */
    public static String quote(String s) {
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@link #quote(String)} of the path as given (relative paths stay relative). */
    public static String quote(Path p) {
        return quote(p.toString());
    }
}
