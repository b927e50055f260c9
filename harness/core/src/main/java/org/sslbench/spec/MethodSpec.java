package org.sslbench.spec;

import java.util.Map;

/**
 * A method named in a spec with its effective settings.
 *
 * @param params  hyperparameters: the method's defaults overlaid with the spec's {@code params}
 *                (sorted by key, so hashing is stable)
 * @param pretext the global {@code pretext} block overlaid with this method's own {@code pretext} block;
 *                null for a method without a pretext run ({@link Catalog#pretrains} false), so that
 *                pretext settings never change its results or hashes
 */
public record MethodSpec(String name, Map<String, Object> params, TrainSpec pretext) {
}
