package org.sslbench.method;

import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Role;
import org.sslbench.losses.TensorMath;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A FIFO of the most recent embeddings (MoCo's negatives, NNCLR's support set): a [size, dim]
 * variable, newest rows first, initialised with random unit vectors as in MoCo. Not trained.
 */
public final class FeatureQueue {
    private final Variable<TFloat32> queue;
    private final int size;
    private final int dim;

    public FeatureQueue(Layers layers, String name, int size, int dim) {
        this.size = size;
        this.dim = dim;
        Init unitRows = (n, fanIn, fanOut, rng) -> {
            float[] v = Init.heNormal().values(n, 1, 1, rng);
            for (int r = 0; r < size; r++) {
                double norm = 0;
                for (int c = 0; c < dim; c++) {
                    norm += v[r * dim + c] * v[r * dim + c];
                }
                float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
                for (int c = 0; c < dim; c++) {
                    v[r * dim + c] *= inv;
                }
            }
            return v;
        };
        this.queue = layers.variable(name, unitRows, Role.STATE, 0, 0, size, dim);
    }

    /** The queue's current rows, newest first: [size, dim]. */
    public Operand<TFloat32> values() {
        return queue;
    }

    public int size() {
        return size;
    }

    /**
     * Pushes {@code keys} ([batch, dim]) in front and drops the oldest rows. Build it with
     * {@link Objective#afterStep}'s {@code Ops} so the loss of this step saw the queue before the push.
     */
    public Op enqueue(Ops tf, Operand<TFloat32> keys) {
        Operand<TFloat32> joined = tf.concat(java.util.List.of(tf.stopGradient(keys), queue), tf.constant(0));
        Operand<TFloat32> kept = tf.slice(joined, tf.constant(new int[] {0, 0}), tf.constant(new int[] {size, dim}));
        return tf.assign(queue, kept);
    }

}
