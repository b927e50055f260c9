package org.sslbench.results;

/** The two statistics every results view uses, in one place so the leaderboard and comparisons agree. */
final class Stats {
    private Stats() {
    }

    /** Arithmetic mean; NaN for no values. */
    static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        if (!Double.isFinite(mean)) {
            return mean;
        }
        // One refinement pass removes the rounding error of the sum: equal values give exactly
        // that value (three seeds at 0.7 give 0.7, not 0.6999999999999998).
        double residual = 0;
        for (double v : values) {
            residual += v - mean;
        }
        return mean + residual / values.length;
    }

    /**
     * Sample (n−1) std; 0.0 for one value (read together with n), NaN for none. Corrected two-pass
     * algorithm (Chan, Golub &amp; LeVeque 1983): no E[x²] − E[x]² cancellation, and equal values
     * give exactly 0.
     */
    static double sampleStd(double[] values) {
        if (values.length < 2) {
            return values.length == 0 ? Double.NaN : 0.0;
        }
        double mean = mean(values);
        double squares = 0;
        double deviations = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
            deviations += v - mean;
        }
        double n = values.length;
        return Math.sqrt(Math.max(squares - deviations * deviations / n, 0) / (n - 1));
    }
}
