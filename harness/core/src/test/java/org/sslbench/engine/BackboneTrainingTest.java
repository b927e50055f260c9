package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.ResNet20;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.engine.backbones.ResNet18;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class BackboneTrainingTest {
    private static final ImageShape CIFAR = new ImageShape(32, 32, 3);

    /** Trains encoder + head on one fixed batch; returns {first loss, last loss}. */
    private static float[] overfit(Backbone backbone, ImageShape shape, int batch, int steps) {
        Random rng = new Random(7);
        float[] images = new float[batch * shape.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = rng.nextFloat();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, shape.height(), shape.width(), shape.channels())));
            Encoder encoder = backbone.create(layers, "encoder", shape);
            Operand<TFloat32> features = encoder.apply(x, true);
            Classifier head = Classifier.build(layers, "head", features, encoder.featureDim(), 10);
            Optimizer opt = new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), head.loss(),
                    net.vars(Net.trainable()), "opt");
            try (Session session = new Session(net.graph())) {
                net.initialize(session, 1);
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 1; step <= steps; step++) {
                    List<Tensor> feeds = new ArrayList<>();
                    Session.Runner r = session.runner();
                    TFloat32 xt = Tensors.floats(images, batch, shape.height(), shape.width(), shape.channels());
                    var yt = Tensors.ints(labels, batch);
                    feeds.add(xt);
                    feeds.add(yt);
                    r.feed(x, xt).feed(head.labels(), yt).fetch(head.loss());
                    feeds.addAll(opt.feed(r, step, 1e-3));
                    net.updateOps().forEach(r::addTarget);
                    try (var result = r.run()) {
                        last = ((TFloat32) result.get(0)).getFloat();
                    }
                    feeds.forEach(Tensor::close);
                    if (step == 1) {
                        first = last;
                    }
                }
                return new float[] {first, last};
            }
        }
    }

    @Test
    void resnet20OverfitsAFixedBatch() {
        float[] loss = overfit(new ResNet20(), CIFAR, 32, 60);
        assertTrue(loss[1] < loss[0] / 10, "loss should fall 10x: " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void smallCnnOverfitsGrayscale() {
        float[] loss = overfit(new SmallCnn(), new ImageShape(28, 28, 1), 32, 60);
        assertTrue(loss[1] < loss[0] / 10, "loss should fall 10x: " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void backbonesHaveTheDocumentedSizes() {
        assertEquals(272_474 - 650, params(new ResNet20(), CIFAR), 2_000); // Keras resnet_v1(20): 272,474 incl. 650-weight head
        assertEquals(11_168_832, params(new ResNet18(), CIFAR), 20_000); // torchvision resnet18 (CIFAR stem) minus fc
    }

    private static long params(Backbone backbone, ImageShape shape) {
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            var x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            backbone.create(layers, "encoder", shape).apply(x, false);
            return net.count(Net.trainable());
        }
    }

    @Test
    void checkpointRoundTripsAndDetectsCorruption(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("enc.ckpt");
        new Checkpoint(Map.of("method", "rotation"), Map.of("encoder/w", new float[] {1f, -2.5f, 3e-7f})).write(file);
        Checkpoint back = Checkpoint.read(file);
        assertEquals("rotation", back.metadata().get("method"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1f, -2.5f, 3e-7f}, back.tensors().get("encoder/w"));
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        java.nio.file.Files.write(file, bytes);
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
}
