package org.sslbench.engine;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A backbone instantiated in a {@link Net} under {@link #scope()}. Applying it again shares its
 * weights (for every augmented view, and for the eval-mode branch).
 */
public interface Encoder {
    /** Variable scope: every encoder variable is named {@code scope/...}; checkpoints hold exactly these. */
    String scope();

    /** Width of the feature vector {@link #apply} returns. */
    int featureDim();

    /**
     * Features of a batch of images.
     *
     * @param images   [batch, height, width, channels]
     * @param training BatchNorm on batch statistics (and update the moving ones) vs. moving statistics
     * @return [batch, featureDim]
     */
    Operand<TFloat32> apply(Operand<TFloat32> images, boolean training);
}
