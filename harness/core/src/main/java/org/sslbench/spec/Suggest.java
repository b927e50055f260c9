package org.sslbench.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The one place that words "unknown X": it names what was given, the nearest allowed name when
 * that is plausibly a typo, and everything that is allowed, so a user never has to read code.
 */
public final class Suggest {
    private Suggest() {
    }

    /**
     * E.g. {@code unknown key 'protocol'; did you mean 'protocols'? allowed: backbone, ...} or,
     * with nothing close, {@code unknown method 'simclr'; allowed: rotation, supervised}.
     */
    public static String unknown(String what, String given, Collection<String> allowed) {
        String nearest = nearest(given, allowed);
        // Sorted so the message does not depend on the iteration order of a catalog's HashSet.
        String all = allowed.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(allowed));
        return "unknown " + what + " '" + given + "'"
                + (nearest == null ? ";" : "; did you mean '" + nearest + "'?")
                + " allowed: " + all;
    }

    /** The allowed name closest to {@code given}, or null when none is close enough to be a typo. */
    public static String nearest(String given, Collection<String> allowed) {
        String a = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(allowed)) {
            int d = distance(a, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // A third of the length, at least 2: "cosin"→"cosine" and "knnn"→"knn" qualify,
        // "sgd"→"adam" does not. Never suggest a replacement of every character.
        int threshold = Math.max(2, a.length() / 3);
        return bestDistance <= threshold && bestDistance < a.length() ? best : null;
    }

    /** Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours costs 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
