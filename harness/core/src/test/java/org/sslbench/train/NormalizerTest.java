package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;

class NormalizerTest {
    private static final ImageShape SHAPE = new ImageShape(4, 4, 3);

    /** Random red, green fixed at 200 in every pixel (a constant channel), blue random. */
    private static ArrayImageSet images(int count, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] px = new byte[count * SHAPE.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 3 == 1 ? 200 : r.nextInt(256));
        }
        return new ArrayImageSet(SHAPE, px, null);
    }

    /**
     * A channel that never varies (std 0) is centred and left unscaled: a later deviation (an
     * augmented view) stays the same size. The ε floor scaled it by 1e6.
     */
    @Test
    void constantChannelIsCentredNotBlownUp() {
        Normalizer norm = Normalizer.fit("standardize", images(20, 1));
        float[] pixel = new float[SHAPE.size()];
        java.util.Arrays.fill(pixel, 200f / 255 + 0.1f);
        norm.apply(pixel, 0);
        assertEquals(0.1, pixel[1], 1e-6, "green deviation 0.1 stays 0.1");
        float[] exact = new float[SHAPE.size()];
        java.util.Arrays.fill(exact, 200f / 255);
        norm.apply(exact, 0);
        assertEquals(0.0, exact[1], 1e-7);
    }

    /** Mean and (population) std of the varying channels equal a double-precision two-pass reference. */
    @Test
    void varyingChannelsMatchATwoPassReference() {
        ArrayImageSet set = images(30, 2);
        Normalizer norm = Normalizer.fit("standardize", set);
        int c = SHAPE.channels();
        for (int ch : new int[] {0, 2}) {
            double sum = 0;
            int values = 0;
            float[] img = new float[SHAPE.size()];
            for (int i = 0; i < set.size(); i++) {
                set.readImage(i, img, 0);
                for (int j = ch; j < img.length; j += c) {
                    sum += img[j];
                    values++;
                }
            }
            double mean = sum / values;
            double sq = 0;
            for (int i = 0; i < set.size(); i++) {
                set.readImage(i, img, 0);
                for (int j = ch; j < img.length; j += c) {
                    sq += (img[j] - mean) * (img[j] - mean);
                }
            }
            double std = Math.sqrt(sq / values);
            float[] probe = new float[SHAPE.size()];
            java.util.Arrays.fill(probe, (float) (mean + std));
            norm.apply(probe, 0);
            assertEquals(1.0, probe[ch], 1e-5, "channel " + ch + ": mean + 1 std maps to 1");
            java.util.Arrays.fill(probe, (float) mean);
            norm.apply(probe, 0);
            assertEquals(0.0, probe[ch], 1e-5, "channel " + ch + ": the mean maps to 0");
        }
    }

    @Test
    void emptyReferenceIsRefusedWhenStatisticsAreNeeded() {
        ArrayImageSet empty = new ArrayImageSet(SHAPE, new byte[0], null);
        assertThrows(IllegalArgumentException.class, () -> Normalizer.fit("standardize", empty));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.fit("pixel_mean", empty));
        Normalizer.fit("none", empty); // needs no statistics
    }
}
