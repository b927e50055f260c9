package org.sslbench.evaluate;

import java.util.Arrays;

/**
 * L2-regularised multinomial logistic regression on fixed feature rows, fitted by L-BFGS: the
 * linear probe of the transfer-learning literature (Kornblith, Shlens &amp; Le, "Do Better ImageNet
 * Models Transfer Better?", CVPR 2019, §3: L-BFGS on frozen features, L2 strength chosen on
 * validation data; {@link L2Selection} chooses it here).
 *
 * <p><b>Model.</b> For a standardised feature row x ∈ ℝ^d (see {@link Standardizer}) the class
 * scores are z = W x + b with W ∈ ℝ^{C×d}, b ∈ ℝ^C, and p = softmax(z). The prediction is
 * argmax_c z_c (ties: the lower class index).
 *
 * <p><b>Objective</b> over n labelled rows (x_i, y_i):
 * f(W, b) = (1/n) Σ_i [log Σ_c exp(z_ic) − z_{i,y_i}] + (λ/2) ‖W‖²_F — mean cross-entropy plus an
 * L2 penalty on the weights only (the bias is not penalised, as in scikit-learn's
 * LogisticRegression). Gradient: ∂f/∂W = (1/n) Σ_i (p_i − e_{y_i}) x_iᵀ + λW,
 * ∂f/∂b = (1/n) Σ_i (p_i − e_{y_i}). For λ &gt; 0 the objective is strictly convex in W, so the
 * optimum's W is unique and does not depend on the starting point.
 *
 * <p><b>Optimiser.</b> L-BFGS (Nocedal &amp; Wright, Numerical Optimization, 2nd ed., Alg. 7.4/7.5)
 * with {@value #MEMORY} correction pairs, initial scaling γ = sᵀy / yᵀy, and a backtracking Armijo
 * line search (c₁ = 10⁻⁴); a pair with sᵀy ≤ 0 is not stored. It stops when ‖∇f‖_∞ ≤
 * {@value #GRADIENT_TOLERANCE}, when an iteration lowers f by less than
 * {@value #RELATIVE_DECREASE}·max(1, |f|), or after {@value #MAX_ITERATIONS} iterations (nearly
 * separable data with a tiny λ). Everything runs single-threaded in a fixed order, in double
 * precision, so a fit is bit-identical across runs.
 *
 * <p><b>Parameter layout.</b> θ has C·(d+1) entries: W row-major (θ[c·d + j] = W_cj) then b
 * (θ[C·d + c] = b_c).
 */
public final class LogisticRegression {
    /** L-BFGS correction pairs kept. */
    static final int MEMORY = 10;
    /** Stop when every gradient entry is at most this (features are standardised, so this is scale-free). */
    static final double GRADIENT_TOLERANCE = 1e-6;
    /** Stop when an iteration lowers the objective by less than this fraction of max(1, |f|). */
    static final double RELATIVE_DECREASE = 1e-12;
    static final int MAX_ITERATIONS = 1000;

    private final int dim;
    private final int classes;
    private final Standardizer standardizer;
    private final double[] theta;
    private final double lambda;
    private final int iterations;

    private LogisticRegression(int dim, int classes, Standardizer standardizer, double[] theta, double lambda,
                               int iterations) {
        this.dim = dim;
        this.classes = classes;
        this.standardizer = standardizer;
        this.theta = theta;
        this.lambda = lambda;
        this.iterations = iterations;
    }

    /**
     * Fits on raw feature rows: standardises them with their own mean and standard deviation, then
     * minimises the objective from θ = 0.
     *
     * @param rows    [labels.length, dim] row-major raw features
     * @param labels  class index in [0, classes) per row
     * @param lambda  L2 strength λ &gt; 0 (finite)
     * @throws IllegalArgumentException for λ ≤ 0, a label outside [0, classes), no rows, or a
     *                                  length mismatch
     * @throws IllegalStateException    for NaN or infinite features (a diverged encoder)
     */
    public static LogisticRegression fit(float[] rows, int[] labels, int dim, int classes, double lambda) {
        Standardizer s = Standardizer.of(requireFinite(rows, "labelled"), labels.length, dim);
        double[] x = s.apply(rows, labels.length);
        double[] theta = new double[classes * (dim + 1)];
        int iterations = minimize(new Objective(x, labels, dim, classes, lambda), theta);
        return new LogisticRegression(dim, classes, s, theta, lambda, iterations);
    }

    /** λ of the fit. */
    public double lambda() {
        return lambda;
    }

    /** θ (layout in the class comment), a copy; in standardised-feature units. */
    double[] parameters() {
        return theta.clone();
    }

    /** L-BFGS iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    /**
     * Accuracy (fraction in [0, 1]) and mean cross-entropy (nats) on raw feature rows,
     * standardised with the training rows' statistics.
     *
     * @param rows [labels.length, dim] row-major
     * @throws IllegalStateException for NaN or infinite features
     */
    public double[] score(float[] rows, int[] labels) {
        double[] x = standardizer.apply(requireFinite(rows, "test"), labels.length);
        return score(x, labels, theta, dim, classes);
    }

    /** {accuracy, mean cross-entropy} of θ on standardised rows {@code x}. */
    static double[] score(double[] x, int[] labels, double[] theta, int dim, int classes) {
        int n = labels.length;
        double[] z = new double[classes];
        int correct = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double lse = logits(x, i, theta, dim, classes, z);
            loss += lse - z[labels[i]];
            if (argmax(z) == labels[i]) {
                correct++;
            }
        }
        return new double[] {(double) correct / n, loss / n};
    }

    /** Number of rows of standardised {@code x} whose argmax class is their label. */
    static int correct(double[] x, int[] labels, double[] theta, int dim, int classes) {
        double[] z = new double[classes];
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            logits(x, i, theta, dim, classes, z);
            if (argmax(z) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** Fills z with row i's class scores and returns log Σ_c exp(z_c) (max-shifted, so finite). */
    private static double logits(double[] x, int i, double[] theta, int dim, int classes, double[] z) {
        int bias = classes * dim;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            z[c] = theta[bias + c] + dot(x, i * dim, theta, c * dim, dim);
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(z[c] - max);
        }
        return max + Math.log(sum);
    }

    private static int argmax(double[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Σ_j a[ai + j]·b[bi + j], four partial sums (instruction-level parallelism; fixed order, so deterministic). */
    private static double dot(double[] a, int ai, double[] b, int bi, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[ai + j] * b[bi + j];
            s1 += a[ai + j + 1] * b[bi + j + 1];
            s2 += a[ai + j + 2] * b[bi + j + 2];
            s3 += a[ai + j + 3] * b[bi + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[ai + j] * b[bi + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float[] requireFinite(float[] rows, String split) {
        for (float v : rows) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("linear: the " + split + " split's features contain " + v
                        + " (the encoder diverged); no accuracy is computed");
            }
        }
        return rows;
    }

    /**
     * The probe's objective (class comment) on standardised rows, with its gradient.
     *
     * @param x [labels.length, dim] row-major, standardised
     */
    static final class Objective {
        private final double[] x;
        private final int[] labels;
        private final int dim;
        private final int classes;
        private final double lambda;
        private final double[] z;

        Objective(double[] x, int[] labels, int dim, int classes, double lambda) {
            if (!(lambda > 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("L2 strength must be finite and > 0, got " + lambda);
            }
            if (labels.length == 0 || x.length != labels.length * dim) {
                throw new IllegalArgumentException(labels.length + " labels for " + x.length + " feature values of width " + dim);
            }
            for (int y : labels) {
                if (y < 0 || y >= classes) {
                    throw new IllegalArgumentException("label " + y + " is outside [0, " + classes + ")");
                }
            }
            this.x = x;
            this.labels = labels;
            this.dim = dim;
            this.classes = classes;
            this.lambda = lambda;
            this.z = new double[classes];
        }

        int size() {
            return classes * (dim + 1);
        }

        /** f(θ); writes ∇f(θ) into {@code grad}. */
        double value(double[] theta, double[] grad) {
            Arrays.fill(grad, 0);
            int n = labels.length;
            int bias = classes * dim;
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double lse = logits(x, i, theta, dim, classes, z);
                int y = labels[i];
                loss += lse - z[y];
                for (int c = 0; c < classes; c++) {
                    double r = (Math.exp(z[c] - lse) - (c == y ? 1 : 0)) / n;
                    int w = c * dim;
                    int xi = i * dim;
                    for (int j = 0; j < dim; j++) {
                        grad[w + j] += r * x[xi + j];
                    }
                    grad[bias + c] += r;
                }
            }
            double penalty = 0;
            for (int j = 0; j < bias; j++) {
                penalty += theta[j] * theta[j];
                grad[j] += lambda * theta[j];
            }
            return loss / n + 0.5 * lambda * penalty;
        }
    }

    /**
     * Minimises {@code f} by L-BFGS from {@code theta} (overwritten with the minimiser: callers
     * warm-start by passing a previous solution).
     *
     * @return iterations taken
     */
    static int minimize(Objective f, double[] theta) {
        return minimize(f, theta, GRADIENT_TOLERANCE);
    }

    /** As {@link #minimize(Objective, double[])}, stopping at ‖∇f‖_∞ ≤ {@code gradientTolerance}. */
    static int minimize(Objective f, double[] theta, double gradientTolerance) {
        int n = theta.length;
        double[][] s = new double[MEMORY][n];
        double[][] y = new double[MEMORY][n];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] g = new double[n];
        double[] gNew = new double[n];
        double[] p = new double[n];
        double[] trial = new double[n];
        double fx = f.value(theta, g);
        int iter = 0;
        while (iter < MAX_ITERATIONS && maxAbs(g) > gradientTolerance) {
            iter++;
            // two-loop recursion: p = −H g
            System.arraycopy(g, 0, p, 0, n);
            for (int m = 0; m < stored; m++) {
                int k = Math.floorMod(newest - m, MEMORY);
                alpha[k] = rho[k] * dotAll(s[k], p);
                axpy(-alpha[k], y[k], p);
            }
            if (stored > 0) {
                scale(p, 1 / (rho[newest] * dotAll(y[newest], y[newest])));
            } else {
                // first step (or after a reset): steepest descent of length ≤ 1 in the max norm
                scale(p, 1 / Math.max(1, maxAbs(g)));
            }
            for (int m = stored - 1; m >= 0; m--) {
                int k = Math.floorMod(newest - m, MEMORY);
                double beta = rho[k] * dotAll(y[k], p);
                axpy(alpha[k] - beta, s[k], p);
            }
            scale(p, -1);
            double slope = dotAll(g, p);
            if (!(slope < 0)) {
                // not a descent direction (round-off): restart from steepest descent
                stored = 0;
                System.arraycopy(g, 0, p, 0, n);
                scale(p, -1 / Math.max(1, maxAbs(g)));
                slope = dotAll(g, p);
            }
            double step = 1;
            double fTrial = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 60; tries++) {
                for (int j = 0; j < n; j++) {
                    trial[j] = theta[j] + step * p[j];
                }
                fTrial = f.value(trial, gNew);
                if (fTrial <= fx + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                if (stored == 0) {
                    break; // no decrease even along −g: at the optimum to working precision
                }
                stored = 0; // drop the curvature memory and retry along −g
                continue;
            }
            newest = (newest + 1) % MEMORY;
            double sy = 0;
            for (int j = 0; j < n; j++) {
                s[newest][j] = trial[j] - theta[j];
                y[newest][j] = gNew[j] - g[j];
                sy += s[newest][j] * y[newest][j];
            }
            if (sy > 0) {
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, MEMORY);
            } else {
                newest = Math.floorMod(newest - 1, MEMORY);
            }
            double decrease = fx - fTrial;
            System.arraycopy(trial, 0, theta, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fTrial;
            if (decrease <= RELATIVE_DECREASE * Math.max(1, Math.abs(fx))) {
                break;
            }
        }
        return iter;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }

    private static double dotAll(double[] a, double[] b) {
        return dot(a, 0, b, 0, a.length);
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * x[j];
        }
    }

    private static void scale(double[] v, double a) {
        for (int j = 0; j < v.length; j++) {
            v[j] *= a;
        }
    }

    /**
     * Per-feature standardisation x'_j = (x_j − μ_j) / σ_j with μ, σ the mean and population
     * standard deviation of the TRAINING rows only (the rows the model is fitted on; in
     * cross-validation, the training folds), applied unchanged to held-out and test rows, so no
     * statistic of an evaluated row leaks into the fit. A constant feature (σ = 0) gets σ = 1, so it
     * becomes 0 everywhere in the training rows and carries no weight. Standardising makes one λ grid
     * and one gradient tolerance fit every encoder's feature scale.
     */
    static final class Standardizer {
        private final double[] mean;
        private final double[] invStd;
        private final int dim;

        private Standardizer(double[] mean, double[] invStd) {
            this.mean = mean;
            this.invStd = invStd;
            this.dim = mean.length;
        }

        static Standardizer of(float[] rows, int n, int dim) {
            return of(rows, null, n, dim);
        }

        /** Statistics of rows {@code which} (null = the first n rows). */
        static Standardizer of(float[] rows, int[] which, int n, int dim) {
            double[] mean = new double[dim];
            double[] sq = new double[dim];
            for (int r = 0; r < n; r++) {
                int off = (which == null ? r : which[r]) * dim;
                for (int j = 0; j < dim; j++) {
                    mean[j] += rows[off + j];
                }
            }
            for (int j = 0; j < dim; j++) {
                mean[j] /= n;
            }
            for (int r = 0; r < n; r++) {
                int off = (which == null ? r : which[r]) * dim;
                for (int j = 0; j < dim; j++) {
                    double d = rows[off + j] - mean[j];
                    sq[j] += d * d;
                }
            }
            double[] inv = new double[dim];
            for (int j = 0; j < dim; j++) {
                double sd = Math.sqrt(sq[j] / n);
                inv[j] = sd > 0 ? 1 / sd : 1;
            }
            return new Standardizer(mean, inv);
        }

        double[] apply(float[] rows, int n) {
            return apply(rows, null, n);
        }

        /** Standardised copy of rows {@code which} (null = the first n rows), row-major [n, dim]. */
        double[] apply(float[] rows, int[] which, int n) {
            double[] out = new double[n * dim];
            for (int r = 0; r < n; r++) {
                int off = (which == null ? r : which[r]) * dim;
                for (int j = 0; j < dim; j++) {
                    out[r * dim + j] = (rows[off + j] - mean[j]) * invStd[j];
                }
            }
            return out;
        }
    }
}
