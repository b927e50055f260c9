package org.sslbench.engine.backbones;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
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
                String s = scope + "/";
                Operand<TFloat32> x = layers.conv2d(s + "stem/conv", images, shape.channels(), 64, 3, 1, "SAME", false, Init.heNormal());
                x = layers.relu(layers.batchNorm(s + "stem/bn", x, 64, training));
                int in = 64;
                for (int stage = 0; stage < 4; stage++) {
                    int filters = 64 << stage;
                    for (int block = 0; block < 2; block++) {
                        int stride = stage > 0 && block == 0 ? 2 : 1;
                        String b = s + "stage" + stage + "/block" + block + "/";
                        Operand<TFloat32> y = layers.conv2d(b + "conv1", x, in, filters, 3, stride, "SAME", false, Init.heNormal());
                        y = layers.relu(layers.batchNorm(b + "bn1", y, filters, training));
                        y = layers.conv2d(b + "conv2", y, filters, filters, 3, 1, "SAME", false, Init.heNormal());
                        y = layers.batchNorm(b + "bn2", y, filters, training);
                        Operand<TFloat32> shortcut = x;
                        if (in != filters || stride != 1) {
                            shortcut = layers.conv2d(b + "shortcut/conv", x, in, filters, 1, stride, "SAME", false, Init.heNormal());
                            shortcut = layers.batchNorm(b + "shortcut/bn", shortcut, filters, training);
                        }
                        x = layers.relu(layers.tf().math.add(y, shortcut));
                        in = filters;
                    }
                }
                return layers.globalAvgPool(x);
            }
        };
    }
}
