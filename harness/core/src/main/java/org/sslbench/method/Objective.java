package org.sslbench.method;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What a method builds: the pretext loss and, optionally, metrics, per-step updates and feeds. */
public interface Objective {
    /** Scalar loss the harness minimises over the encoder's and the method's trainable variables. */
    Operand<TFloat32> loss();

    /** Extra scalars logged per epoch (e.g. rotation accuracy). */
    default Map<String, Operand<TFloat32>> metrics() {
        return Map.of();
    }

    /**
     * The embedding watched by the collapse monitor ([batch, dim], e.g. the projector output);
     * null means the encoder features of view 0.
     */
    default Operand<TFloat32> embedding() {
        return null;
    }

    /**
     * Ops to run after each optimizer step (EMA targets, queues). {@code afterOptimizer} carries a
     * control dependency on the optimizer's updates, so ops built with it read post-update weights.
     */
    default List<Op> afterStep(Ops afterOptimizer) {
        return List.of();
    }

    /** Feeds the method's own inputs ({@link PretextContext#input}) for one step. */
    default void feed(StepBatch batch, Feeds feeds) {
    }

    /** An objective that is just a loss. */
    static Objective of(Operand<TFloat32> loss) {
        return () -> loss;
    }

    /** A loss with its logged metrics and the embedding the collapse monitor watches; no feeds or updates. */
    static Objective of(Operand<TFloat32> loss, Map<String, Operand<TFloat32>> metrics, Operand<TFloat32> embedding) {
        return new Objective() {
            @Override
            public Operand<TFloat32> loss() {
                return loss;
            }

            @Override
            public Map<String, Operand<TFloat32>> metrics() {
                return metrics;
            }

            @Override
            public Operand<TFloat32> embedding() {
                return embedding;
            }
        };
    }
}
