package org.sslbench.engine.backbones;

import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The residual basic block (two 3×3 conv + BN, ReLU after the sum) shared by the ResNets. */
final class BasicBlock {
    /** How a block's shortcut adapts the input when the shape changes. */
    enum Shortcut {
        /** 1×1 conv with bias, no BN: Keras {@code resnet_v1}. */
        CONV_BIAS,
        /** 1×1 conv without bias + BN: torchvision / solo-learn. */
        CONV_BN
    }

    private BasicBlock() {
    }

    /** Stem: 3×3 conv (no bias) → BN → ReLU. */
    static Operand<TFloat32> stem(Layers layers, String scope, Operand<TFloat32> images, int in, int filters,
                                  boolean training) {
        Operand<TFloat32> x = layers.conv2d(scope + "/stem/conv", images, in, filters, 3, 1, "SAME", false, Init.heNormal());
        return layers.relu(layers.batchNorm(scope + "/stem/bn", x, filters, training));
    }

    /**
     * Stages of basic blocks; stage i has {@code base << i} filters, blocks after the first stage's
     * first one start with stride 2.
     *
     * @return the output of the last block; {@code [b, h', w', base << (stages-1)]}
     */
    static Operand<TFloat32> stages(Layers layers, String scope, Operand<TFloat32> x, int base, int stages,
                                    int blocksPerStage, Shortcut shortcut, boolean training) {
        int in = base;
        for (int stage = 0; stage < stages; stage++) {
            int filters = base << stage;
            for (int block = 0; block < blocksPerStage; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = block(layers, scope + "/stage" + stage + "/block" + block + "/", x, in, filters, stride, shortcut, training);
                in = filters;
            }
        }
        return x;
    }

    private static Operand<TFloat32> block(Layers layers, String b, Operand<TFloat32> x, int in, int filters, int stride,
                                           Shortcut shortcut, boolean training) {
        Operand<TFloat32> y = layers.conv2d(b + "conv1", x, in, filters, 3, stride, "SAME", false, Init.heNormal());
        y = layers.relu(layers.batchNorm(b + "bn1", y, filters, training));
        y = layers.conv2d(b + "conv2", y, filters, filters, 3, 1, "SAME", false, Init.heNormal());
        y = layers.batchNorm(b + "bn2", y, filters, training);
        Operand<TFloat32> identity = x;
        if (in != filters || stride != 1) {
            if (shortcut == Shortcut.CONV_BIAS) {
                identity = layers.conv2d(b + "shortcut", x, in, filters, 1, stride, "SAME", true, Init.heNormal());
            } else {
                identity = layers.conv2d(b + "shortcut/conv", x, in, filters, 1, stride, "SAME", false, Init.heNormal());
                identity = layers.batchNorm(b + "shortcut/bn", identity, filters, training);
            }
        }
        return layers.relu(layers.tf().math.add(y, identity));
    }
}
