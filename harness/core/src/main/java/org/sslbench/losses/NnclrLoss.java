package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The loss of NNCLR (Dwibedi, Aytar, Tompson, Sermanet &amp; Zisserman, "With a Little Help from My
 * Friends: Nearest-Neighbor Contrastive Learning of Visual Representations", ICCV 2021, §3.2):
 * SimCLR's cross-view InfoNCE with view 1's projection z_i replaced by its nearest neighbour in a
 * support set Q of past projections, and the other view's prediction p⁺ as the positives,
 * <pre>
 *   L_i = −log( exp(NN(z_i, Q)·p_i⁺/τ) / Σ_k exp(NN(z_i, Q)·p_k⁺/τ) ),   NN(z, Q) = argmin_{q∈Q} ‖z − q‖₂
 * </pre>
 * on L2-normalised vectors, symmetrised over the two views (as solo-learn and Lightly).
 *
 * <pre>{@code
 * Operand<TFloat32> nn1 = NnclrLoss.nearestNeighbour(tf, z1, queue.values());
 * Operand<TFloat32> nn2 = NnclrLoss.nearestNeighbour(tf, z2, queue.values());
 * Operand<TFloat32> loss = NnclrLoss.loss(tf, nn1, nn2, p1, p2, ctx.batchSize(), 0.1);
 * }</pre>
 */
public final class NnclrLoss {
    private NnclrLoss() {
    }

    /**
     * NN(z, Q): for each row of {@code z} the row of {@code queue} with the highest cosine
     * similarity (for unit vectors the smallest Euclidean distance), returned as stored. No gradient
     * flows through it: the neighbour is a support-set entry, not a function of z, and ArgMax/Gather
     * have no gradient in TF Java.
     *
     * @param z     [n, d] projections
     * @param queue [size, d] support set
     * @return [n, d]
     */
    public static Operand<TFloat32> nearestNeighbour(Ops tf, Operand<TFloat32> z, Operand<TFloat32> queue) {
        Operand<TFloat32> support = tf.stopGradient(queue);
        Operand<TFloat32> cosine = tf.linalg.matMul(TensorMath.l2Normalize(tf, tf.stopGradient(z)),
                TensorMath.l2Normalize(tf, support), MatMul.transposeB(true));
        Operand<TInt64> nearest = tf.math.argMax(cosine, tf.constant(1));
        return tf.stopGradient(tf.gather(support, nearest, tf.constant(0)));
    }

    /**
     * Symmetric NNCLR loss: ½·[InfoNCE(NN(z1), p2) + InfoNCE(NN(z2), p1)], each as
     * {@link NtXentLoss#crossView} with the neighbours as anchors. The neighbours are passed in
     * (from {@link #nearestNeighbour}) so a method can reuse the very lookup the loss saw.
     *
     * @param nn1 NN(z1, Q) [n, d]
     * @param p1  predictions of view 1 [n, d]
     * @param n   static batch size
     */
    public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> nn1, Operand<TFloat32> nn2, Operand<TFloat32> p1,
                                         Operand<TFloat32> p2, int n, double temperature) {
        Operand<TFloat32> forward = NtXentLoss.crossView(tf, nn1, p2, n, temperature);
        Operand<TFloat32> backward = NtXentLoss.crossView(tf, nn2, p1, n, temperature);
        return tf.math.mul(tf.constant(0.5f), tf.math.add(forward, backward));
    }
}
