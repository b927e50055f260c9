package org.sslbench.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The supervised contrastive loss L^sup_out of Khosla et al., "Supervised Contrastive Learning",
 * NeurIPS 2020, Eq. 2: over the N = views·B L2-normalised projections z of a batch (every view of
 * every image is an anchor),
 * <pre>
 *   L = (1/N) Σ_i  −1/|P(i)| Σ_{p ∈ P(i)} log( exp(z_i·z_p/τ) / Σ_{a ∈ A(i)} exp(z_i·z_a/τ) )
 * </pre>
 * with A(i) every row but i and P(i) ⊂ A(i) the rows of the same class as i (the other views of
 * image i and every view of the other images of its class). The mean over positives is outside
 * the log (L_out; the paper's Eq. 3, L_in, has it inside). With one class per image it is NT-Xent.
 *
 * <p>As SupContrast's {@code SupConLoss} (HobbitLong/SupContrast losses.py@2728c677, contrast_mode
 * {@code all}), with two differences: (1) no {@code temperature / base_temperature} factor (there
 * 1 at its default τ = 0.07; Eq. 2 has none); (2) an anchor without positives (a class with a
 * single row in the batch, which needs a single view: with two views every row has at least the
 * other view of its image) contributes 0 and still counts in the mean over the N anchors.
 * SupContrast@2728c677 divides by |P(i)| = 0 there (NaN); later copies of the same file
 * ("modified to handle edge cases when there is no positive pair", e.g. in forks; not verified in
 * HobbitLong's own history) clamp |P(i)| to 1, which is what this does.
 *
 * <pre>{@code
 * // z1, z2: [B, d] projections of two augmentations of the same B images; labels: [B] int32
 * Operand<TFloat32> loss = SupConLoss.loss(tf, z1, z2, labels, 0.1);
 * }</pre>
 *
 * Works for any batch size (nothing depends on a static row count), so the last partial batch of
 * an epoch needs no special graph. The self-mask is built from Range/Equal on the labels' length;
 * those ops lie off the gradient path (only z is differentiated).
 */
public final class SupConLoss {
    /** Subtracted from self-similarity logits so that i is never in its own denominator (exp(−1e9) = 0). */
    private static final float SELF_MASK = 1e9f;

    private SupConLoss() {
    }

    /**
     * Eq. 2 over two views: rows of {@code z1} and {@code z2} are the same images, so the anchors
     * are concat(z1, z2) with labels concat(labels, labels).
     *
     * @param z1          projections of view 1, [B, d] (need not be normalised)
     * @param z2          projections of view 2, [B, d]
     * @param labels      class of each image, [B], int32
     * @param temperature τ &gt; 0
     * @return scalar mean loss over the 2B anchors
     */
    public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, Operand<TInt32> labels,
                                         double temperature) {
        Operand<TFloat32> z = tf.concat(List.of(z1, z2), tf.constant(0));
        Operand<TInt32> both = tf.concat(List.of(labels, labels), tf.constant(0));
        return loss(tf, z, both, temperature);
    }

    /**
     * Eq. 2 over N rows, each with its class: rows of one class are each other's positives.
     *
     * @param z           projections, [N, d] (L2-normalised here: z·z' is the cosine similarity)
     * @param labels      class of each row, [N], int32
     * @param temperature τ &gt; 0
     * @return scalar mean over the N anchors; an anchor with no positive contributes 0
     */
    public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> z, Operand<TInt32> labels, double temperature) {
        Operand<TFloat32> zn = TensorMath.l2Normalize(tf, z);
        Operand<TFloat32> logits = tf.math.mul(tf.linalg.matMul(zn, zn, MatMul.transposeB(true)),
                tf.constant((float) (1 / temperature)));
        Operand<TInt32> index = tf.range(tf.constant(0), tf.size(labels), tf.constant(1));
        Operand<TFloat32> self = tf.dtypes.cast(tf.math.equal(tf.expandDims(index, tf.constant(1)),
                tf.expandDims(index, tf.constant(0))), TFloat32.class);
        Operand<TFloat32> same = tf.dtypes.cast(tf.math.equal(tf.expandDims(labels, tf.constant(1)),
                tf.expandDims(labels, tf.constant(0))), TFloat32.class);
        Operand<TFloat32> positives = tf.math.mul(same, tf.math.sub(tf.constant(1f), self));
        // log Σ_{a≠i} exp(logit_ia): a stable log-sum-exp with i pushed to −∞
        Operand<TFloat32> masked = tf.math.sub(logits, tf.math.mul(self, tf.constant(SELF_MASK)));
        Operand<TFloat32> rowMax = tf.stopGradient(tf.max(masked, tf.constant(1), Max.keepDims(true)));
        Operand<TFloat32> logDenominator = tf.math.add(rowMax, tf.math.log(tf.reduceSum(
                tf.math.exp(tf.math.sub(masked, rowMax)), tf.constant(1), ReduceSum.keepDims(true))));
        Operand<TFloat32> logProb = tf.math.sub(logits, logDenominator);
        Operand<TFloat32> count = tf.math.maximum(tf.reduceSum(positives, tf.constant(1)), tf.constant(1f));
        Operand<TFloat32> meanLogProbPositive = tf.math.div(
                tf.reduceSum(tf.math.mul(positives, logProb), tf.constant(1)), count);
        return tf.math.neg(tf.math.mean(meanLogProbPositive, tf.constant(0)));
    }
}
