package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * NT-Xent, the normalized temperature-scaled cross-entropy of SimCLR (Chen, Kornblith, Norouzi &amp;
 * Hinton, "A Simple Framework for Contrastive Learning of Visual Representations", ICML 2020,
 * Eq. 1): with the 2N L2-normalised projections of N images seen twice,
 * <pre>
 *   ℓ(i, j) = −log( exp(sim(z_i, z_j)/τ) / Σ_{k≠i} exp(sim(z_i, z_k)/τ) ),   L = mean over all 2N ordered positive pairs
 * </pre>
 * Every projection's positive is the other view of its image; the other 2N−2 are negatives.
 *
 * <pre>{@code
 * Operand<TFloat32> loss = NtXentLoss.loss(tf, z1, z2, ctx.batchSize(), 0.1);
 * Operand<TFloat32> acc = NtXentLoss.accuracy(tf, z1, z2, ctx.batchSize());
 * }</pre>
 *
 * {@link #crossView} is the one-directional N×N form (anchors vs. the other view's rows) that
 * NNCLR uses with nearest neighbours as anchors ({@link NnclrLoss}).
 */
public final class NtXentLoss {
    /** Subtracted from self-similarity logits: exp(−1e9) is 0 in float, so i never counts as its own negative. */
    private static final float SELF_MASK = 1e9f;

    private NtXentLoss() {
    }

    /**
     * SimCLR's loss over both views.
     *
     * @param z1 projections of view 1, [n, d] (need not be normalised)
     * @param z2 projections of view 2, [n, d], row i the same image as row i of z1
     * @param n  static batch size (for the self-mask and the targets)
     */
    public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, int n, double temperature) {
        return TensorMath.crossEntropy(tf, selfMaskedLogits(tf, z1, z2, n, temperature), positives(n), 2 * n);
    }

    /**
     * One-directional InfoNCE across two sets: row i of {@code anchors} has row i of
     * {@code candidates} as its positive and the other n−1 rows as negatives; mean over the n rows.
     */
    public static Operand<TFloat32> crossView(Ops tf, Operand<TFloat32> anchors, Operand<TFloat32> candidates, int n,
                                              double temperature) {
        int[] diagonal = new int[n];
        for (int i = 0; i < n; i++) {
            diagonal[i] = i;
        }
        return TensorMath.crossEntropy(tf, cosineLogits(tf, anchors, candidates, temperature), diagonal, n);
    }

    /**
     * Contrastive accuracy: the fraction of the 2N projections whose most similar other projection
     * is the other view of the same image. A metric only (no gradient).
     */
    public static Operand<TFloat32> accuracy(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, int n) {
        Operand<TFloat32> logits = tf.stopGradient(selfMaskedLogits(tf, z1, z2, n, 1));
        int[] targets = positives(n);
        long[] expected = new long[targets.length];
        for (int i = 0; i < targets.length; i++) {
            expected[i] = targets[i];
        }
        Operand<org.tensorflow.types.TBool> hit = tf.math.equal(tf.math.argMax(logits, tf.constant(1)), tf.constant(expected));
        return TensorMath.mean(tf, tf.dtypes.cast(hit, TFloat32.class));
    }

    /** cos(a_i, b_j)/τ for every pair: [rows of a, rows of b]. */
    static Operand<TFloat32> cosineLogits(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, double temperature) {
        Operand<TFloat32> sim = tf.linalg.matMul(TensorMath.l2Normalize(tf, a), TensorMath.l2Normalize(tf, b),
                MatMul.transposeB(true));
        return tf.math.mul(sim, tf.constant((float) (1 / temperature)));
    }

    /** [2n, 2n] logits of concat(z1, z2) against itself with the diagonal pushed to −∞. */
    private static Operand<TFloat32> selfMaskedLogits(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, int n,
                                                      double temperature) {
        Operand<TFloat32> z = tf.concat(java.util.List.of(z1, z2), tf.constant(0));
        Operand<TFloat32> logits = cosineLogits(tf, z, z, temperature);
        return tf.math.sub(logits, tf.math.mul(TensorMath.eye(tf, 2 * n), tf.constant(SELF_MASK)));
    }

    /** Index of each row's positive in concat(z1, z2): i ↔ i + n. */
    private static int[] positives(int n) {
        int[] t = new int[2 * n];
        for (int i = 0; i < n; i++) {
            t[i] = i + n;
            t[i + n] = i;
        }
        return t;
    }
}
