package org.sslbench.engine.backbones;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The encoder of the Keras semi-supervised SimCLR and NNCLR examples: 4 × Conv2D(128, 3×3,
 * stride 2, ReLU) → Flatten → Dense(128, ReLU), Glorot-uniform kernels with biases, no BatchNorm.
 * Keras uses "valid" padding; on inputs too small for four valid stride-2 convolutions (28×28
 * Fashion-MNIST) "same" padding is used so the feature map does not vanish.
 *
 * <p>The Flatten ties the Dense layer to the feature-map size of the images the encoder was built
 * for, so it does not pool globally as the ResNets do: a view of another size (multi-crop's local
 * crops) is first resized bilinearly (half-pixel centres, as the harness's crops) to the image size,
 * keeping the architecture and every full-size result unchanged. A local crop then carries its
 * lower resolution but costs as much compute as a global one on this backbone.
 */
public final class SmallCnn implements Backbone {
    static final int WIDTH = 128;

    @Override
    public String name() {
        return "small-cnn";
    }

    /** No BatchNorm anywhere (see the class comment). */
    @Override
    public boolean batchNorm() {
        return false;
    }

    @Override
    public String description() {
        return "Keras SimCLR/NNCLR example encoder: 4x Conv(128, stride 2) + Dense(128), 128 features";
    }

    @Override
    public Encoder create(Layers layers, String scope, ImageShape shape) {
        boolean valid = sizeAfter(shape.height(), true) >= 1 && sizeAfter(shape.width(), true) >= 1;
        String padding = valid ? "VALID" : "SAME";
        int flat = sizeAfter(shape.height(), valid) * sizeAfter(shape.width(), valid) * WIDTH;
        return new Encoder() {
            @Override public String scope() { return scope; }
            @Override public int featureDim() { return WIDTH; }

            @Override
            public Operand<TFloat32> apply(Operand<TFloat32> images, boolean training) {
                Operand<TFloat32> x = images;
                org.tensorflow.ndarray.Shape given = images.shape();
                if (given.numDimensions() == 4 && (given.size(1) != shape.height() || given.size(2) != shape.width())) {
                    x = layers.tf().image.resizeBilinear(x, layers.tf().constant(new int[] {shape.height(), shape.width()}),
                            org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(true));
                }
                int in = shape.channels();
                for (int i = 0; i < 4; i++) {
                    x = layers.relu(layers.conv2d(scope + "/conv" + i, x, in, WIDTH, 3, 2, padding, true, Init.glorotUniform()));
                    in = WIDTH;
                }
                x = layers.flatten(x, flat);
                return layers.relu(layers.dense(scope + "/dense", x, flat, WIDTH, true, Init.glorotUniform()));
            }
        };
    }

    /** Spatial size after four 3×3 stride-2 convolutions. */
    static int sizeAfter(int size, boolean valid) {
        int s = size;
        for (int i = 0; i < 4; i++) {
            if (valid && s < 3) {
                return 0;
            }
            s = valid ? (s - 3) / 2 + 1 : (s + 1) / 2;
        }
        return s;
    }
}
