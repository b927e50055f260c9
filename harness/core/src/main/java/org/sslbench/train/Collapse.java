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
        double[] inv = new double[n];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += (double) embedding[i * dim + j] * embedding[i * dim + j];
            }
            inv[i] = 1 / Math.max(Math.sqrt(norm), 1e-12); // a zero row stays zero
        }
        // Two passes (mean, then squared deviations), not E[v²] − E[v]²: the one-pass form cancels
        // catastrophically exactly where the monitor matters, a collapsed embedding whose
        // per-dimension variance is ~0 next to a mean of order 1 (it read ~1e-9 instead of 0).
        double total = 0;
        for (int j = 0; j < dim; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += embedding[i * dim + j] * inv[i];
            }
            double mean = sum / n;
            double sq = 0;
            double dev = 0;
            for (int i = 0; i < n; i++) {
                double d = embedding[i * dim + j] * inv[i] - mean;
                sq += d * d;
                dev += d;
            }
            // corrected two-pass (Chan, Golub & LeVeque 1983): removes the rounding error of the mean
            total += Math.sqrt(Math.max(sq - dev * dev / n, 0) / n);
        }
        return total / dim;
    }
}
