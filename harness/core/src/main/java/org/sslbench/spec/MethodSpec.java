package org.sslbench.spec;

import java.util.Map;
import java.util.Optional;

/**
 * A method named in a spec with its effective settings.
 *
 * @param params   hyperparameters: the method's defaults overlaid with the spec's {@code params}
 *                 (sorted by key, so hashing is stable)
 * @param pretext  the global {@code pretext} block overlaid with this method's own {@code pretext} block;
 *                 null for a method without a pretext run ({@link Catalog#pretrains} false), so that
 *                 pretext settings never change its results or hashes
 * @param features where the linear and kNN cells read their features when not from an encoder:
 *                 {@link #PIXELS} for a method without an encoder ({@link Catalog#pixelFeatures}, the
 *                 {@code pixels} baseline); empty (every other method) = the encoder's output. An
 *                 empty Optional is left out of every hash, so the hashes of all other methods are
 *                 those from before this component existed
 */
public record MethodSpec(String name, Map<String, Object> params, TrainSpec pretext, Optional<String> features) {
    /** {@link #features} of a method whose features are the normalised pixels themselves. */
    public static final String PIXELS = "pixels";

    /** A method whose linear and kNN features are its encoder's (every method but {@code pixels}). */
    public MethodSpec(String name, Map<String, Object> params, TrainSpec pretext) {
        this(name, params, pretext, Optional.empty());
    }

    /**
     * True when the linear and kNN features are the flattened normalised pixels (no encoder), so
     * the protocols that train an encoder ({@link ProtocolSpec#frozenFeatures} false) have no cells.
     */
    public boolean pixelFeatures() {
        return features.filter(PIXELS::equals).isPresent();
    }

    /**
     * Whether this method has cells for {@code protocol}: every protocol, except those that train
     * the encoder (finetune, supcon, fixmatch) for pixel features.
     */
    public boolean runs(ProtocolSpec protocol) {
        return !pixelFeatures() || protocol.frozenFeatures();
    }
}
