package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The collapse threshold: a share of min(images, dims), applied to RankMe of real-shaped embeddings. */
class CollapseRuleTest {
    @Test
    void theThresholdIsAShareOfTheSmallerOfImagesAndDimensions() {
        assertEquals(6.4, CollapseRule.threshold(1000, 128), 1e-12, "small-cnn, default monitor");
        assertEquals(3.2, CollapseRule.threshold(1000, 64), 1e-12, "resnet20");
        assertEquals(2.5, CollapseRule.threshold(50, 512), 1e-12, "fewer images than dimensions: the images bound RankMe");
        assertTrue(CollapseRule.lowRank(6.39, 1000, 128));
        assertFalse(CollapseRule.lowRank(6.4, 1000, 128), "at the threshold is not below it");
        assertFalse(CollapseRule.lowRank(Double.NaN, 1000, 128), "not measured is no verdict");
    }

    /** A low rank is collapse only when the encoder also classifies no better than an untrained one. */
    @Test
    void aLowRankEncoderThatBeatsTheUntrainedOneIsNotCollapsed() {
        assertTrue(CollapseRule.collapsed(5.5, 1000, 128, 0.40, 0.60), "low rank and worse than random");
        assertTrue(CollapseRule.collapsed(5.5, 1000, 128, 0.60, 0.60), "no better than random");
        assertFalse(CollapseRule.collapsed(5.5, 1000, 128, 0.61, 0.60), "low rank but better than random");
        assertFalse(CollapseRule.collapsed(7.0, 1000, 128, 0.10, 0.60), "full rank: never collapsed");
        assertFalse(CollapseRule.collapsed(5.5, 1000, 128, 0.61, Double.NaN), "no reference: no verdict");
    }

    /** Every image on one line (RankMe 1) is collapsed; isotropic features (RankMe near dim) are not. */
    @Test
    void aRankOneEmbeddingIsCollapsedAndAnIsotropicOneIsNot() {
        int n = 300;
        int dim = 64;
        Random rnd = new Random(3);
        float[] line = new float[n * dim];
        float[] iso = new float[n * dim];
        float[] dir = new float[dim];
        for (int j = 0; j < dim; j++) {
            dir[j] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            float scale = (float) rnd.nextGaussian();
            for (int j = 0; j < dim; j++) {
                line[i * dim + j] = scale * dir[j];
                iso[i * dim + j] = (float) rnd.nextGaussian();
            }
        }
        double collapsed = RankMe.of(line, n, dim);
        double healthy = RankMe.of(iso, n, dim);
        assertTrue(CollapseRule.lowRank(collapsed, n, dim), "RankMe " + collapsed);
        assertFalse(CollapseRule.lowRank(healthy, n, dim), "RankMe " + healthy);
        assertTrue(healthy > 0.8 * dim, "isotropic Gaussian rows spread over almost every dimension: " + healthy);
    }

    /** What a collapsed cell says in status_detail and report.md. */
    @Test
    void theDetailNamesRankThresholdAndShape() {
        String d = CollapseRule.detail(5.5, 1000, 128, 0.542, 0.61);
        assertTrue(d.contains("RankMe 5.5 < 6.4 = 0.05 x min(1000 images, 128 dims)"), d);
        assertTrue(d.contains("monitor kNN 54.2% <= the untrained encoder's 61.0%"), d);
    }
}
