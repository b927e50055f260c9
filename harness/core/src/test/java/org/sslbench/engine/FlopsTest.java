package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.ResNet20;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/** {@link Flops} against FLOPs computed by hand from layer shapes (no graph is run). */
class FlopsTest {
    private static final ImageShape CIFAR = new ImageShape(32, 32, 3);

    private static List<Operation> stepTargets(Optimizer opt, Net net) {
        List<Operation> targets = new ArrayList<>();
        opt.updates().forEach(u -> targets.add(u.op()));
        net.updateOps().forEach(u -> targets.add(u.op()));
        return targets;
    }

    /**
     * x [-1, 8, 8, 3] → 3×3 conv 3→4 stride 2 SAME ([-1, 4, 4, 4]: 16·27·4 = 1,728 MACs) →
     * flatten 64 → dense 64→5 (320 MACs). The SGD step adds the conv's filter gradient (1,728)
     * and the dense layer's weight and input gradients (320 each); the conv's input gradient is
     * not needed (x is no variable).
     */
    @Test
    void tinyConvDenseForwardAndTrainStep() {
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            var x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
            Operand<TFloat32> conv = layers.conv2d("conv", x, 3, 4, 3, 2, "SAME", false, Init.heNormal());
            Classifier head = Classifier.build(layers, "head", layers.flatten(conv, 64), 64, 5);
            assertEquals(2.0 * (1728 + 320), Flops.of(net.graph(), List.of(head.logits().op())).flops());
            assertEquals(2.0 * 1728, Flops.of(net.graph(), List.of(conv.op())).flops());
            Optimizer opt = new Optimizer(net, new OptimizerSpec("sgd", 0.1, 0, 0, false), head.loss(),
                    net.vars(Net.trainable()), "opt");
            Flops.Count step = Flops.of(net.graph(), stepTargets(opt, net));
            assertEquals(2.0 * (1728 + 1728 + 320 + 320 + 320), step.flops(), step.byType().toString());
            assertEquals(2.0 * 1728, step.byType().get("Conv2DBackpropFilter"));
            assertEquals(null, step.byType().get("Conv2DBackpropInput"), step.byType().toString());
            assertEquals(List.of(), step.unresolved());
            // a batch of 16: every term scales with the batch, per image is unchanged
            Flops.Count batch16 = Flops.of(net.graph(), stepTargets(opt, net), 16);
            assertEquals(16 * step.flops(), batch16.flops());
            assertEquals(step.flops(), batch16.perImage());
        }
    }

    /** MatMul with transposes; a stacked BatchMatMul counts each matrix of the stack. */
    @Test
    void matmulTransposesAndBatchedMatmuls() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 2))); // used as aᵀ: 2×3
            var b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4, 3))); // used as bᵀ: 3×4
            var ab = tf.linalg.matMul(a, b, MatMul.transposeA(true), MatMul.transposeB(true));
            assertEquals(2.0 * 2 * 3 * 4, Flops.of(g, List.of(ab.op())).flops());
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 5, 6, 7)));
            var y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(5, 8, 7)));
            var xy = tf.train.batchMatMul(x, y, TFloat32.class, BatchMatMul.adjY(true)); // [-1, 5, 6, 8]
            assertEquals(2.0 * 5 * 6 * 7 * 8, Flops.of(g, List.of(xy.op())).flops());
            assertEquals(2.0 * 4 * 5 * 6 * 7 * 8, Flops.of(g, List.of(xy.op()), 4).flops());
            // no targets: the whole graph
            assertEquals(2.0 * (2 * 3 * 4 + 5 * 6 * 7 * 8), Flops.of(g, List.of()).flops());
            assertThrows(IllegalArgumentException.class, () -> Flops.of(g, List.of(), 0));
        }
    }

    /**
     * ResNet-20 multiply-accumulates per 32×32×3 image from its architecture (Keras resnet_v1,
     * depth 20): a 3×3 stem 3→16 at 32×32, then 3 stages × 3 basic blocks of two 3×3 convs with
     * 16/32/64 filters at 32×32/16×16/8×8, the first block of stages 2 and 3 striding 2 with a 1×1
     * projection shortcut.
     */
    static long resnet20Macs() {
        long stem = 32L * 32 * 3 * 3 * 3 * 16;
        long stage1 = 3 * 2 * (32L * 32 * 3 * 3 * 16 * 16);
        long stage2 = 16L * 16 * 3 * 3 * 16 * 32 + 16L * 16 * 16 * 32 // strided conv1 + shortcut
                + 16L * 16 * 3 * 3 * 32 * 32 * 5;                    // the other 5 convs
        long stage3 = 8L * 8 * 3 * 3 * 32 * 64 + 8L * 8 * 32 * 64 + 8L * 8 * 3 * 3 * 64 * 64 * 5;
        return stem + stage1 + stage2 + stage3;
    }

    /**
     * ResNet-20's forward is 2 × 40,812,544 FLOPs per image; the supervised step (with the
     * 64→10 head) is 3× the forward minus the stem's input gradient, and an eval-mode forward built
     * in the same graph (as a fine-tune graph scores) does not enter the step's count.
     */
    @Test
    void resnet20ForwardAndSupervisedStep() {
        assertEquals(40_812_544L, resnet20Macs());
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            var x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            Encoder encoder = new ResNet20().create(layers, "encoder", CIFAR);
            Operand<TFloat32> features = encoder.apply(x, true);
            double forward = 2.0 * resnet20Macs();
            assertEquals(forward, Flops.of(net.graph(), List.of(features.op())).flops());
            Classifier head = Classifier.build(layers, "head", features, 64, 10);
            double forwardWithHead = forward + 2.0 * 64 * 10;
            assertEquals(forwardWithHead, Flops.of(net.graph(), List.of(head.loss().op())).flops());
            Optimizer opt = new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), head.loss(),
                    net.vars(Net.trainable()), "opt");
            var evalX = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            Operand<TFloat32> evalFeatures = encoder.apply(evalX, false);
            double stemInputGradient = 2.0 * 32 * 32 * 3 * 3 * 3 * 16;
            Flops.Count step = Flops.of(net.graph(), stepTargets(opt, net), 256);
            assertEquals(3 * forwardWithHead - stemInputGradient, step.perImage(), 1e-6, step.byType().toString());
            assertEquals(243_994_368.0, step.perImage(), 1e-6);
            assertEquals(forward, Flops.of(net.graph(), List.of(evalFeatures.op())).flops());
            assertTrue(Flops.of(net.graph(), List.of()).flops() >= step.perImage() + forward);
        }
    }
}
