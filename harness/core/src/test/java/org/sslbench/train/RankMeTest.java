package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** RankMe (Garrido et al., ICML 2023, eq. 1) against values computed by hand. */
class RankMeTest {
    /** n orthogonal rows of equal norm: σ all equal, p_k = 1/n, entropy log n, RankMe n (up to ε). */
    @Test
    void equalSingularValuesGiveTheirCount() {
        int n = 4;
        int dim = 6;
        float[] z = new float[n * dim];
        for (int i = 0; i < n; i++) {
            z[i * dim + i] = 3f;
        }
        assertEquals(4.0, RankMe.of(z, n, dim), 1e-5);
    }

    /** Every row a multiple of one vector: one singular value, RankMe 1 (the ε terms add ~1e-6). */
    @Test
    void aCollapsedEmbeddingHasRankOne() {
        int n = 8;
        int dim = 5;
        float[] z = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                z[i * dim + j] = (i + 1) * (j - 2f);
            }
        }
        assertEquals(1.0, RankMe.of(z, n, dim), 1e-4);
        assertEquals(1.0, RankMe.of(new float[n * dim], n, dim), 0.0, "all zero: fully collapsed");
    }

    /** σ = (2, 1): p = (2/3, 1/3), RankMe = exp(−Σ p log p) = 1.8899 (worked by hand). */
    @Test
    void unequalSingularValuesGiveTheEntropyOfTheirShares() {
        float[] z = {2, 0, 0, 1};
        double p1 = 2.0 / 3 + RankMe.EPSILON;
        double p2 = 1.0 / 3 + RankMe.EPSILON;
        assertEquals(Math.exp(-(p1 * Math.log(p1) + p2 * Math.log(p2))), RankMe.of(z, 2, 2), 1e-9);
        assertEquals(1.8899, RankMe.of(z, 2, 2), 1e-4);
    }

    /** Scale does not matter, and a random embedding is near full rank but never above min(n, dim). */
    @Test
    void scaleInvariantAndBoundedByTheSmallerSide() {
        Random rnd = new Random(7);
        int n = 32;
        int dim = 16;
        float[] z = new float[n * dim];
        float[] big = new float[n * dim];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
            big[i] = 1000 * z[i];
        }
        double r = RankMe.of(z, n, dim);
        assertEquals(r, RankMe.of(big, n, dim), 1e-6);
        assertTrue(r > 12 && r <= 16, "random 32x16: " + r);
        assertTrue(Double.isNaN(RankMe.of(new float[dim], 1, dim)), "one row says nothing about rank");
    }
}
