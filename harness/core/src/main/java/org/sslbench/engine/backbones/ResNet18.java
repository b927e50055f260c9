package org.sslbench.engine.backbones;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * ResNet-18 with the CIFAR stem used by solo-learn and most SSL papers on small images: 3×3 conv
 * 64 stride 1 and no max-pool, then 4 stages × 2 basic blocks (64/128/256/512, stride 2 from
 * stage 2), projection shortcut 1×1 conv + BN when the shape changes, global average pooling →
 * 512 features.
 */
public final class ResNet18 implements Backbone {
    @Override
    public String name() {
        return "resnet18";
    }

    @Override
    public String description() {
        return "ResNet-18, CIFAR stem (3x3 conv, no max-pool), 11.2M params, 512 features";
    }

    @Override
    public Encoder create(Layers layers, String scope, ImageShape shape) {
        return new Encoder() {
            @Override public String scope() { return scope; }
            @Override public int featureDim() { return 512; }

            @Override
            public Operand<TFloat32> apply(Operand<TFloat32> images, boolean training) {
                Operand<TFloat32> x = BasicBlock.stem(layers, scope, images, shape.channels(), 64, training);
                x = BasicBlock.stages(layers, scope, x, 64, 4, 2, BasicBlock.Shortcut.CONV_BN, training);
                return layers.globalAvgPool(x);
            }
        };
    }
}
