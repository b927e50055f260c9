package org.sslbench.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The VICReg loss (Bardes, Ponce &amp; LeCun, "VICReg: Variance-Invariance-Covariance Regularization
 * for Self-Supervised Learning", ICLR 2022, eqs. 1–6), for two [n, d] embeddings Z, Z':
 * <pre>
 *   s(Z, Z') = mean over batch and dims of (z − z')²              (invariance)
 *   v(Z)     = (1/d) Σ_j max(0, γ − √(Var(z^j) + ε))              (variance, unbiased Var)
 *   c(Z)     = (1/d) Σ_{i≠j} C(Z)_ij²,  C(Z) = Σ_b (z_b − z̄)(z_b − z̄)ᵀ / (n − 1)   (covariance)
 *   ℓ        = λ·s(Z, Z') + μ·[v(Z) + v(Z')] + ν·[c(Z) + c(Z')]
 * </pre>
 * Eq. 5 writes s as a sum over dims; the official code (F.mse_loss), for which λ = 25 was tuned,
 * averages over dims too, as here. v follows eq. 6 (the sum of both branches; the official code
 * halves it, i.e. μ/2). Shapes must be static.
 *
 * <pre>{@code
 * VicregLoss.Terms t = VicregLoss.build(tf, z1, z2, 25, 25, 1);
 * minimise(t.total());  log(t.invariance(), t.variance(), t.covariance());
 * }</pre>
 */
public final class VicregLoss {
    public static final double DEFAULT_GAMMA = 1.0;
    public static final double DEFAULT_EPSILON = 1e-4;

    private VicregLoss() {
    }

    /**
     * The unweighted terms and the weighted total.
     *
     * @param invariance s(Z, Z')
     * @param variance   v(Z) + v(Z')
     * @param covariance c(Z) + c(Z')
     */
    public record Terms(Operand<TFloat32> invariance, Operand<TFloat32> variance, Operand<TFloat32> covariance,
                        Operand<TFloat32> total) {
    }

    /** The loss with γ = 1 and ε = 1e-4 (the paper's). */
    public static Terms build(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, double lambda, double mu, double nu) {
        return build(tf, z1, z2, lambda, mu, nu, DEFAULT_GAMMA, DEFAULT_EPSILON);
    }

    public static Terms build(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, double lambda, double mu, double nu,
                              double gamma, double eps) {
        Operand<TFloat32> invariance = TensorMath.mean(tf, tf.math.square(tf.math.sub(z1, z2)));
        Operand<TFloat32> variance = tf.math.add(variance(tf, z1, gamma, eps), variance(tf, z2, gamma, eps));
        Operand<TFloat32> covariance = tf.math.add(covariance(tf, z1), covariance(tf, z2));
        Operand<TFloat32> total = tf.math.add(tf.math.mul(tf.constant((float) lambda), invariance),
                tf.math.add(tf.math.mul(tf.constant((float) mu), variance), tf.math.mul(tf.constant((float) nu), covariance)));
        return new Terms(invariance, variance, covariance, total);
    }

    /** v(Z): hinge on the per-dimension std, averaged over dims. */
    private static Operand<TFloat32> variance(Ops tf, Operand<TFloat32> z, double gamma, double eps) {
        int n = TensorMath.dim(z, 0);
        Operand<TFloat32> x = BarlowTwinsLoss.centred(tf, z);
        Operand<TFloat32> var = tf.math.div(tf.reduceSum(tf.math.square(x), tf.constant(0)), tf.constant((float) (n - 1)));
        Operand<TFloat32> std = tf.math.sqrt(tf.math.add(var, tf.constant((float) eps)));
        return TensorMath.mean(tf, tf.nn.relu(tf.math.sub(tf.constant((float) gamma), std)));
    }

    /** c(Z): squared off-diagonal covariances, divided by d. */
    private static Operand<TFloat32> covariance(Ops tf, Operand<TFloat32> z) {
        int n = TensorMath.dim(z, 0);
        int d = TensorMath.dim(z, 1);
        Operand<TFloat32> x = BarlowTwinsLoss.centred(tf, z);
        Operand<TFloat32> cov = tf.math.div(tf.linalg.matMul(x, x, MatMul.transposeA(true)), tf.constant((float) (n - 1)));
        return tf.math.div(BarlowTwinsLoss.offDiagonalSquares(tf, cov, d), tf.constant((float) d));
    }
}
