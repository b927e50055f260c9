package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/**
 * Fine-tune under {@code selection: labelled}: the epoch count is chosen on a held-out part of
 * the labelled subset, never on the test split; the final model is the whole subset's, trained
 * from the same initialisation and stopped at the chosen epoch. Tiny 8×8 images, small-cnn.
 */
class FineTuneSelectionTest {
    private static final ImageShape SHAPE = BandImages.SHAPE;
    private static final int CLASSES = BandImages.CLASSES;
    private static final int EPOCHS = 4;

    private static ArrayImageSet images(int perClass, long seed) {
        return BandImages.images(perClass, seed);
    }

    /** Counts image reads (from the loop and its prefetch thread). */
    private static final class Counting implements ImageSet {
        final ImageSet base;
        final AtomicLong reads = new AtomicLong();

        Counting(ImageSet base) {
            this.base = base;
        }

        @Override public int size() { return base.size(); }
        @Override public ImageShape shape() { return base.shape(); }
        @Override public int label(int index) { return base.label(index); }
        @Override public boolean labelled() { return true; }

        @Override
        public void readImage(int index, float[] dst, int offset) {
            reads.incrementAndGet();
            base.readImage(index, dst, offset);
        }
    }

    /** A test split that throws when read before {@code labelled} has been read {@code before} times. */
    private static final class Guarded implements ImageSet {
        final ImageSet base;
        final Counting labelled;
        final long before;
        final AtomicLong reads = new AtomicLong();

        Guarded(ImageSet base, Counting labelled, long before) {
            this.base = base;
            this.labelled = labelled;
            this.before = before;
        }

        @Override public int size() { return base.size(); }
        @Override public ImageShape shape() { return base.shape(); }
        @Override public int label(int index) { return base.label(index); }
        @Override public boolean labelled() { return true; }

        @Override
        public void readImage(int index, float[] dst, int offset) {
            if (labelled.reads.get() < before) {
                throw new AssertionError("the test split was read during selection (after "
                        + labelled.reads.get() + " of the selection's " + before + " labelled reads)");
            }
            reads.incrementAndGet();
            base.readImage(index, dst, offset);
        }
    }

    private static TrainSpec train(int epochs) {
        return new TrainSpec(epochs, 8, new OptimizerSpec("adam", 3e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of());
    }

    private static ProtocolSpec finetune(TrainSpec train, String selection, int evalEvery) {
        return new ProtocolSpec("finetune", train, 0, 0, evalEvery, Optional.of(selection), Optional.empty(),
                Optional.empty());
    }

    private static Outcome evaluate(ProtocolSpec p, ImageSet labelled, ImageSet test) {
        Normalizer none = Normalizer.fit("none", labelled);
        return new FineTune().evaluate(new EvalRequest(p, new SmallCnn(), null, new Batches(labelled, none, 7),
                new Batches(test, none, 7), new int[0], CLASSES, 7, null, true));
    }

    @Test
    void theEpochIsChosenWithoutReadingTheTestSplitWhichIsScoredOnce() {
        Counting labelled = new Counting(images(6, 1));
        // The selection reads the training part for every epoch and scores the held-out part after
        // each: EPOCHS * 18 labelled reads in all. Any test read before that is a peek.
        Guarded test = new Guarded(images(10, 2), labelled, (long) EPOCHS * labelled.size());
        Outcome o = evaluate(finetune(train(EPOCHS), ProtocolSpec.LABELLED, 0), labelled, test);
        assertEquals("holdout 20%", o.selection());
        assertTrue(o.selected().matches("epochs=[1-4];holdout_accuracy=[01]\\.\\d{4}"), o.selected());
        assertEquals("epochs=" + o.epochs(), o.selected().split(";")[0]);
        assertEquals(test.size(), test.reads.get(), "the test split is scored once");
        // the final run read the whole subset once per chosen epoch after the selection's reads
        assertEquals((long) (EPOCHS + o.epochs()) * labelled.size(), labelled.reads.get());
        assertTrue(Double.isNaN(o.maxTestAccuracy()), "no test-selected maximum under labelled selection");
        // the final run's epochs, then the rest of the held-out curve (no training scalars)
        assertEquals(EPOCHS, o.history().size());
        for (Outcome.Epoch e : o.history()) {
            boolean trained = e.epoch() <= o.epochs();
            assertTrue(trained ? Double.isFinite(e.loss()) && e.lr() == 3e-3 && e.imagesPerSecond() > 0
                    : Double.isNaN(e.loss()) && Double.isNaN(e.lr()) && Double.isNaN(e.imagesPerSecond()), e.toString());
            assertTrue(e.validationAccuracy() >= 0 && e.validationAccuracy() <= 1, e.toString());
        }
        double chosen = Double.parseDouble(o.selected().split("holdout_accuracy=")[1]);
        assertEquals(chosen, o.history().get(o.epochs() - 1).validationAccuracy(), 5e-5);
    }

    @Test
    void theFinalModelIsTheWholeSubsetsFromTheSameStartStoppedAtTheChosenEpoch() {
        ImageSet labelled = images(6, 1);
        ImageSet test = images(10, 2);
        Outcome selected = evaluate(finetune(train(EPOCHS), ProtocolSpec.LABELLED, 0), labelled, test);
        // Constant lr: the full-length schedule's first epochs are a shorter fixed run's.
        Outcome fixed = evaluate(finetune(train(selected.epochs()), ProtocolSpec.FIXED, 0), labelled, test);
        assertEquals(fixed.testAccuracy(), selected.testAccuracy());
        assertEquals(fixed.testLoss(), selected.testLoss());
        assertEquals(ProtocolSpec.FIXED, fixed.selection());
        assertEquals("", fixed.selected());
    }

    @Test
    void theSameCellTwiceGivesTheSameEpochAndAccuracy() {
        Outcome a = evaluate(finetune(train(EPOCHS), ProtocolSpec.LABELLED, 0), images(6, 1), images(10, 2));
        Outcome b = evaluate(finetune(train(EPOCHS), ProtocolSpec.LABELLED, 0), images(6, 1), images(10, 2));
        assertEquals(a.selected(), b.selected());
        assertEquals(a.testAccuracy(), b.testAccuracy());
        assertEquals(a.testLoss(), b.testLoss());
        assertArrayEquals(a.history().stream().mapToDouble(Outcome.Epoch::loss).toArray(),
                b.history().stream().mapToDouble(Outcome.Epoch::loss).toArray());
    }

    @Test
    void oneLabelPerClassFallsBackToTheFixedEpochs() {
        Outcome o = evaluate(finetune(train(2), ProtocolSpec.LABELLED, 0), images(1, 1), images(10, 2));
        assertEquals("fixed (1 label per class: nothing to hold out)", o.selection());
        assertEquals("epochs=2", o.selected());
        assertEquals(2, o.epochs());
    }

    @Test
    void fixedKeepsTheTestSelectedMaximumOverEvalEvery() {
        Outcome o = evaluate(finetune(train(3), ProtocolSpec.FIXED, 1), images(6, 1), images(10, 2));
        assertEquals(3, o.epochs());
        assertTrue(o.maxTestAccuracy() >= o.testAccuracy(), o.toString());
        assertEquals(3, o.history().size());
        assertTrue(Double.isNaN(o.history().get(0).validationAccuracy()), "no held-out part under fixed");
    }

    @Test
    void theRuleTakesTheBestAccuracyThenTheLowerLossThenTheEarlierEpoch() {
        assertEquals(2, ClassifierTraining.choose(new double[] {0.3, 0.5, 0.6, 0.6}, new double[] {1, 1, 0.9, 0.9}));
        assertEquals(3, ClassifierTraining.choose(new double[] {0.3, 0.6, 0.5, 0.6}, new double[] {1, 1.2, 1, 1.1}));
        assertEquals(0, ClassifierTraining.choose(new double[] {0.4, 0.4}, new double[] {1, 1}));
    }
}
