package org.sslbench.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * InfoNCE against a queue of negatives, the contrastive loss of MoCo (He, Fan, Wu, Xie &amp; Girshick,
 * "Momentum Contrast for Unsupervised Visual Representation Learning", CVPR 2020, eq. 1), kept by
 * MoCo v2 (Chen, Fan, Girshick &amp; He, "Improved Baselines with Momentum Contrastive Learning",
 * arXiv:2003.04297, 2020):
 *
 * <pre>
 *   L_q = −log [ exp(q·k₊/τ) / ( exp(q·k₊/τ) + Σ_{k₋ ∈ queue} exp(q·k₋/τ) ) ]
 * </pre>
 *
 * with q and k₊ L2-normalised, averaged over the batch. Computed as MoCo's pseudocode does: logits
 * [q·k₊, q·queueᵀ]/τ with the positive in column 0, cross-entropy against class 0. Keys and queue
 * are constants (stop-gradient): only the query branch is trained by this loss.
 *
 * <pre>{@code
 * Operand<TFloat32> loss = InfoNceLoss.withQueue(tf, q, k, queue.values(), 0.2, ctx.batchSize());
 * }</pre>
 */
public final class InfoNceLoss {
    private InfoNceLoss() {
    }

    /**
     * @param q           queries [batch, dim] (normalised here)
     * @param k           positive keys [batch, dim], row i the positive of query i (normalised here)
     * @param queue       negatives [size, dim], rows expected unit-norm (as {@code FeatureQueue} holds them)
     * @param temperature τ
     * @param batch       static batch size (the view placeholders have a free batch dimension)
     */
    public static Operand<TFloat32> withQueue(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k, Operand<TFloat32> queue,
                                              double temperature, int batch) {
        Operand<TFloat32> qn = TensorMath.l2Normalize(tf, q);
        Operand<TFloat32> kn = tf.stopGradient(TensorMath.l2Normalize(tf, k));
        Operand<TFloat32> positive = tf.reduceSum(tf.math.mul(qn, kn), tf.constant(1), ReduceSum.keepDims(true));
        Operand<TFloat32> negatives = tf.linalg.matMul(qn, tf.stopGradient(queue), MatMul.transposeB(true));
        Operand<TFloat32> logits = tf.math.div(tf.concat(List.of(positive, negatives), tf.constant(1)),
                tf.constant((float) temperature));
        // every row's target is class 0, the positive key
        return TensorMath.crossEntropy(tf, logits, new int[batch], 1 + TensorMath.dim(queue, 0));
    }

    /**
     * The symmetrised loss (MoCo v3 / solo-learn's "MoCo v2+"): each view's query against the
     * other view's key, averaged: ½·[L(q₁, k₂) + L(q₂, k₁)].
     */
    public static Operand<TFloat32> symmetric(Ops tf, Operand<TFloat32> q1, Operand<TFloat32> q2, Operand<TFloat32> k1,
                                              Operand<TFloat32> k2, Operand<TFloat32> queue, double temperature, int batch) {
        Operand<TFloat32> sum = tf.math.add(withQueue(tf, q1, k2, queue, temperature, batch),
                withQueue(tf, q2, k1, queue, temperature, batch));
        return tf.math.mul(tf.constant(0.5f), sum);
    }
}
