package org.sslbench.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Role;
import org.sslbench.engine.Tensors;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class EmaAndQueueTest {
    @Test
    void emaAfterAnOptimizerStepReadsThePostUpdateWeights() {
        try (Net net = new Net()) {
            var tf = net.tf();
            var online = net.variable("online/w", Init.zeros(), Role.WEIGHT, 1, 1, 3);
            net.variable("target/w", Init.zeros(), Role.STATE, 1, 1, 3);
            // an "optimizer step" that adds 1 to every online weight
            var step = tf.assignAdd(online, tf.constant(new float[] {1f, 1f, 1f}));
            float tau = 0.9f;
            List<org.tensorflow.op.Op> ema = Ema.update(tf.withControlDependencies(List.of(step)), net, "online", "target", tf.constant(tau));
            try (Session s = new Session(net.graph())) {
                net.initialize(s, 0);
                float[] oldOnline = {1f, 2f, 3f};
                float[] oldTarget = {10f, -4f, 0.5f};
                net.assign(s, Map.of("online/w", oldOnline, "target/w", oldTarget));
                var runner = s.runner().addTarget(step);
                ema.forEach(runner::addTarget);
                runner.run().close();
                float[] target = net.read(s, v -> v.name().equals("target/w")).get("target/w");
                for (int i = 0; i < 3; i++) {
                    float newOnline = oldOnline[i] + 1;
                    assertEquals(tau * oldTarget[i] + (1 - tau) * newOnline, target[i], 1e-5, "entry " + i);
                }
            }
        }
    }

    @Test
    void byolTauRisesFromTau0ToOneOnACosine() {
        try (Net net = new Net(); Session s = new Session(net.graph())) {
            var tf = net.tf();
            var p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            var tau = Ema.cosineTau(tf, 0.99, p);
            for (double progress : new double[] {0, 0.5, 1}) {
                try (TFloat32 in = TFloat32.scalarOf((float) progress);
                     var r = s.runner().feed(p, in).fetch(tau).run()) {
                    double expected = 1 - (1 - 0.99) * (Math.cos(Math.PI * progress) + 1) / 2;
                    assertEquals(expected, ((TFloat32) r.get(0)).getFloat(), 1e-6);
                }
            }
        }
    }

    @Test
    void queueHoldsTheNewestKeysFirstAndDropsTheOldest() {
        try (Net net = new Net()) {
            var tf = net.tf();
            FeatureQueue queue = new FeatureQueue(new Layers(net), "queue", 5, 2);
            var keys = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 2)));
            var push = queue.enqueue(tf, keys);
            try (Session s = new Session(net.graph())) {
                net.initialize(s, 0);
                float[] init = net.read(s, v -> v.name().equals("queue")).get("queue");
                for (int r = 0; r < 5; r++) {
                    assertEquals(1.0, Math.hypot(init[2 * r], init[2 * r + 1]), 1e-5, "initial rows are unit vectors");
                }
                float[][] batches = {{1, 1, 2, 2}, {3, 3, 4, 4}, {5, 5, 6, 6}};
                for (float[] b : batches) {
                    try (TFloat32 t = Tensors.floats(b, 2, 2)) {
                        s.runner().feed(keys, t).addTarget(push).run().close();
                    }
                }
                float[] q = net.read(s, v -> v.name().equals("queue")).get("queue");
                // newest batch first, in its own row order; 5 rows keep 2.5 batches
                assertArrayEquals(new float[] {5, 5, 6, 6, 3, 3, 4, 4, 1, 1}, q);
            }
        }
    }
}
