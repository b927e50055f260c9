package org.sslbench.engine;

import org.sslbench.data.ImageShape;
import org.sslbench.plugin.Named;

/** An encoder architecture, discovered with {@link java.util.ServiceLoader} like methods and datasets. */
public interface Backbone extends Named {
    /** Instantiates the encoder for images of {@code shape} in {@code net}, variables under {@code scope}. */
    Encoder create(Layers layers, String scope, ImageShape shape);
}
