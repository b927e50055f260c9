package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/**
 * {@link Outcome#evalSeconds()}: each protocol reports the part of its wall time spent scoring
 * (test split, held-out part, test features), a positive part of {@link Outcome#seconds()}.
 */
class EvalSecondsTest {
    private static void part(Outcome o, String what) {
        assertTrue(o.evalSeconds() > 0 && o.evalSeconds() <= o.seconds(), what + ": " + o.evalSeconds() + " of " + o.seconds());
    }

    @Test
    void fineTuneCountsEveryTestScoringAndTheHeldOutScoring() {
        ArrayImageSet labelled = BandImages.images(6, 1);
        ArrayImageSet test = BandImages.images(10, 2);
        Normalizer none = Normalizer.fit("none", labelled);
        TrainSpec train = new TrainSpec(2, 8, new OptimizerSpec("adam", 3e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of());
        for (String selection : List.of(ProtocolSpec.FIXED, ProtocolSpec.LABELLED)) {
            ProtocolSpec p = new ProtocolSpec("finetune", train, 0, 0, 1, Optional.of(selection), Optional.empty(),
                    Optional.empty());
            Outcome o = new FineTune().evaluate(new EvalRequest(p, new SmallCnn(), null, new Batches(labelled, none, 7),
                    new Batches(test, none, 7), new int[0], BandImages.CLASSES, 7, null, true));
            part(o, "finetune " + selection);
        }
    }

    @Test
    void linearAndKnnCountTheTestFeaturesOnceAndTheirScoring() {
        ArrayImageSet pool = BandImages.images(10, 3);
        ArrayImageSet testImages = BandImages.images(7, 4);
        Normalizer normalizer = Normalizer.fit("standardize", pool);
        int[] subset = java.util.stream.IntStream.range(0, pool.size()).toArray();
        Batches labelled = new Batches(pool, normalizer, 0);
        Batches test = new Batches(testImages, normalizer, 0);
        SmallCnn backbone = new SmallCnn();
        try (EncoderFeatures features = new EncoderFeatures(backbone, null, 0, labelled, test)) {
            var request = (java.util.function.Function<ProtocolSpec, EvalRequest>) spec -> new EvalRequest(spec, backbone,
                    null, labelled, test, subset, BandImages.CLASSES, 0, features, true);
            Outcome linear = new LinearProbe().evaluate(request.apply(new ProtocolSpec("linear", null, 0, 0.0, 0,
                    Optional.of(ProtocolSpec.LABELLED), Optional.empty(), Optional.of(List.of(0.01, 1.0)))));
            part(linear, "linear (computes the test features)");
            Outcome knn = new Knn().evaluate(request.apply(new ProtocolSpec("knn", null, 3, 0.07, 0)));
            part(knn, "knn (test features reused)");
            TrainSpec sgd = new TrainSpec(2, 8, new OptimizerSpec("adam", 1e-2, 0.9, 0, false),
                    new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of());
            Outcome fixed = new LinearProbe().evaluate(request.apply(new ProtocolSpec("linear", sgd, 0, 0.0, 1,
                    Optional.of(ProtocolSpec.FIXED), Optional.empty(), Optional.empty())));
            part(fixed, "linear fixed (SGD head, test scored after each epoch)");
            assertEquals(2, fixed.epochs());
        }
    }
}
