package org.sslbench.spec;

/**
 * A dataset named in a spec.
 *
 * @param unlabeledLimit pretext pool size cap (0 = the whole pool); seeded and deterministic
 */
public record DatasetRef(String name, int unlabeledLimit) {
}
