package org.sslbench.engine.backbones;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
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
                String s = scope + "/";
                Operand<TFloat32> x = layers.conv2d(s + "stem/conv", images, shape.channels(), 16, 3, 1, "SAME", false, Init.heNormal());
                x = layers.relu(layers.batchNorm(s + "stem/bn", x, 16, training));
                int in = 16;
                for (int stage = 0; stage < 3; stage++) {
                    int filters = 16 << stage;
                    for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                        int stride = stage > 0 && block == 0 ? 2 : 1;
                        String b = s + "stage" + stage + "/block" + block + "/";
                        Operand<TFloat32> y = layers.conv2d(b + "conv1", x, in, filters, 3, stride, "SAME", false, Init.heNormal());
                        y = layers.relu(layers.batchNorm(b + "bn1", y, filters, training));
                        y = layers.conv2d(b + "conv2", y, filters, filters, 3, 1, "SAME", false, Init.heNormal());
                        y = layers.batchNorm(b + "bn2", y, filters, training);
                        Operand<TFloat32> shortcut = in == filters && stride == 1 ? x
                                : layers.conv2d(b + "shortcut", x, in, filters, 1, stride, "SAME", true, Init.heNormal());
                        x = layers.relu(layers.tf().math.add(y, shortcut));
                        in = filters;
                    }
                }
                return layers.globalAvgPool(x);
            }
        };
    }
}
