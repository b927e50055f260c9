package org.sslbench.data;

/**
 * A value whose configuration hash is computed from {@link #identity()} instead of its fields: a
 * folder dataset is identified by its settings and the content of its file list, not by the
 * absolute paths of one machine, so results stay reusable when the folder moves.
 */
public interface Fingerprinted {
    /** What identifies this value in hashes and settings: maps, lists, strings and numbers only. */
    Object identity();
}
