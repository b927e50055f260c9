package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Sessions;
import org.sslbench.engine.Tensors;
import org.sslbench.engine.backbones.ResNet20;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.train.Augmenter;
import org.sslbench.train.Batches;
import org.sslbench.train.NormalizedImages;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The test-scoring path of issue 16 (normalised once, next chunk prefetched, tensors reused) gives
 * exactly what the path before it gave: accuracy and mean loss of {@link ClassifierTraining#score}
 * and the features of {@link EncoderFeatures} compared with {@code ==} against a verbatim copy of
 * the old code, on a ResNet-20 and a small-cnn fine-tune graph (train and eval branches sharing
 * variables, as {@link FineTune} builds it), with a short last chunk.
 */
class ScoringPathTest {
    private static final ImageShape SHAPE = new ImageShape(8, 8, 3);
    /** More than one 500-row chunk, the last one short. */
    private static final int N = 620;

    @AfterEach
    void budgetBack() {
        NormalizedImages.budgetBytes(1L << 30);
        NormalizedImages.clear();
    }

    private static ArrayImageSet images(int n, long seed) {
        byte[] px = new byte[n * SHAPE.size()];
        new SplittableRandom(seed).nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % 10;
        }
        return new ArrayImageSet(SHAPE, px, labels);
    }

    /** The score() of c57af8f, verbatim but for the chunk size. */
    private static double[] oldScore(Session session, Placeholder<TFloat32> input, Classifier eval,
                                     ClassifierTraining.Source test, int chunk) {
        int n = test.size();
        float[] buf = new float[chunk * test.rowSize()];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double correct = 0;
        double lossSum = 0;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            test.fill(order, from, m, buf, null);
            long[] shape = {m, SHAPE.height(), SHAPE.width(), SHAPE.channels()};
            try (TFloat32 x = Tensors.floatsPrefix(buf, shape);
                 var y = Tensors.ints(test.labels(order, from, m), m);
                 var result = session.runner().feed(input, x).feed(eval.labels(), y)
                         .fetch(eval.correct()).fetch(eval.loss()).run()) {
                correct += ((TFloat32) result.get(0)).getFloat();
                lossSum += ((TFloat32) result.get(1)).getFloat() * m;
            }
        }
        return new double[] {correct / n, lossSum / n};
    }

    /** {@code thorough}: also other forward and chunk sizes (new shapes: slow to set up for ResNet-20). */
    private static void sameScores(Backbone backbone, boolean thorough) {
        ArrayImageSet set = images(N, 1);
        Batches b = new Batches(set, org.sslbench.train.Normalizer.fit("pixel_mean", set), 0);
        try (Net net = new Net()) {
            Layers layers = new Layers(net, 0.9);
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, SHAPE.height(), SHAPE.width(), SHAPE.channels())));
            Encoder encoder = backbone.create(layers, PretextTrainer.ENCODER_SCOPE, SHAPE);
            Classifier train = Classifier.build(layers, "head", encoder.apply(x, true), encoder.featureDim(), 10);
            Classifier eval = Classifier.build(layers, "head", encoder.apply(x, false), encoder.featureDim(), 10);
            new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), train.loss(), net.vars(Net.trainable()), "opt");
            try (Session s = Sessions.open(net.graph())) {
                net.initialize(s, 3);
                ClassifierTraining.Source streamed = Sources.images(b, new Augmenter(Map.of()));
                int chunk = ClassifierTraining.EVAL_CHUNK;
                double[] old = oldScore(s, x, eval, streamed, chunk);
                assertTrue(Double.isFinite(old[1]) && old[0] >= 0 && old[0] <= 1, java.util.Arrays.toString(old));
                // forward runs of FORWARD_BATCH rows, the loss reduced per 500 rows: == the old path,
                // streamed (no normalised copy), from the shared normalised copy, and again with the
                // tensors reused
                assertArrayEquals(old, ClassifierTraining.score(s, x, eval, streamed));
                ClassifierTraining.Source cached = Sources.test(b);
                assertNotNull(cached.rows(), "these small images fit the budget");
                assertArrayEquals(old, ClassifierTraining.score(s, x, eval, cached));
                assertArrayEquals(old, ClassifierTraining.score(s, x, eval, cached));
                if (!thorough) {
                    return;
                }
                // other forward sizes, and a chunk of 50 whose last chunk is short (620 = 12 x 50 + 20)
                assertArrayEquals(old, ClassifierTraining.score(s, x, eval, cached, chunk, 25));
                assertArrayEquals(oldScore(s, x, eval, streamed, 50), ClassifierTraining.score(s, x, eval, cached, 50, 10));
            }
        }
    }

    @Test
    void resnet20ScoresAreBitIdenticalToTheOldPath() {
        sameScores(new ResNet20(), false);
    }

    @Test
    void smallCnnScoresAreBitIdenticalToTheOldPath() {
        sameScores(new SmallCnn(), true);
    }

    /** The extraction of c57af8f, verbatim but for the graph being built here (as EncoderFeatures.open did). */
    private static float[] oldFeatures(Backbone backbone, Batches batches, long seed) {
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> input = net.tf().placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, SHAPE.height(), SHAPE.width(), SHAPE.channels())));
            Encoder encoder = backbone.create(layers, PretextTrainer.ENCODER_SCOPE, SHAPE);
            Operand<TFloat32> output = encoder.apply(input, false);
            int dim = encoder.featureDim();
            try (Session session = Sessions.open(net.graph())) {
                net.initialize(session, seed);
                int[] order = IntStream.range(0, batches.images().size()).toArray();
                int chunk = 256; // EncoderFeatures' chunk before issue 16
                float[] out = new float[order.length * dim];
                float[] buf = new float[chunk * SHAPE.size()];
                for (int start = 0; start < order.length; start += chunk) {
                    int n = Math.min(chunk, order.length - start);
                    batches.fill(order, start, n, buf, null, null);
                    try (TFloat32 x = Tensors.floatsPrefix(buf, n, SHAPE.height(), SHAPE.width(), SHAPE.channels());
                         var result = session.runner().feed(input, x).fetch(output).run()) {
                        float[] f = Tensors.toFloats((TFloat32) result.get(0));
                        System.arraycopy(f, 0, out, start * dim, f.length);
                    }
                }
                return out;
            }
        }
    }

    @Test
    void encoderFeaturesAreBitIdenticalToTheOldPath() {
        // 300 images: a full chunk of 256 and a short one
        ArrayImageSet set = images(300, 2);
        Batches b = new Batches(set, org.sslbench.train.Normalizer.fit("standardize", set), 0);
        for (Backbone backbone : new Backbone[] {new ResNet20(), new SmallCnn()}) {
            float[] old = oldFeatures(backbone, b, 5);
            try (EncoderFeatures f = new EncoderFeatures(backbone, null, 5, b, b)) {
                int[] all = IntStream.range(0, set.size()).toArray();
                assertArrayEquals(old, f.test(), backbone.name() + ": test split, from the normalised copy");
                assertArrayEquals(old, f.pool(all), backbone.name() + ": pool, streamed");
            }
        }
    }

    @Test
    void pixelFeaturesOfTheTestSplitAreTheNormalisedImagesWithOrWithoutTheCopy() {
        ArrayImageSet set = images(40, 4);
        Batches b = new Batches(set, org.sslbench.train.Normalizer.fit("pixel_mean", set), 0);
        float[] expected = new float[set.size() * SHAPE.size()];
        b.fill(IntStream.range(0, set.size()).toArray(), 0, set.size(), expected, null, null);
        try (EncoderFeatures f = EncoderFeatures.pixels(b, b)) {
            assertArrayEquals(expected, f.test());
        }
        NormalizedImages.budgetBytes(0);
        try (EncoderFeatures f = EncoderFeatures.pixels(b, b)) {
            assertArrayEquals(expected, f.test());
        }
    }

    @Test
    void theNormalisedCopyIsMadeOncePerImagesAndNormaliserAndHoldsWhatFillWrites() {
        ArrayImageSet set = images(20, 6);
        var mean = org.sslbench.train.Normalizer.fit("pixel_mean", set);
        Batches a = new Batches(set, mean, 0);
        float[] copy = NormalizedImages.of(a);
        float[] filled = new float[set.size() * SHAPE.size()];
        a.fill(IntStream.range(0, set.size()).toArray(), 0, set.size(), filled, null, null);
        assertArrayEquals(filled, copy);
        // another Batches over the same images and normaliser (another cell, another seed): the same copy
        assertSame(copy, NormalizedImages.of(new Batches(set, mean, 9)));
        // another normaliser: another copy
        Batches other = new Batches(set, org.sslbench.train.Normalizer.fit("standardize", set), 0);
        float[] second = NormalizedImages.of(other);
        assertTrue(second != copy && !java.util.Arrays.equals(copy, second));
        assertEquals(2L * 4 * filled.length, NormalizedImages.heldBytes());
        // a budget for one copy keeps the most recently used one; a set larger than the budget streams
        NormalizedImages.budgetBytes(4L * filled.length);
        assertEquals(4L * filled.length, NormalizedImages.heldBytes());
        assertSame(second, NormalizedImages.of(other));
        assertNull(NormalizedImages.of(new Batches(images(21, 6), mean, 0)), "over the budget: no copy");
    }

    @Test
    void scoringTimeIsCountedOnTheEvalClock() {
        ArrayImageSet set = images(N, 1);
        Batches b = new Batches(set, org.sslbench.train.Normalizer.fit("none", set), 0);
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, SHAPE.height(), SHAPE.width(), SHAPE.channels())));
            Encoder encoder = new SmallCnn().create(layers, PretextTrainer.ENCODER_SCOPE, SHAPE);
            Classifier eval = Classifier.build(layers, "head", encoder.apply(x, false), encoder.featureDim(), 10);
            try (Session s = Sessions.open(net.graph())) {
                net.initialize(s, 0);
                long mark = EvalClock.mark();
                long t0 = System.nanoTime();
                ClassifierTraining.score(s, x, eval, Sources.test(b));
                double wall = (System.nanoTime() - t0) / 1e9;
                double counted = EvalClock.secondsSince(mark);
                assertTrue(counted > 0 && counted <= wall, counted + " s counted of " + wall + " s");
            }
        }
    }
}
