package org.sslbench.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.sslbench.engine.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Evaluates a float op built on placeholders (no gradients: for metrics and lookups). */
final class FeedAndFetch {
    private FeedAndFetch() {
    }

    static float[] run(BiFunction<Ops, List<Operand<TFloat32>>, Operand<TFloat32>> build, float[][] inputs, long[][] shapes) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Operand<TFloat32>> in = new ArrayList<>();
            for (long[] shape : shapes) {
                in.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape))));
            }
            Operand<TFloat32> out = build.apply(tf, in);
            List<Tensor> open = new ArrayList<>();
            Session.Runner runner = s.runner().fetch(out);
            try {
                for (int i = 0; i < inputs.length; i++) {
                    TFloat32 t = Tensors.floats(inputs[i], shapes[i]);
                    open.add(t);
                    runner.feed(in.get(i), t);
                }
                try (var result = runner.run()) {
                    return Tensors.toFloats((TFloat32) result.get(0));
                }
            } finally {
                open.forEach(Tensor::close);
            }
        }
    }
}
