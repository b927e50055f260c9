package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * SimSiam's loss (Chen &amp; He, "Exploring Simple Siamese Representation Learning", CVPR 2021,
 * eqs. 1–3): the negative cosine similarity of a prediction p and a stop-gradient target z,
 * <pre>
 *   D(p, z) = −(p / ‖p‖) · (stopgrad(z) / ‖z‖)        (mean over the batch)
 *   L       = ½ D(p₁, z₂) + ½ D(p₂, z₁)
 * </pre>
 * The stop-gradient is part of the loss (eq. 3): z gets no gradient, which is what keeps SimSiam
 * from collapsing. L ∈ [−1, 1], −1 when every p points along its z.
 *
 * <pre>{@code
 * Operand<TFloat32> loss = NegativeCosineLoss.symmetric(tf, p1, p2, z1, z2);
 * }</pre>
 */
public final class NegativeCosineLoss {
    private NegativeCosineLoss() {
    }

    /** D(p, z) of [batch, dim] predictions and targets, averaged over the batch. */
    public static Operand<TFloat32> build(Ops tf, Operand<TFloat32> p, Operand<TFloat32> z) {
        Operand<TFloat32> cos = tf.reduceSum(tf.math.mul(TensorMath.l2Normalize(tf, p),
                TensorMath.l2Normalize(tf, tf.stopGradient(z))), tf.constant(1));
        return tf.math.neg(tf.math.mean(cos, tf.constant(0)));
    }

    /** ½ D(p₁, z₂) + ½ D(p₂, z₁): each view's prediction against the other view's target. */
    public static Operand<TFloat32> symmetric(Ops tf, Operand<TFloat32> p1, Operand<TFloat32> p2,
                                              Operand<TFloat32> z1, Operand<TFloat32> z2) {
        return tf.math.mul(tf.constant(0.5f), tf.math.add(build(tf, p1, z2), build(tf, p2, z1)));
    }
}
