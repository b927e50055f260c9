package org.sslbench.train;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * RankMe, the effective rank of an embedding (Garrido, Balestriero, Najman & LeCun, "RankMe:
 * Assessing the downstream performance of pretrained self-supervised representations by their
 * rank", ICML 2023, eq. 1): with σ the singular values of the embedding matrix Z [n, dim],
 * p_k = σ_k / ‖σ‖₁ + ε and RankMe(Z) = exp(−Σ_k p_k log p_k), ε = 1e-7 as in the paper.
 *
 * <p>It lies in [1, min(n, dim)]: near 1 for a collapsed embedding (every image on one direction),
 * near min(n, dim) for one that spreads over every dimension. sslbench computes it on the last
 * pretext batch of each epoch (n = the batch size), so it is bounded by the batch size; the paper
 * uses 25,600 images, so values here are comparable between runs of one batch size, not with the
 * paper's. The SVD is Apache Commons Math's.
 */
public final class RankMe {
    /** The paper's ε, added to each p_k so that log 0 never occurs. */
    static final double EPSILON = 1e-7;

    private RankMe() {
    }

    /**
     * @param embedding [n, dim] row-major
     * @return the effective rank, or NaN when n &lt; 2; 1 for an all-zero embedding (fully collapsed)
     */
    public static double of(float[] embedding, int n, int dim) {
        if (n < 2) {
            return Double.NaN;
        }
        double[][] z = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                z[i][j] = embedding[i * dim + j];
            }
        }
        double[] sigma = new SingularValueDecomposition(new Array2DRowRealMatrix(z, false)).getSingularValues();
        double l1 = 0;
        for (double s : sigma) {
            l1 += s;
        }
        if (!(l1 > 0)) {
            return 1; // no direction at all: the lowest rank the measure gives
        }
        double entropy = 0;
        for (double s : sigma) {
            double p = s / l1 + EPSILON;
            entropy -= p * Math.log(p);
        }
        return Math.exp(entropy);
    }
}
