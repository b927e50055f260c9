package org.sslbench.evaluate;

/**
 * Weighted k-nearest-neighbour classification on frozen features (Wu et al. 2018, as in
 * solo-learn and Lightly's kNN monitors): cosine similarity, the k most similar labelled
 * examples vote with weight exp(sim / T).
 */
public final class Knn implements Protocol {
    @Override
    public String name() {
        return "knn";
    }

    @Override
    public String description() {
        return "frozen encoder, cosine k-NN with exp(sim/T)-weighted votes (k, temperature)";
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        long start = System.nanoTime();
        int dim = r.features().dim();
        float[] train = normalizeRows(r.features().pool(r.labelIndices()), dim);
        float[] test = normalizeRows(r.features().test().clone(), dim);
        int[] trainLabels = r.labelled().images().labels();
        int[] testLabels = r.test().images().labels();
        int predictedRight = classify(train, trainLabels, test, testLabels, dim, r.classes(), r.spec().k(), r.spec().temperature());
        double accuracy = (double) predictedRight / testLabels.length;
        return new Outcome(accuracy, accuracy, Double.NaN, 0, (System.nanoTime() - start) / 1e9, Double.NaN);
    }

    /** Number of test rows whose weighted vote equals their label. Rows must be L2-normalised. */
    static int classify(float[] train, int[] trainLabels, float[] test, int[] testLabels, int dim, int classes,
                        int k, double temperature) {
        int nTrain = trainLabels.length;
        int kk = Math.min(k, nTrain);
        int right = 0;
        double[] sims = new double[nTrain];
        int[] top = new int[kk];
        double[] votes = new double[classes];
        for (int t = 0; t < testLabels.length; t++) {
            for (int i = 0; i < nTrain; i++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += test[t * dim + d] * train[i * dim + d];
                }
                sims[i] = dot;
            }
            topK(sims, top);
            java.util.Arrays.fill(votes, 0);
            for (int i : top) {
                votes[trainLabels[i]] += Math.exp(sims[i] / temperature);
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            if (best == testLabels[t]) {
                right++;
            }
        }
        return right;
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

    static float[] normalizeRows(float[] rows, int dim) {
        for (int r = 0; r < rows.length / dim; r++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += (double) rows[r * dim + d] * rows[r * dim + d];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < dim; d++) {
                rows[r * dim + d] *= inv;
            }
        }
        return rows;
    }
}
