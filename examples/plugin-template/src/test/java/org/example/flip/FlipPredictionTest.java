package org.example.flip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.method.Params;

/** The Java side of the method; `make test` in sslbench also runs the jar through a real benchmark. */
class FlipPredictionTest {
    @Test
    void mirrorSwapsColumnsOfOnlyTheGivenImageKeepingChannelsTogether() {
        ImageShape s = new ImageShape(1, 3, 2); // one row of three pixels, two channels
        float[] batch = {1, 2, 3, 4, 5, 6, /* image 1 */ 7, 8, 9, 10, 11, 12};
        FlipPrediction.mirror(batch, 1, s);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 11, 12, 9, 10, 7, 8}, batch);
    }

    @Test
    void defaultsMatchTheDocumentation() {
        FlipPrediction m = new FlipPrediction();
        assertEquals(1, m.views(Params.of(m, Map.of())));
        assertEquals(false, m.augmentations().get(0).get("hflip"), "random flips would make the task unanswerable");
    }
}
