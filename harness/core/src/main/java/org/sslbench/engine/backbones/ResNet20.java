package org.sslbench.engine.backbones;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * ResNet-20 as Keras' {@code resnet_v1(depth=20)} (the CIFAR-10 ResNet example; the rotation
 * table's network): 3×3 conv 16 → BN → ReLU, then 3 stages × 3 basic blocks of 16/32/64 filters
 * (stride 2 at the start of stages 2 and 3, shortcut = 1×1 conv with bias and no BN), global
 * average pooling → 64 features. He-normal kernels. Convolutions followed by BN carry no bias
 * (BN's offset makes it redundant).
 */
public final class ResNet20 implements Backbone {
    private static final int BLOCKS_PER_STAGE = 3; // depth = 6n + 2 with n = 3

    @Override
    public String name() {
        return "resnet20";
    }

    @Override
    public String description() {
        return "Keras resnet_v1 depth 20 (16/32/64 filters, 0.27M params), 64 features";
    }

    @Override
    public Encoder create(Layers layers, String scope, ImageShape shape) {
        return new Encoder() {
            @Override public String scope() { return scope; }
            @Override public int featureDim() { return 64; }

            @Override
            public Operand<TFloat32> apply(Operand<TFloat32> images, boolean training) {
                Operand<TFloat32> x = BasicBlock.stem(layers, scope, images, shape.channels(), 16, training);
                x = BasicBlock.stages(layers, scope, x, 16, 3, BLOCKS_PER_STAGE, BasicBlock.Shortcut.CONV_BIAS, training);
                return layers.globalAvgPool(x);
            }
        };
    }
}
