package org.sslbench.engine;

import org.sslbench.data.ImageShape;
import org.sslbench.plugin.Named;

/** An encoder architecture, discovered with {@link java.util.ServiceLoader} like methods and datasets. */
public interface Backbone extends Named {
    /** Instantiates the encoder for images of {@code shape} in {@code net}, variables under {@code scope}. */
    Encoder create(Layers layers, String scope, ImageShape shape);

    /**
     * Whether the encoder has BatchNorm layers, whose moving statistics a training block's
     * {@code bn_momentum} sets. True unless a backbone declares otherwise, so a spec is never
     * refused for a backbone that might have them.
     */
    default boolean batchNorm() {
        return true;
    }
}
