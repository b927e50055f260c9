package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/**
 * The selecting linear probe and kNN wired through {@link EvalRequest} on a real (random small-cnn)
 * encoder's features: what they record, and that the protocol gives the same numbers as the
 * pure-feature code path it delegates to.
 */
class SelectingProtocolsTest {
    private static final ImageShape SHAPE = new ImageShape(28, 28, 1);
    private static final Optional<String> LABELLED = Optional.of(ProtocolSpec.LABELLED);

    private static ArrayImageSet images(int n, long seed) {
        byte[] px = new byte[n * SHAPE.size()];
        new SplittableRandom(seed).nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ArrayImageSet(SHAPE, px, labels);
    }

    @Test
    void selectionsAreRecordedAndMatchThePureFeaturePath() {
        ArrayImageSet pool = images(30, 1);
        ArrayImageSet testImages = images(21, 2);
        Normalizer normalizer = Normalizer.fit("standardize", pool);
        int[] subset = java.util.stream.IntStream.range(0, 30).toArray();
        Batches poolBatches = new Batches(pool, normalizer, 0);
        Batches labelled = new Batches(pool.subset(subset), normalizer, 0);
        Batches test = new Batches(testImages, normalizer, 0);
        SmallCnn backbone = new SmallCnn();
        try (EncoderFeatures features = new EncoderFeatures(backbone, null, 0, poolBatches, test)) {
            java.util.function.Function<ProtocolSpec, EvalRequest> request = spec -> new EvalRequest(spec, backbone, null,
                    labelled, test, subset, 3, 0, features, true);

            ProtocolSpec linear = new ProtocolSpec("linear", null, 0, 0.0, 0, LABELLED, Optional.empty(),
                    Optional.of(List.of(0.01, 1.0)));
            Outcome o = new LinearProbe().evaluate(request.apply(linear));
            assertEquals("5-fold", o.selection(), "10 labels per class: 5 folds");
            assertTrue(o.selected().matches("l2=(0\\.01|1);cv_accuracy=[01]\\.\\d{4}"), o.selected());
            assertEquals(0, o.epochs());
            assertTrue(o.testAccuracy() >= 0 && o.testAccuracy() <= 1 && o.testLoss() > 0, o.toString());
            Outcome direct = LinearProbe.logistic(features.pool(subset), pool.labels(), features::test, testImages.labels(),
                    features.dim(), 3, List.of(0.01, 1.0), 0);
            assertEquals(direct.testAccuracy(), o.testAccuracy());
            assertEquals(direct.testLoss(), o.testLoss());
            assertEquals(direct.selected(), o.selected());
            Outcome again = new LinearProbe().evaluate(request.apply(linear));
            assertEquals(o.testLoss(), again.testLoss(), "bit-identical on a rerun");

            ProtocolSpec knnList = new ProtocolSpec("knn", null, 1, 0.07, 0, LABELLED, Optional.of(List.of(1, 5)), Optional.empty());
            Outcome k = new Knn().evaluate(request.apply(knnList));
            assertEquals("leave-one-out", k.selection());
            int chosen = Integer.parseInt(k.selected().replaceAll("^k=(\\d+);loo_accuracy=.*$", "$1"));
            assertTrue(chosen == 1 || chosen == 5, k.selected());
            Outcome single = new Knn().evaluate(request.apply(new ProtocolSpec("knn", null, chosen, 0.07, 0)));
            assertEquals(single.testAccuracy(), k.testAccuracy(), "the chosen k scores the test split as one k would");
            assertEquals("fixed", single.selection());
            assertEquals("", single.selected());
        }
    }
}
