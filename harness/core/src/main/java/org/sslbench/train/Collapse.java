package org.sslbench.train;

/** The collapse monitor of SimSiam (Chen & He 2021, §4.1): std of the L2-normalised embedding. */
public final class Collapse {
    private Collapse() {
    }

    /**
     * @param embedding [n, dim] row-major
     * @return per-dimension std over the n rows of the L2-normalised rows, averaged over dims
     *         (≈ 1/√dim for a healthy embedding, 0 for a collapsed one)
     */
    public static double normalizedStd(float[] embedding, int n, int dim) {
        if (n < 2) {
            return Double.NaN;
        }
        double[] mean = new double[dim];
        double[] sq = new double[dim];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += (double) embedding[i * dim + j] * embedding[i * dim + j];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int j = 0; j < dim; j++) {
                double v = embedding[i * dim + j] / norm;
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        double total = 0;
        for (int j = 0; j < dim; j++) {
            double m = mean[j] / n;
            total += Math.sqrt(Math.max(sq[j] / n - m * m, 0));
        }
        return total / dim;
    }
}
