package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * SwAV's codes (Caron, Misra, Mairal, Goyal, Bojanowski &amp; Joulin, "Unsupervised Learning of
 * Visual Features by Contrasting Cluster Assignments", NeurIPS 2020, §3.1 eq. 3 and Appendix A.1):
 * the soft assignment of B samples to K prototypes that maximises Tr(Qᵀ Cᵀ Z) + ε·H(Q) under the
 * equipartition constraint (every prototype gets B/K of the samples), approximated by
 * Sinkhorn-Knopp iterations as facebookresearch/swav main_swav.py@5e073db0 {@code distributed_sinkhorn}:
 * <pre>
 *   Q = exp(scores / ε)ᵀ                       [K, B]
 *   Q /= Σ Q
 *   repeat iterations: Q /= row sums, Q /= K  (each prototype gets 1/K)
 *                      Q /= column sums, Q /= B (each sample gets 1/B)
 *   Q *= B, return Qᵀ                          [B, K], each row sums to 1
 * </pre>
 * Computed here in [B, K] orientation and in the log domain: each division by a sum is a
 * subtraction of a log-sum-exp, the same arithmetic in exact maths, but float32 neither overflows
 * (swav's exp(scores/ε) does above scores/ε ≈ 88, e.g. unnormalised prototypes) nor underflows to
 * a row of zeros and 0/0 (a sample far from every prototype at small ε); the test compares it with
 * swav's form computed in double. Everything is under {@code stopGradient}: the codes are targets
 * (swav: {@code torch.no_grad}).
 *
 * <pre>{@code
 * Operand<TFloat32> scores = tf.linalg.matMul(z, prototypes);          // [batch, K], z L2-normalised
 * Operand<TFloat32> q = SinkhornKnopp.codes(tf, scores, 0.05, 3);       // [batch, K], no gradient
 * }</pre>
 */
public final class SinkhornKnopp {
    /** Log weight of a left-out row (finite, so no inf − inf arises). */
    private static final float MASKED = 1e30f;

    private SinkhornKnopp() {
    }

    /**
     * Codes of every row of {@code scores}.
     *
     * @param scores     [B, K] sample-prototype scores (swav: cosine of normalised projection and prototype)
     * @param epsilon    entropy weight ε &gt; 0 (swav and solo-learn: 0.05)
     * @param iterations Sinkhorn rounds ≥ 1 (swav and solo-learn: 3)
     * @return [B, K] assignments, each row a distribution over the K prototypes
     * @throws IllegalArgumentException when ε ≤ 0 or iterations &lt; 1
     */
    public static Operand<TFloat32> codes(Ops tf, Operand<TFloat32> scores, double epsilon, int iterations) {
        return codes(tf, scores, null, epsilon, iterations);
    }

    /**
     * Codes computed over only the rows whose {@code active} entry is 1 (0 = the row does not take
     * part: its code row is 0 and it counts neither in B nor in the prototypes' marginals). SwAV's
     * queue uses it: the rows of a queue that is not yet in use are left out without changing the
     * graph's shapes. With every row active it equals {@link #codes(Ops, Operand, double, int)}.
     *
     * @param active [B] of 0 and 1 (null = all rows)
     */
    public static Operand<TFloat32> codes(Ops tf, Operand<TFloat32> scores, Operand<TFloat32> active, double epsilon,
                                          int iterations) {
        if (!(epsilon > 0) || iterations < 1) {
            throw new IllegalArgumentException("Sinkhorn-Knopp needs epsilon > 0 and iterations >= 1, got " + epsilon
                    + " and " + iterations);
        }
        Operand<TFloat32> mask = active == null ? null : tf.expandDims(tf.stopGradient(active), tf.constant(1)); // [B, 1]
        Operand<TFloat32> samples = mask == null ? size(tf, scores, 0) : TensorMath.sum(tf, mask);
        Operand<TFloat32> logSamples = tf.math.log(samples);
        Operand<TFloat32> logK = tf.math.log(size(tf, scores, 1));
        // log Q = scores / ε; every normalisation below is a division, i.e. a log-sum-exp subtraction
        Operand<TFloat32> logQ = masked(tf, tf.math.div(tf.stopGradient(scores), tf.constant((float) epsilon)), mask);
        logQ = tf.math.sub(logQ, logSumExp(tf, logQ, new int[] {0, 1}));
        for (int it = 0; it < iterations; it++) {
            // each prototype (column here, row in swav's [K, B]) gets total weight 1/K
            logQ = tf.math.sub(tf.math.sub(logQ, logSumExp(tf, logQ, new int[] {0})), logK);
            // each sample gets total weight 1/B; left-out rows are pinned back to "weight 0"
            logQ = masked(tf, tf.math.sub(tf.math.sub(logQ, logSumExp(tf, logQ, new int[] {1})), logSamples), mask);
        }
        Operand<TFloat32> q = tf.math.exp(tf.math.add(logQ, logSamples));
        return tf.stopGradient(mask == null ? q : tf.math.mul(q, mask));
    }

    /** Size of {@code axis} as a float: a constant when static, else read from the tensor (a fed batch). */
    private static Operand<TFloat32> size(Ops tf, Operand<TFloat32> x, int axis) {
        long d = x.shape().numDimensions() > axis ? x.shape().get(axis) : -1;
        if (d >= 0) {
            return tf.constant((float) d);
        }
        return tf.dtypes.cast(tf.gather(tf.shape(x), tf.constant(axis), tf.constant(0)), TFloat32.class);
    }

    /** Left-out rows set to a log weight of −1e30 (finite: exp gives exactly 0, no inf − inf). */
    private static Operand<TFloat32> masked(Ops tf, Operand<TFloat32> logQ, Operand<TFloat32> mask) {
        if (mask == null) {
            return logQ;
        }
        return tf.math.sub(tf.math.mul(logQ, mask), tf.math.mul(tf.math.sub(tf.constant(1f), mask), tf.constant(MASKED)));
    }

    /** log Σ exp(x) over {@code axes}, kept as size-1 axes, shifted by the max so exp cannot overflow. */
    private static Operand<TFloat32> logSumExp(Ops tf, Operand<TFloat32> x, int[] axes) {
        Operand<TFloat32> max = tf.max(x, tf.constant(axes), Max.keepDims(true));
        Operand<TFloat32> sum = tf.reduceSum(tf.math.exp(tf.math.sub(x, max)), tf.constant(axes), ReduceSum.keepDims(true));
        return tf.math.add(max, tf.math.log(sum));
    }
}
