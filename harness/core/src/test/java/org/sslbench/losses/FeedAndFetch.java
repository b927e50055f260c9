package org.sslbench.losses;

import java.util.List;
import java.util.function.BiFunction;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Evaluates a float op built on placeholders (no gradients: for metrics and lookups); now {@link LossCheck#fetch}. */
final class FeedAndFetch {
    private FeedAndFetch() {
    }

    static float[] run(BiFunction<Ops, List<Operand<TFloat32>>, Operand<TFloat32>> build, float[][] inputs, long[][] shapes) {
        return LossCheck.fetch(build::apply, inputs, shapes);
    }
}
