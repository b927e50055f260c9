package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * BYOL's regression loss (Grill et al., "Bootstrap Your Own Latent: A New Approach to
 * Self-Supervised Learning", NeurIPS 2020, eq. 2): the mean squared error between the
 * L2-normalised online prediction p and target projection z',
 *
 * <pre>
 *   L = ‖p̄ − z̄'‖² = 2 − 2·⟨p, z'⟩ / (‖p‖·‖z'‖)
 * </pre>
 *
 * averaged over the batch. The target is a constant (stop-gradient, the paper's sg(z')).
 *
 * <pre>{@code
 * // BYOL's L + L̃: each view's prediction regresses the other view's target projection
 * Operand<TFloat32> loss = NormalizedMseLoss.symmetric(tf, p1, p2, targetZ1, targetZ2);
 * }</pre>
 */
public final class NormalizedMseLoss {
    private NormalizedMseLoss() {
    }

    /** 2 − 2·cos(p, z') per row, mean over the batch; p, z' [batch, dim]. */
    public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> prediction, Operand<TFloat32> target) {
        Operand<TFloat32> p = TensorMath.l2Normalize(tf, prediction);
        Operand<TFloat32> z = tf.stopGradient(TensorMath.l2Normalize(tf, target));
        Operand<TFloat32> cos = tf.reduceSum(tf.math.mul(p, z), tf.constant(1));
        return tf.math.sub(tf.constant(2f), tf.math.mul(tf.constant(2f), tf.math.mean(cos, tf.constant(0))));
    }

    /**
     * BYOL's symmetrised total L + L̃ (summed, as the paper): view 1's prediction against view 2's
     * target plus view 2's prediction against view 1's target. Ranges over [0, 8].
     */
    public static Operand<TFloat32> symmetric(Ops tf, Operand<TFloat32> p1, Operand<TFloat32> p2,
                                              Operand<TFloat32> target1, Operand<TFloat32> target2) {
        return tf.math.add(loss(tf, p1, target2), loss(tf, p2, target1));
    }
}
