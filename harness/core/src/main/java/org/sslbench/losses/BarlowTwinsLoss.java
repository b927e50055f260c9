package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The Barlow Twins loss (Zbontar, Jing, Misra, LeCun &amp; Deny, "Barlow Twins: Self-Supervised
 * Learning via Redundancy Reduction", ICML 2021, eqs. 1–2):
 * <pre>
 *   C_ij = Σ_b ẑ¹_bi ẑ²_bj / N      (ẑ = each dimension standardised over the batch)
 *   L    = Σ_i (1 − C_ii)²  +  λ Σ_i Σ_{j≠i} C_ij²
 * </pre>
 * The first sum (invariance) pulls the two views' dimensions to correlation 1, the second
 * (redundancy reduction) decorrelates different dimensions.
 *
 * <p>Standardisation is the official code's {@code BatchNorm1d(affine=False)} in training mode:
 * (z − mean) / √(biased variance + ε) with ε = 1e-5, so C is eq. 2's cosine of centred columns up
 * to ε. Shapes must be static ([batch, dim]); the diagonal goes through {@link TensorMath}'s mask
 * because MatrixDiagPart has no gradient in TF Java.
 *
 * <pre>{@code
 * BarlowTwinsLoss.Terms t = BarlowTwinsLoss.build(tf, z1, z2, BarlowTwinsLoss.DEFAULT_LAMBDA);
 * minimise(t.total());  log(t.invariance(), t.redundancy());
 * }</pre>
 */
public final class BarlowTwinsLoss {
    /** λ of the paper (tuned for 8192 dims). */
    public static final double DEFAULT_LAMBDA = 5e-3;
    /** ε of the official code's BatchNorm1d. */
    public static final double BN_EPSILON = 1e-5;

    private BarlowTwinsLoss() {
    }

    /**
     * @param invariance Σ_i (1 − C_ii)²
     * @param redundancy Σ_{i≠j} C_ij² (unweighted)
     * @param total      invariance + λ·redundancy
     */
    public record Terms(Operand<TFloat32> invariance, Operand<TFloat32> redundancy, Operand<TFloat32> total) {
    }

    /** The loss of two [batch, dim] embeddings of the same images, ε = {@link #BN_EPSILON}. */
    public static Terms build(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, double lambda) {
        return build(tf, z1, z2, lambda, BN_EPSILON);
    }

    public static Terms build(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, double lambda, double eps) {
        int n = TensorMath.dim(z1, 0);
        int d = TensorMath.dim(z1, 1);
        Operand<TFloat32> c = tf.math.div(
                tf.linalg.matMul(standardise(tf, z1, eps), standardise(tf, z2, eps), MatMul.transposeA(true)),
                tf.constant((float) n));
        Operand<TFloat32> invariance = TensorMath.sum(tf,
                tf.math.square(tf.math.sub(tf.constant(1f), TensorMath.diagonal(tf, c, d))));
        Operand<TFloat32> redundancy = offDiagonalSquares(tf, c, d);
        return new Terms(invariance, redundancy,
                tf.math.add(invariance, tf.math.mul(tf.constant((float) lambda), redundancy)));
    }

    /** Each column of z minus its batch mean. */
    static Operand<TFloat32> centred(Ops tf, Operand<TFloat32> z) {
        return tf.math.sub(z, tf.math.mean(z, tf.constant(0), Mean.keepDims(true)));
    }

    /** Σ_{i≠j} m_ij² of a d×d matrix (Barlow's redundancy term, VICReg's covariance term). */
    static Operand<TFloat32> offDiagonalSquares(Ops tf, Operand<TFloat32> m, int d) {
        return TensorMath.sum(tf, tf.math.square(TensorMath.offDiagonal(tf, m, d)));
    }

    /** (z − mean) / √(biased var + ε) per column, as BatchNorm1d(affine=False) on the batch. */
    private static Operand<TFloat32> standardise(Ops tf, Operand<TFloat32> z, double eps) {
        Operand<TFloat32> x = centred(tf, z);
        Operand<TFloat32> var = tf.math.mean(tf.math.square(x), tf.constant(0), Mean.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.add(var, tf.constant((float) eps))));
    }
}
