package org.sslbench.results;

/** The two statistics every results view uses, in one place so the leaderboard and comparisons agree. */
final class Stats {
    private Stats() {
    }

    /** NaN for no values. */
    static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample (n−1) std; 0.0 for one value (read together with n), NaN for none. */
    static double sampleStd(double[] values) {
        if (values.length < 2) {
            return values.length == 0 ? Double.NaN : 0.0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }
}
