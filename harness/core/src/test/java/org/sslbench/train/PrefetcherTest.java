package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.testing.FormatWriters;

class PrefetcherTest {
    @Test
    void deliversExactlyWhatDirectFillingWouldInStepOrder() {
        Dataset ds = FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 3, 1, 5);
        Batches batches = new Batches(ds.unlabeled(), Normalizer.fit("pixel_mean", ds.train()), 11);
        Augmenter[] augmenters = {new Augmenter(Map.of("crop", 0.3, "hflip", true)), new Augmenter(Map.of("shift", 0.2))};
        int batch = 8;
        int stepsPerEpoch = ds.unlabeled().size() / batch;
        int epochs = 3;
        try (Prefetcher prefetch = new Prefetcher(batches, augmenters, 2, batch, stepsPerEpoch, epochs)) {
            long step = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] order = batches.order(epoch);
                for (int s = 0; s < stepsPerEpoch; s++, step++) {
                    float[][] expected = new float[2][batch * ds.shape().size()];
                    SplittableRandom rng = batches.random(epoch, step);
                    batches.fillViews(order, s * batch, batch, expected, augmenters, rng);
                    Prefetcher.Ready ready = prefetch.next();
                    assertEquals(epoch, ready.epoch());
                    assertEquals(s, ready.stepInEpoch());
                    assertEquals(step, ready.step());
                    assertArrayEquals(expected[0], ready.views()[0], "view 0, step " + step);
                    assertArrayEquals(expected[1], ready.views()[1], "view 1, step " + step);
                    // the RNG is handed over where the augmentations left it, for the method's own draws
                    assertEquals(rng.nextLong(), ready.random().nextLong());
                }
            }
            assertThrows(IllegalStateException.class, prefetch::next);
        }
    }

    /** A pool whose every read sleeps: the trainer must report the time it spent blocked on it. */
    @Test
    void reportsTheTimeTheTrainerWasBlocked() {
        Dataset ds = FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 3, 1, 5);
        ImageSet fast = ds.unlabeled();
        long sleepMillis = 3;
        ImageSet slow = new ImageSet() {
            @Override public int size() { return fast.size(); }
            @Override public ImageShape shape() { return fast.shape(); }
            @Override public int label(int index) { return -1; }
            @Override public boolean labelled() { return false; }

            @Override
            public void readImage(int index, float[] dst, int offset) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                fast.readImage(index, dst, offset);
            }
        };
        int batch = 8;
        Batches batches = new Batches(slow, Normalizer.fit("none", fast), 1);
        try (Prefetcher prefetch = new Prefetcher(batches, new Augmenter[] {null}, 1, batch, 2, 1)) {
            // Asked for at once, the first batch is still being read: at least half its sleeps are waited out.
            long waited = prefetch.next().waitNanos();
            assertTrue(waited >= batch * sleepMillis * 1_000_000L / 2, "waited only " + waited + " ns");
        }
    }
}
