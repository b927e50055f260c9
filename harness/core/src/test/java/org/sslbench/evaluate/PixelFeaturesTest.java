package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/** The {@code pixels} baseline's features ({@link EncoderFeatures#pixels}) and kNN on them, against hand computations. */
class PixelFeaturesTest {
    private static final float EPS = 1e-6f;

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /**
     * 1×2×2 images (h, w, c): 4 values each in HWC order. pixel_mean subtracts the per-value mean of
     * the labelled pool: [0+255+0, 255+255+0, 51+51+153, 102+0+204] / 3 / 255 = [1/3, 2/3, 1/3, 0.4].
     */
    @Test
    void featuresAreTheNormalisedPixelsFlattenedInHwcOrder() {
        ImageShape shape = new ImageShape(1, 2, 2);
        ImageSet train = new ArrayImageSet(shape, bytes(0, 255, 51, 102, 255, 255, 51, 0, 0, 0, 153, 204), new int[] {0, 1, 0});
        ImageSet test = new ArrayImageSet(shape, bytes(255, 0, 255, 102), new int[] {1});
        Normalizer normalizer = Normalizer.fit("pixel_mean", train);
        try (EncoderFeatures f = EncoderFeatures.pixels(new Batches(train, normalizer, 5), new Batches(test, normalizer, 5))) {
            assertEquals(4, f.dim());
            // image 2 then image 0, as asked: 0/255 − 1/3, 0 − 2/3, 0.6 − 1/3, 0.8 − 0.4 | −1/3, 1/3, 0.2 − 1/3, 0
            assertArrayEquals(new float[] {-1 / 3f, -2 / 3f, 0.6f - 1 / 3f, 0.4f, -1 / 3f, 1 / 3f, 0.2f - 1 / 3f, 0},
                    f.pool(new int[] {2, 0}), EPS);
            // the test split with the pool's statistics: 1 − 1/3, 0 − 2/3, 1 − 1/3, 0.4 − 0.4
            assertArrayEquals(new float[] {2 / 3f, -2 / 3f, 2 / 3f, 0}, f.test(), EPS);
        }
    }

    @Test
    void standardizedPixelsAreScaledPerChannel() {
        // one channel, values 0 and 1 (bytes 0, 255): mean 0.5, population std 0.5, so (x − 0.5) / 0.5 = ±1
        ImageShape shape = new ImageShape(1, 2, 1);
        ImageSet train = new ArrayImageSet(shape, bytes(0, 255, 255, 0), new int[] {0, 1});
        Normalizer normalizer = Normalizer.fit("standardize", train);
        try (EncoderFeatures f = EncoderFeatures.pixels(new Batches(train, normalizer, 0), new Batches(train, normalizer, 0))) {
            assertArrayEquals(new float[] {-1, 1, 1, -1}, f.pool(new int[] {0, 1}), EPS);
        }
    }

    /**
     * 1×1×2 images, no normalisation, so the features are byte / 255. Training rows (label):
     * t0 = (1, 0) (0), t1 = (0, 1) (1), t2 = (1, 1) (1). Test q0 = (1, 0.2), label 0: cosines
     * t0 0.98058, t2 0.83205, t1 0.19612. With k = 3 and T = 0.1 the votes are class 0: 1, class 1:
     * exp(−1.4853) + exp(−7.8446) = 0.2268, so 0 (right); with T = 1 class 1 gets
     * exp(−0.14853) + exp(−0.78446) = 1.3184 &gt; 1, so 1 (wrong). Test q1 = (0, 1), label 1: nearest
     * t1 (cosine 1), right either way. Accuracy 2/2 at T = 0.1, 1/2 at T = 1.
     */
    @Test
    void knnOnPixelsMatchesAHandComputation() {
        ImageShape shape = new ImageShape(1, 1, 2);
        ImageSet pool = new ArrayImageSet(shape, bytes(7, 7, 255, 0, 0, 255, 255, 255), new int[] {1, 0, 1, 1});
        ImageSet test = new ArrayImageSet(shape, bytes(255, 51, 0, 255), new int[] {0, 1});
        Normalizer none = Normalizer.fit("none", pool);
        int[] subset = {1, 2, 3}; // pool image 0 is not in the label subset
        Batches poolBatches = new Batches(pool, none, 0);
        Batches labelled = new Batches(pool.subset(subset), none, 0);
        Batches testBatches = new Batches(test, none, 0);
        try (EncoderFeatures f = EncoderFeatures.pixels(poolBatches, testBatches)) {
            assertEquals(1.0, knn(f, labelled, testBatches, subset, 0.1).testAccuracy(), 1e-12);
            assertEquals(0.5, knn(f, labelled, testBatches, subset, 1.0).testAccuracy(), 1e-12);
            // the features kNN saw: the subset's pixels / 255
            assertArrayEquals(new float[] {1, 0, 0, 1, 1, 1}, f.pool(subset), EPS);
        }
    }

    private static Outcome knn(EncoderFeatures f, Batches labelled, Batches test, int[] subset, double temperature) {
        ProtocolSpec spec = new ProtocolSpec("knn", null, 3, temperature, 0);
        return new Knn().evaluate(new EvalRequest(spec, null, null, labelled, test, subset, 2, 0, f, true));
    }
}
