package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KnnTest {
    @Test
    void topKReturnsTheLargestInOrder() {
        int[] top = new int[3];
        Knn.topK(new double[] {0.1, 0.9, -0.3, 0.5, 0.7}, top);
        assertArrayEquals(new int[] {1, 4, 3}, top);
    }

    @Test
    void weightedVoteAgreesWithABruteForceReference() {
        java.util.Random r = new java.util.Random(4);
        int dim = 5;
        int nTrain = 60;
        int nTest = 40;
        int classes = 3;
        float[] train = new float[nTrain * dim];
        float[] test = new float[nTest * dim];
        int[] trainLabels = new int[nTrain];
        int[] testLabels = new int[nTest];
        for (int i = 0; i < nTrain; i++) {
            trainLabels[i] = i % classes;
            for (int d = 0; d < dim; d++) {
                train[i * dim + d] = (float) r.nextGaussian() + (d == trainLabels[i] ? 2 : 0);
            }
        }
        for (int i = 0; i < nTest; i++) {
            testLabels[i] = r.nextInt(classes);
            for (int d = 0; d < dim; d++) {
                test[i * dim + d] = (float) r.nextGaussian() + (d == testLabels[i] ? 2 : 0);
            }
        }
        Knn.normalizeRows(train, dim);
        Knn.normalizeRows(test, dim);
        int k = 7;
        double temperature = 0.1;
        int expected = 0;
        for (int t = 0; t < nTest; t++) {
            // reference: sort all training rows by similarity, vote among the first k
            Integer[] idx = new Integer[nTrain];
            double[] sim = new double[nTrain];
            for (int i = 0; i < nTrain; i++) {
                idx[i] = i;
                for (int d = 0; d < dim; d++) {
                    sim[i] += test[t * dim + d] * train[i * dim + d];
                }
            }
            java.util.Arrays.sort(idx, (a, b) -> Double.compare(sim[b], sim[a]));
            double[] votes = new double[classes];
            for (int j = 0; j < k; j++) {
                votes[trainLabels[idx[j]]] += Math.exp(sim[idx[j]] / temperature);
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                best = votes[c] > votes[best] ? c : best;
            }
            expected += best == testLabels[t] ? 1 : 0;
        }
        assertEquals(expected, Knn.classify(train, trainLabels, test, testLabels, dim, classes, k, temperature));
        org.junit.jupiter.api.Assertions.assertTrue(expected > nTest / 2, "separable toy data should be mostly right");
    }

    /**
     * The kNN before the stable vote (kept verbatim as the reference for ordinary inputs):
     * ε-clamped float normalisation, exp(sim / T) votes, ties to the lowest class index.
     */
    private static int[] naivePredict(float[] trainRaw, int[] trainLabels, float[] testRaw, int nTest, int dim, int classes,
                                      int k, double temperature) {
        float[] train = naiveNormalize(trainRaw.clone(), dim);
        float[] test = naiveNormalize(testRaw.clone(), dim);
        int nTrain = trainLabels.length;
        double[] sims = new double[nTrain];
        int[] top = new int[Math.min(k, nTrain)];
        double[] votes = new double[classes];
        int[] out = new int[nTest];
        for (int t = 0; t < nTest; t++) {
            for (int i = 0; i < nTrain; i++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += test[t * dim + d] * train[i * dim + d];
                }
                sims[i] = dot;
            }
            Knn.topK(sims, top);
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
            out[t] = best;
        }
        return out;
    }

    private static float[] naiveNormalize(float[] rows, int dim) {
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

    private static int[] stablePredict(float[] trainRaw, int[] trainLabels, float[] testRaw, int nTest, int dim, int classes,
                                       int k, double temperature) {
        return Knn.predict(Knn.normalizeRows(trainRaw.clone(), dim), trainLabels, Knn.normalizeRows(testRaw.clone(), dim),
                nTest, dim, classes, k, temperature);
    }

    /** Gaussian clusters: class c's mean is 1.5 on dimension c. */
    private static float[] clustered(java.util.Random r, int[] labels, int dim) {
        float[] x = new float[labels.length * dim];
        for (int i = 0; i < labels.length; i++) {
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = (float) r.nextGaussian() + (d == labels[i] ? 1.5f : 0);
            }
        }
        return x;
    }

    private static int[] labels(java.util.Random r, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    /**
     * Issue 10 case 4: the nearest neighbour (sim 0.99) is class 1, the next two (sim 0.8) class 0.
     * At T = 0.001 both classes' naive votes are +Infinity and the tie went to class 0; the stable
     * vote is the 1-NN vote, as the T → 0 limit must be, and T = 0.002 already agreed.
     */
    @Test
    void tinyTemperatureGivesTheOneNearestNeighbourVoteWhereTheNaiveVoteOverflowed() {
        int dim = 2;
        float[] train = {
            0.99f, (float) Math.sqrt(1 - 0.99 * 0.99),   // class 1, cos 0.99 with the test row
            0.8f, 0.6f,                                  // class 0, cos 0.8
            0.8f, -0.6f,                                 // class 0, cos 0.8
            -1f, 0f};                                    // class 2, cos -1
        int[] trainLabels = {1, 0, 0, 2};
        float[] test = {1f, 0f};
        assertEquals(0, naivePredict(train, trainLabels, test, 1, dim, 3, 3, 0.001)[0], "the naive vote overflowed and tied");
        assertEquals(1, naivePredict(train, trainLabels, test, 1, dim, 3, 3, 0.002)[0]);
        for (double t : new double[] {0.002, 0.001, 1e-6, 1e-300, Double.MIN_VALUE}) {
            assertEquals(1, stablePredict(train, trainLabels, test, 1, dim, 3, 3, t)[0], "T = " + t);
        }
        // with a large T the two class-0 neighbours outvote the nearest one, as the formula says
        assertEquals(0, stablePredict(train, trainLabels, test, 1, dim, 3, 3, 1.0)[0]);
    }

    @Test
    void smallTemperaturesAgreeWithOneNearestNeighbourOnRandomData() {
        java.util.Random r = new java.util.Random(11);
        int dim = 8;
        int classes = 5;
        int[] trainLabels = labels(r, 300, classes);
        int[] testLabels = labels(r, 200, classes);
        float[] train = clustered(r, trainLabels, dim);
        float[] test = clustered(r, testLabels, dim);
        int[] oneNn = stablePredict(train, trainLabels, test, testLabels.length, dim, classes, 1, 1.0);
        assertArrayEquals(oneNn, stablePredict(train, trainLabels, test, testLabels.length, dim, classes, 20, 1e-6));
        assertArrayEquals(oneNn, stablePredict(train, trainLabels, test, testLabels.length, dim, classes, 20, 1e-9));
        // the naive vote at 1e-6 is not 1-NN: neighbours tie at +Infinity and the lowest class index wins
        int[] naive = naivePredict(train, trainLabels, test, testLabels.length, dim, classes, 20, 1e-6);
        int differ = 0;
        for (int t = 0; t < naive.length; t++) {
            differ += naive[t] != oneNn[t] ? 1 : 0;
        }
        assertTrue(differ > naive.length / 4, differ + " of " + naive.length);
    }

    /** T = 0.07 (solo-learn's default): every prediction equals the implementation before the stable vote. */
    @Test
    void ordinaryTemperatureGivesExactlyThePreviousPredictions() {
        for (long seed = 1; seed <= 3; seed++) {
            java.util.Random r = new java.util.Random(seed);
            int dim = 16;
            int classes = 10;
            int[] trainLabels = labels(r, 500, classes);
            int[] testLabels = labels(r, 200, classes);
            float[] train = clustered(r, trainLabels, dim);
            float[] test = clustered(r, testLabels, dim);
            for (double t : new double[] {0.07, 0.5}) {
                assertArrayEquals(naivePredict(train, trainLabels, test, testLabels.length, dim, classes, 20, t),
                        stablePredict(train, trainLabels, test, testLabels.length, dim, classes, 20, t), "seed " + seed + " T " + t);
            }
        }
    }

    @Test
    void votesAreFiniteAndBoundedForEveryTemperature() {
        java.util.Random r = new java.util.Random(5);
        int n = 50;
        int k = 20;
        double[] sims = new double[n];
        int[] labels = labels(r, n, 4);
        for (int i = 0; i < n; i++) {
            sims[i] = r.nextDouble() * 2 - 1;
        }
        int[] top = new int[k];
        Knn.topK(sims, top);
        double[] votes = new double[4];
        for (double t : new double[] {Double.MIN_VALUE, 1e-300, 1e-6, 1e-3, 0.07, 1, 1e6, Double.POSITIVE_INFINITY}) {
            int best = Knn.vote(sims, top, labels, t, votes);
            double total = 0;
            for (double v : votes) {
                assertTrue(Double.isFinite(v) && v >= 0 && v <= k, "T " + t + ": vote " + v);
                total += v;
            }
            assertTrue(votes[best] >= 1, "the nearest neighbour's weight is exactly 1, T " + t);
            assertTrue(total >= 1 && total <= k, "T " + t);
        }
    }

    @Test
    void temperatureOutsideItsDomainIsRefused() {
        float[] x = {1f, 0f};
        int[] y = {0};
        for (double t : new double[] {0, -0.07, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Knn.predict(x, y, x, 1, 2, 1, 1, t), "T " + t);
        }
    }

    /** Tied classes go to the class holding the more similar neighbour, not to the lowest class index. */
    @Test
    void tiedVotesGoToTheClassOfTheHigherRankedNeighbour() {
        double[] sims = {0.9, 0.8, 0.7, 0.6};
        int[] labels = {1, 0, 0, 1};
        int[] top = new int[4];
        Knn.topK(sims, top);
        // T = ∞: unweighted, 2 votes each; class 1 holds the nearest neighbour
        assertEquals(1, Knn.vote(sims, top, labels, Double.POSITIVE_INFINITY, new double[2]));
        // equal similarities rank by training index: row 0 (class 2) before row 1 (class 0)
        double[] equal = {0.5, 0.5};
        int[] top2 = new int[2];
        Knn.topK(equal, top2);
        assertEquals(2, Knn.vote(equal, top2, new int[] {2, 0}, 0.07, new double[3]));
    }

    /**
     * A zero embedding (collapsed encoder, dead ReLUs) has cosine 0 with every row and no NaN; a zero
     * test row is not classified (counts wrong) instead of taking the class of the first training rows.
     */
    @Test
    void zeroEmbeddingsGiveZeroSimilarityAndNoPrediction() {
        int dim = 3;
        float[] train = Knn.normalizeRows(new float[] {0, 0, 0, 2, 0, 0, 0, 3, 0}, dim);
        for (float v : train) {
            assertTrue(Float.isFinite(v));
        }
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, train);
        int[] trainLabels = {0, 1, 2};
        float[] test = Knn.normalizeRows(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 5}, dim);
        int[] predicted = Knn.predict(train, trainLabels, test, 3, dim, 3, 3, 0.07);
        assertEquals(Knn.NO_PREDICTION, predicted[0], "zero test row");
        // (1,1,0): cos 0.707 with rows 1 and 2 (tie: lower index), 0 with the zero row
        assertEquals(1, predicted[1]);
        // (0,0,1): orthogonal to rows 1 and 2 and cosine 0 with the zero row too: all tie at 0, rank order decides
        assertEquals(0, predicted[2]);
        assertEquals(2, Knn.classify(train, trainLabels, test, new int[] {0, 1, 0}, dim, 3, 3, 0.07),
                "rows 1 and 2 are right; the zero row 0 (label 0) counts wrong, not as a vote for class 0");
        // a fully collapsed (all-zero) encoder classifies nothing instead of voting for class 0
        float[] zeros = new float[4 * dim];
        assertEquals(0, Knn.classify(zeros.clone(), new int[] {0, 0, 1, 1}, zeros.clone(), new int[] {0, 0, 0, 0}, dim, 2, 2, 0.07));
    }

    /** Cosine similarity is scale-free: a tiny but non-zero row is normalised to unit length, not clamped toward 0. */
    @Test
    void tinyAndHugeRowsNormaliseToUnitLength() {
        int dim = 4;
        float[] rows = {1e-30f, 1e-30f, 1e-30f, 1e-30f, Float.MIN_VALUE, 0, 0, 0, 3e38f, 3e38f, 0, 0};
        Knn.normalizeRows(rows, dim);
        for (int r = 0; r < 3; r++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += (double) rows[r * dim + d] * rows[r * dim + d];
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-6, "row " + r);
        }
    }

    @Test
    void nonFiniteFeaturesAreRefused() {
        assertThrows(IllegalStateException.class, () -> Knn.requireFinite(new float[] {1, Float.NaN}, "test"));
        assertThrows(IllegalStateException.class, () -> Knn.requireFinite(new float[] {Float.NEGATIVE_INFINITY}, "test"));
        assertEquals(2, Knn.requireFinite(new float[] {1, 0}, "test").length);
    }
}
