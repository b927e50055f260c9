package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
