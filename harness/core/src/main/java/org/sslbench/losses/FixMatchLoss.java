package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * FixMatch's loss (Sohn et al., "FixMatch: Simplifying Semi-Supervised Learning with Consistency
 * and Confidence", NeurIPS 2020, eqs. 2–4), for B labelled and μB unlabeled images:
 * <pre>
 *   ℓ_s = 1/B · Σ_b H(y_b, p(α(x_b)))                                   (eq. 2, weakly augmented α)
 *   q_b = stopgrad(softmax(weak logits of u_b)),  q̂_b = argmax q_b
 *   ℓ_u = 1/(μB) · Σ_b 1[max q_b ≥ τ] · H(q̂_b, p(A(u_b)))              (eq. 4, strongly augmented A)
 *   L   = ℓ_s + λ_u · ℓ_u
 * </pre>
 * H is the softmax cross-entropy. ℓ_u averages over all μB unlabeled images, masked ones counting
 * as 0 (as google-research/fixmatch fixmatch.py@3ae68002 {@code reduce_mean(loss_xeu * pseudo_mask)}),
 * not over the confident ones. The pseudo-labels are targets: no gradient flows into the weak
 * branch (the paper's pseudo-labelling treats q̂ as a hard label; the reference code wraps the
 * weak softmax in {@code stop_gradient}). The one-hot targets come from {@code oneHot}, because
 * TF Java has no gradient for the sparse cross-entropy.
 *
 * <pre>{@code
 * FixMatchLoss.Terms t = FixMatchLoss.build(tf, labelledLogits, labelsOneHot, weakLogits, strongLogits, 0.95, 1.0);
 * optimizerOn(t.loss());  fetch(t.maskRate());
 * }</pre>
 */
public final class FixMatchLoss {
    private FixMatchLoss() {
    }

    /**
     * The loss and the scalars worth logging.
     *
     * @param loss         L = ℓ_s + λ_u·ℓ_u (scalar)
     * @param supervised   ℓ_s, mean cross-entropy of the labelled batch
     * @param unsupervised ℓ_u, masked pseudo-label cross-entropy averaged over all μB images
     * @param maskRate     fraction in [0, 1] of unlabeled images whose weak confidence reached τ
     *                     (the reference code's {@code monitors/mask})
     */
    public record Terms(Operand<TFloat32> loss, Operand<TFloat32> supervised, Operand<TFloat32> unsupervised,
                        Operand<TFloat32> maskRate) {
    }

    /**
     * @param labelledLogits [B, K] logits of the weakly augmented labelled images
     * @param labelsOneHot   [B, K] one-hot labels (float)
     * @param weakLogits     [μB, K] logits (K static) of the weakly augmented unlabeled images (pseudo-label source)
     * @param strongLogits   [μB, K] logits of the strongly augmented views of the same images, same order
     * @param threshold      confidence threshold τ in [0, 1] (paper: 0.95)
     * @param lambdaU        weight λ_u ≥ 0 of the unlabeled term (paper: 1)
     */
    public static Terms build(Ops tf, Operand<TFloat32> labelledLogits, Operand<TFloat32> labelsOneHot,
                              Operand<TFloat32> weakLogits, Operand<TFloat32> strongLogits, double threshold,
                              double lambdaU) {
        Operand<TFloat32> supervised = tf.math.mean(
                tf.nn.softmaxCrossEntropyWithLogits(labelledLogits, labelsOneHot).loss(), tf.constant(0));
        Operand<TFloat32> q = tf.stopGradient(tf.nn.softmax(weakLogits));
        Operand<TFloat32> confidence = tf.reduceMax(q, tf.constant(1), ReduceMax.keepDims(false));
        Operand<TFloat32> mask = tf.dtypes.cast(tf.math.greaterEqual(confidence, tf.constant((float) threshold)),
                TFloat32.class);
        Operand<TInt64> hard = tf.math.argMax(q, tf.constant(1));
        Operand<TFloat32> target = tf.stopGradient(tf.oneHot(hard, tf.constant(TensorMath.dim(weakLogits, 1)),
                tf.constant(1f), tf.constant(0f)));
        Operand<TFloat32> perImage = tf.nn.softmaxCrossEntropyWithLogits(strongLogits, target).loss();
        Operand<TFloat32> unsupervised = tf.math.mean(tf.math.mul(perImage, mask), tf.constant(0));
        Operand<TFloat32> loss = tf.math.add(supervised, tf.math.mul(tf.constant((float) lambdaU), unsupervised));
        return new Terms(loss, supervised, unsupervised, tf.math.mean(mask, tf.constant(0)));
    }
}
