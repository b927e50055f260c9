package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Building blocks shared by the SSL losses, written with ops that have gradients in TF Java
 * (no MatrixDiagPart, OnesLike, TopKV2, FloorMod, float Range or sparse cross-entropy: README,
 * "TensorFlow ops without a gradient in TF Java", checked by TfGradientsTest). Part of the stable
 * plugin API (package-info): a method plugin may call every public method here.
 *
 * <p>Shapes are [batch, d] for embeddings and [n, n] for similarity matrices; every method is
 * pure (builds ops, holds no state) and differentiable in its float inputs.
 */
public final class TensorMath {
    private TensorMath() {
    }

    /** Rows scaled to unit L2 norm: x / max(‖x‖, 1e-12) (as torch.nn.functional.normalize). */
    public static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> sq = tf.reduceSum(tf.math.square(x), tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sq, tf.constant(1e-24f))));
    }

    /** The n×n identity as a constant. */
    public static Operand<TFloat32> eye(Ops tf, int n) {
        float[][] m = new float[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1f;
        }
        return tf.constant(m);
    }

    /** Diagonal of a square matrix as a vector: sum(m ⊙ I, axis 1) (MatrixDiagPart has no gradient). */
    public static Operand<TFloat32> diagonal(Ops tf, Operand<TFloat32> m, int n) {
        return tf.reduceSum(tf.math.mul(m, eye(tf, n)), tf.constant(1));
    }

    /** m with its diagonal zeroed. */
    public static Operand<TFloat32> offDiagonal(Ops tf, Operand<TFloat32> m, int n) {
        return tf.math.mul(m, tf.math.sub(tf.constant(1f), eye(tf, n)));
    }

    /**
     * log Σ exp(x) over axis 1 (rows of a [batch, k] matrix), stable at any scale: m + log Σ exp(x − m)
     * with m the row maximum under tf.stopGradient (the shift cancels in the value and the
     * gradient, which is softmax(x)). Shape [batch].
     */
    public static Operand<TFloat32> logSumExp(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> m = tf.stopGradient(tf.max(x, tf.constant(1), org.tensorflow.op.core.Max.keepDims(true)));
        Operand<TFloat32> s = tf.reduceSum(tf.math.exp(tf.math.sub(x, m)), tf.constant(1));
        return tf.math.add(tf.math.log(s), tf.reshape(m, tf.constant(new int[] {-1})));
    }

    /** Ones of x's shape (OnesLike has no gradient in TF Java; Fill from x's shape does not need one). */
    public static Operand<TFloat32> ones(Ops tf, Operand<TFloat32> x) {
        return tf.fill(tf.shape(x), tf.constant(1f));
    }

    /** Mean over every element. */
    public static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
        return tf.math.mean(x, allAxes(tf, x));
    }

    /** Sum over every element. */
    public static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> x) {
        return tf.reduceSum(x, allAxes(tf, x));
    }

    private static Operand<TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
        int rank = x.shape().numDimensions();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return tf.constant(axes);
    }

    /**
     * Softmax cross-entropy of each row of {@code logits} against a fixed target class per row,
     * via oneHot (the sparse op has no gradient in TF Java); mean over rows.
     */
    public static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, int[] targets, int classes) {
        Operand<TFloat32> oneHot = tf.oneHot(tf.constant(targets), tf.constant(classes), tf.constant(1f), tf.constant(0f));
        return tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(), tf.constant(0));
    }

    /** Static size of axis {@code axis}; methods need a fixed batch to build diagonal masks. */
    public static int dim(Operand<?> x, int axis) {
        long d = x.shape().get(axis);
        if (d < 0) {
            throw new IllegalArgumentException("axis " + axis + " of " + x.shape() + " must have a static size");
        }
        return Math.toIntExact(d);
    }
}
