package org.sslbench.evaluate;

/**
 * Weighted k-nearest-neighbour classification on frozen features (Wu et al. 2018, "Unsupervised
 * feature learning via non-parametric instance discrimination", §3.4; as in solo-learn and
 * Lightly's kNN monitors).
 *
 * <p><b>Vote.</b> With s_i the cosine similarity of the test row to training row i and N_k its k
 * most similar training rows, class c gets the vote v_c = Σ_{i ∈ N_k, y_i = c} exp(s_i / T) and
 * the prediction is argmax_c v_c.
 *
 * <p><b>Stable form.</b> exp(s / T) overflows to +Infinity once s / T &gt; 709.78 (any s &gt; 0.71
 * at T = 0.001), after which every class holding such a neighbour ties at +Infinity. The vote is
 * therefore computed as v_c · exp(−m / T) = Σ exp((s_i − m) / T) with m the row's largest
 * similarity (a per-row log-sum-exp shift): the positive common factor leaves the argmax
 * unchanged, every weight lies in (0, 1] and the nearest neighbour's weight is exactly 1, so the
 * votes are finite for every T &gt; 0. As T → 0 the other weights underflow to 0 and the vote
 * becomes the 1-NN vote; as T → ∞ it becomes the unweighted majority of the k neighbours.
 *
 * <p><b>Ties.</b> Neighbours of equal similarity are ranked by lower training index. Classes with
 * exactly equal votes go to the one holding the higher-ranked (more similar) neighbour, which is
 * the 1-NN rule again; never to the lowest class index.
 *
 * <p><b>Degenerate features.</b> Rows are L2-normalised; a row whose norm is 0 (an all-zero
 * embedding: collapsed encoder, dead ReLUs) stays the zero vector, so its cosine with every row is
 * defined as 0. A zero <em>test</em> row has no direction and every neighbour ties with it, so it
 * is not classified and counts as an error (rather than being given the class of whichever
 * training rows come first). Non-finite features (NaN or ±Infinity, a diverged encoder) are
 * refused with an {@link IllegalStateException}: the cell fails with that message instead of
 * reporting a number.
 *
 * <p><b>k.</b> A list of candidates ({@code k: [5, 10, 20, 50]}, with {@code selection: labelled})
 * is chosen among by leave-one-out accuracy on the labelled subset ({@link KnnSelection}) before
 * the test split is read; one k is used as given.
 */
public final class Knn implements Protocol {
    /** Prediction of a test row that cannot be classified (zero embedding); never a class index. */
    static final int NO_PREDICTION = -1;

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public String description() {
        return "frozen encoder, cosine k-NN with exp(sim/T)-weighted votes (k, temperature; a k list by leave-one-out)";
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        long mark = EvalClock.mark();
        return evaluateUnclocked(r).withEvalSeconds(EvalClock.secondsSince(mark));
    }

    /** {@link #evaluate} before its scoring time is attached ({@link Outcome#evalSeconds()}). */
    private Outcome evaluateUnclocked(EvalRequest r) {
        long start = System.nanoTime();
        int dim = r.features().dim();
        float[] train = normalizeRows(requireFinite(r.features().pool(r.labelIndices()), "labelled"), dim);
        int[] trainLabels = r.labelled().images().labels();
        // k is chosen on the labelled rows alone, before the test split is read
        KnnSelection.Choice choice = KnnSelection.choose(train, trainLabels, dim, r.classes(),
                r.spec().kChoices().orElse(java.util.List.of(r.spec().k())), r.spec().temperature());
        float[] raw = r.features().test(); // counted as scoring where they are computed (EncoderFeatures)
        long scoring = System.nanoTime();
        int predictedRight;
        int[] testLabels = r.test().images().labels();
        try {
            float[] test = normalizeRows(requireFinite(raw.clone(), "test"), dim);
            predictedRight = classify(train, trainLabels, test, testLabels, dim, r.classes(), choice.k(), r.spec().temperature());
        } finally {
            EvalClock.addSince(scoring);
        }
        double accuracy = (double) predictedRight / testLabels.length;
        // No epochs, so no best epoch: max_test_accuracy is not measured (empty), never the final value.
        return new Outcome(accuracy, Double.NaN, Double.NaN, 0, (System.nanoTime() - start) / 1e9, Double.NaN,
                choice.selection(), choice.selected(), java.util.List.of());
    }

    /**
     * The protocol's weighted-kNN accuracy of {@code queries} against {@code bank} (copies are
     * normalised, the inputs are left as they are): the pretext monitor's entry point.
     *
     * @param bank    [bankLabels.length, dim] row-major features
     * @param queries [queryLabels.length, dim] row-major features
     * @return fraction of queries classified right, in [0, 1]
     * @throws IllegalStateException for non-finite features
     */
    public static double accuracy(float[] bank, int[] bankLabels, float[] queries, int[] queryLabels, int dim,
                                  int classes, int k, double temperature) {
        float[] b = normalizeRows(requireFinite(bank.clone(), "monitor bank"), dim);
        float[] q = normalizeRows(requireFinite(queries.clone(), "monitor query"), dim);
        return (double) classify(b, bankLabels, q, queryLabels, dim, classes, k, temperature) / queryLabels.length;
    }

    static float[] requireFinite(float[] features, String split) {
        int bad = 0;
        for (float v : features) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        if (bad > 0) {
            throw new IllegalStateException("knn: " + bad + " of the " + split + " split's " + features.length
                    + " feature values are NaN or infinite (the encoder diverged); no accuracy is computed");
        }
        return features;
    }

    /** Number of test rows whose weighted vote equals their label. Rows must be L2-normalised (or zero). */
    static int classify(float[] train, int[] trainLabels, float[] test, int[] testLabels, int dim, int classes,
                        int k, double temperature) {
        int[] predicted = predict(train, trainLabels, test, testLabels.length, dim, classes, k, temperature);
        int right = 0;
        for (int t = 0; t < testLabels.length; t++) {
            if (predicted[t] == testLabels[t]) {
                right++;
            }
        }
        return right;
    }

    /**
     * The predicted class of each test row, or {@link #NO_PREDICTION} for a zero row.
     *
     * @param train       [trainLabels.length, dim] row-major, rows L2-normalised or zero
     * @param test        [nTest, dim] row-major, rows L2-normalised or zero
     * @param temperature T &gt; 0 (finite, or +Infinity for an unweighted vote)
     * @throws IllegalArgumentException for T ≤ 0 or NaN, or k &lt; 1
     */
    static int[] predict(float[] train, int[] trainLabels, float[] test, int nTest, int dim, int classes,
                         int k, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("knn temperature must be > 0, got " + temperature);
        }
        if (k < 1) {
            throw new IllegalArgumentException("knn k must be >= 1, got " + k);
        }
        int nTrain = trainLabels.length;
        int kk = Math.min(k, nTrain);
        double[] sims = new double[nTrain];
        int[] top = new int[kk];
        double[] votes = new double[classes];
        int[] predicted = new int[nTest];
        for (int t = 0; t < nTest; t++) {
            if (isZero(test, t, dim)) {
                predicted[t] = NO_PREDICTION;
                continue;
            }
            for (int i = 0; i < nTrain; i++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += test[t * dim + d] * train[i * dim + d];
                }
                sims[i] = dot;
            }
            topK(sims, top);
            predicted[t] = kk == 0 ? NO_PREDICTION : vote(sims, top, trainLabels, temperature, votes);
        }
        return predicted;
    }

    /**
     * The weighted vote of one test row's neighbours (see the class comment for the formula and the
     * tie rule).
     *
     * @param top   neighbour indices into {@code sims}, most similar first (as {@link #topK} gives)
     * @param votes per-class output, overwritten: Σ exp((s_i − s_max) / T), each in [0, k]
     * @return the winning class
     */
    static int vote(double[] sims, int[] top, int[] labels, double temperature, double[] votes) {
        java.util.Arrays.fill(votes, 0);
        double max = sims[top[0]];
        for (int i : top) {
            // (s_i − max) ≤ 0, so each weight is in [0, 1]: no overflow for any T > 0
            votes[labels[i]] += Math.exp((sims[i] - max) / temperature);
        }
        // Visit classes in neighbour rank order with a strict '>': of tied classes the one holding
        // the more similar neighbour wins.
        int best = labels[top[0]];
        for (int i : top) {
            if (votes[labels[i]] > votes[best]) {
                best = labels[i];
            }
        }
        return best;
    }

    /** True when row {@code r} of {@code rows} [n, dim] is all zeros (no direction: not classified). */
    static boolean isZero(float[] rows, int r, int dim) {
        for (int d = 0; d < dim; d++) {
            if (rows[r * dim + d] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Indices of the top.length largest values (ties: lower index first), by partial selection. */
    static void topK(double[] values, int[] top) {
        int k = top.length;
        int filled = 0;
        for (int i = 0; i < values.length; i++) {
            if (filled < k) {
                int j = filled++;
                while (j > 0 && values[top[j - 1]] < values[i]) {
                    top[j] = top[j - 1];
                    j--;
                }
                top[j] = i;
            } else if (values[i] > values[top[k - 1]]) {
                int j = k - 1;
                while (j > 0 && values[top[j - 1]] < values[i]) {
                    top[j] = top[j - 1];
                    j--;
                }
                top[j] = i;
            }
        }
    }

    /**
     * L2-normalises each row in place. A zero row stays zero (its cosine with anything is then 0);
     * any other row, however small, becomes a unit vector: cosine similarity is scale-free, so an
     * ε-clamped norm (which shrinks rows below ε toward 0) is not used.
     */
    static float[] normalizeRows(float[] rows, int dim) {
        for (int r = 0; r < rows.length / dim; r++) {
            // scale by the largest |x| first so the sum of squares neither overflows nor underflows
            double big = 0;
            for (int d = 0; d < dim; d++) {
                big = Math.max(big, Math.abs(rows[r * dim + d]));
            }
            if (big == 0) {
                continue;
            }
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                double x = rows[r * dim + d] / big;
                norm += x * x;
            }
            double inv = 1 / (big * Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                rows[r * dim + d] = (float) (rows[r * dim + d] * inv);
            }
        }
        return rows;
    }
}
