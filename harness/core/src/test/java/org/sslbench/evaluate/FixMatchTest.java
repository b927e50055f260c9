package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Params;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/** FixMatch on tiny 8×8 images with small-cnn: a few steps, the pieces of the protocol pinned. */
class FixMatchTest {
    private static final ImageShape SHAPE = BandImages.SHAPE;
    private static final int CLASSES = BandImages.CLASSES;

    private static ArrayImageSet images(int perClass, long seed) {
        return BandImages.images(perClass, seed);
    }

    private static TrainSpec train(int epochs, OptimizerSpec optimizer, ScheduleSpec schedule) {
        return new TrainSpec(epochs, 6, optimizer, schedule, FixMatch.WEAK_AUGMENT);
    }

    private static final OptimizerSpec ADAM = new OptimizerSpec("adam", 3e-3, 0.9, 0, false);
    private static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", 0, List.of(), List.of());

    private static FixMatch.Result run(FixMatch.Settings s, TrainSpec t, boolean select) {
        ArrayImageSet labelled = images(6, 1);
        Normalizer none = Normalizer.fit("none", labelled);
        return FixMatch.run(s, t, select, 0, new SmallCnn(), null, new Batches(labelled, none, 7),
                new Batches(images(12, 3), none, 7), new Batches(images(10, 2), none, 7), CLASSES, 7, true);
    }

    @Test
    void theSupervisedLossFallsAndTheMaskRateIsReported() {
        FixMatch.Settings s = new FixMatch.Settings(0.6, 2, 1.0, 0.5);
        FixMatch.Result r = run(s, train(4, ADAM, CONSTANT), false);
        double[] sup = r.supervisedLoss();
        assertEquals(4, sup.length);
        assertTrue(sup[3] < sup[0], "the supervised loss falls: " + java.util.Arrays.toString(sup));
        for (double m : r.maskRate()) {
            assertTrue(m >= 0 && m <= 1, "mask rate is a fraction: " + m);
        }
        assertTrue(r.maskRate()[3] > 0, "some pseudo-labels pass τ 0.6 once the model learns: "
                + java.util.Arrays.toString(r.maskRate()));
        Outcome o = r.outcome();
        assertEquals("fixed", o.selection());
        assertEquals(4, o.epochs());
        assertTrue(o.testAccuracy() >= 0 && o.testAccuracy() <= 1 && Double.isFinite(o.testLoss()), o.toString());
        // 36 unlabeled images at μB = 12 per step: 3 steps an epoch, so 3 · (6 + 24) images each.
        assertEquals(4, o.history().size());
        assertTrue(o.history().get(0).imagesPerSecond() > 0);
    }

    @Test
    void thresholdZeroKeepsEveryPseudoLabelAndOneNone() {
        assertArrayEquals(new double[] {1, 1}, run(new FixMatch.Settings(0, 2, 1.0, 0.9), train(2, ADAM, CONSTANT), false)
                .maskRate(), 1e-6);
        FixMatch.Result none = run(new FixMatch.Settings(1, 2, 1.0, 0.9), train(2, ADAM, CONSTANT), false);
        assertArrayEquals(new double[] {0, 0}, none.maskRate(), 1e-6);
        assertArrayEquals(new double[] {0, 0}, none.unsupervisedLoss(), 1e-9);
    }

    @Test
    void theSameCellTwiceIsIdenticalAndTheEmaIsWhatIsScored() {
        TrainSpec t = train(2, FixMatch.PAPER_OPTIMIZER, FixMatch.PAPER_SCHEDULE);
        FixMatch.Result a = run(new FixMatch.Settings(0.95, 2, 1.0, 0.9), t, false);
        FixMatch.Result b = run(new FixMatch.Settings(0.95, 2, 1.0, 0.9), t, false);
        assertEquals(a.outcome().testLoss(), b.outcome().testLoss());
        assertArrayEquals(a.supervisedLoss(), b.supervisedLoss());
        // Same training, another EMA decay: the training losses agree, the scored model differs.
        FixMatch.Result raw = run(new FixMatch.Settings(0.95, 2, 1.0, 0), t, false);
        assertArrayEquals(a.supervisedLoss(), raw.supervisedLoss());
        assertNotEquals(a.outcome().testLoss(), raw.outcome().testLoss());
    }

    @Test
    void labelledSelectionChoosesTheEpochOnTheHeldOutPart() {
        FixMatch.Result r = run(new FixMatch.Settings(0.95, 2, 1.0, 0.5), train(3, ADAM, CONSTANT), true);
        Outcome o = r.outcome();
        assertEquals("holdout 20%", o.selection());
        assertTrue(o.selected().matches("epochs=[1-3];holdout_accuracy=[01]\\.\\d{4}"), o.selected());
        assertEquals(o.epochs(), r.supervisedLoss().length, "the final run stops at the chosen epoch");
        assertTrue(Double.isNaN(o.maxTestAccuracy()));
        assertEquals(3, o.history().size(), "the whole held-out curve is recorded");
    }

    @Test
    void settingsComeFromParamsWithThePapersDefaults() {
        assertEquals(FixMatch.Settings.PAPER, FixMatch.Settings.from(new Params(Map.of())));
        assertEquals(new FixMatch.Settings(0.95, 3, 1.0, 0.999), FixMatch.Settings.from(new Params(Map.of("mu", 3))));
        assertThrows(IllegalArgumentException.class, () -> new FixMatch.Settings(1.5, 7, 1, 0.999));
        assertThrows(IllegalArgumentException.class, () -> new FixMatch.Settings(0.95, 0, 1, 0.999));
        assertEquals(Map.of("hflip", true, "shift", 0.125, "randaugment", 2, "cutout", 0.5),
                FixMatch.strongAugment(FixMatch.WEAK_AUGMENT));
        // A request without the unlabeled pool (the 10-argument EvalRequest) is refused by name.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FixMatch().evaluate(
                new org.sslbench.evaluate.EvalRequest(null, null, null, null, null, new int[0], 10, 0, null, true)));
        assertTrue(e.getMessage().contains("unlabeled pool"), e.getMessage());
        assertTrue(new FixMatch().trainsEncoder() && new FixMatch().usesUnlabeled());
    }

    @Test
    void theEmaDecayWarmsUpAsTensorFlowsNumUpdatesRuleAndReachesThePapersValue() {
        // min(ema, (1 + t) / (10 + t)): 0.1 at the first update, so a few hundred CPU steps score
        // the trained model rather than a near-copy of the random initialisation.
        assertEquals(0.1, FixMatch.emaDecay(0.999, 0), 1e-12);
        assertEquals(47.0 / 56.0, FixMatch.emaDecay(0.999, 46), 1e-12);
        assertEquals(0.999, FixMatch.emaDecay(0.999, 8991), 1e-12);
        assertEquals(0.999, FixMatch.emaDecay(0.999, 1 << 20), 1e-12);
        assertEquals(0.0, FixMatch.emaDecay(0.0, 100), 1e-12, "ema 0 scores the trained weights");
        for (long t = 0; t < 10_000; t += 37) {
            assertTrue(FixMatch.emaDecay(0.999, t) <= FixMatch.emaDecay(0.999, t + 1));
        }
    }
}
