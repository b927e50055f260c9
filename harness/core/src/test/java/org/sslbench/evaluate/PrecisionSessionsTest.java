package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Devices;
import org.sslbench.engine.Precision;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/**
 * The sessions of a cell run in {@link EvalRequest#precision} (issue 16): a fine-tune and the frozen
 * features of a kNN cell in bf16 give finite results on a CPU that supports it (skipped elsewhere,
 * as {@link Precision#effective} decides), and fp32 reruns stay bit-identical.
 */
class PrecisionSessionsTest {
    private static final ImageShape SHAPE = new ImageShape(28, 28, 1);

    private static ArrayImageSet images(int n, long seed) {
        byte[] px = new byte[n * SHAPE.size()];
        new SplittableRandom(seed).nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            // a class-dependent band, so the head has something to learn
            for (int x = 0; x < 28; x++) {
                px[i * SHAPE.size() + (labels[i] * 9) * 28 + x] = (byte) 255;
            }
        }
        return new ArrayImageSet(SHAPE, px, labels);
    }

    private static final ProtocolSpec FINETUNE = new ProtocolSpec("finetune", new TrainSpec(1, 16,
            new OptimizerSpec("adam", 1e-3, 0.9, 0.0, false), new ScheduleSpec("constant", 0, List.of(), List.of()),
            Map.of()), 0, 0.0, 0);

    private static Outcome finetune(Precision precision) {
        ArrayImageSet pool = images(48, 1);
        Normalizer normalizer = Normalizer.fit("standardize", pool);
        return new FineTune().evaluate(new EvalRequest(FINETUNE.withPrecision(precision), new SmallCnn(), null,
                new Batches(pool, normalizer, 0), new Batches(images(30, 2), normalizer, 0), new int[0], 3, 0, null, true,
                null, precision));
    }

    static boolean bf16Here() {
        String device = Devices.detect(new PrintStream(OutputStream.nullOutputStream()));
        return Precision.effective(Precision.BF16, device).precision() == Precision.BF16;
    }

    @Test
    void fp32RerunsAreBitIdentical() {
        Outcome a = finetune(Precision.FP32);
        Outcome b = finetune(Precision.FP32);
        assertEquals(a.testLoss(), b.testLoss());
        assertEquals(a.testAccuracy(), b.testAccuracy());
        assertEquals(a.history().get(0).loss(), b.history().get(0).loss());
    }

    @Test
    void bf16FineTuneAndKnnFeaturesAreFinite() {
        assumeTrue(bf16Here(), "this CPU (or TensorFlow build) has no bf16: the run would fall back to fp32");
        Outcome o = finetune(Precision.BF16);
        assertTrue(o.testAccuracy() >= 0 && o.testAccuracy() <= 1, o.toString());
        assertTrue(Double.isFinite(o.testLoss()) && o.testLoss() > 0, o.toString());
        assertTrue(Double.isFinite(o.history().get(0).loss()), o.toString());

        ArrayImageSet pool = images(30, 3);
        Normalizer normalizer = Normalizer.fit("standardize", pool);
        Batches poolBatches = new Batches(pool, normalizer, 0);
        Batches test = new Batches(images(21, 4), normalizer, 0);
        int[] subset = java.util.stream.IntStream.range(0, 30).toArray();
        SmallCnn backbone = new SmallCnn();
        try (EncoderFeatures bf16 = new EncoderFeatures(backbone, null, 0, poolBatches, test, Precision.BF16);
             EncoderFeatures fp32 = new EncoderFeatures(backbone, null, 0, poolBatches, test, Precision.FP32)) {
            float[] a = bf16.pool(subset);
            float[] b = fp32.pool(subset);
            // Frozen features are inference only: a bf16 block computes them in fp32 (bf16 inference
            // is slower on this CPU), so they equal the fp32 features bit for bit.
            assertArrayEquals(b, a);
            Outcome k = new Knn().evaluate(new EvalRequest(new ProtocolSpec("knn", null, 3, 0.07, 0)
                    .withPrecision(Precision.BF16), backbone, null, new Batches(pool.subset(subset), normalizer, 0), test, subset, 3, 0, bf16,
                    true, null, Precision.BF16));
            assertTrue(k.testAccuracy() >= 0 && k.testAccuracy() <= 1, k.toString());
        }
    }

    /**
     * A bf16 fine-tune scores through {@link Fp32Scorer}: the training session's weights and
     * BatchNorm statistics copied into an fp32 eval graph. Its score equals, bit for bit, scoring
     * those weights in a separate fp32 session, and differs from scoring in the bf16 session itself.
     */
    @Test
    void bf16TrainingScoresInFp32() {
        assumeTrue(bf16Here(), "this CPU (or TensorFlow build) has no bf16");
        ArrayImageSet pool = images(48, 1);
        Normalizer normalizer = Normalizer.fit("standardize", pool);
        ClassifierTraining.Source test = Sources.test(new Batches(images(30, 2), normalizer, 0));
        SmallCnn backbone = new SmallCnn();
        try (org.sslbench.engine.Net net = new org.sslbench.engine.Net()) {
            org.sslbench.engine.Layers layers = new org.sslbench.engine.Layers(net);
            var x = net.tf().placeholder(org.tensorflow.types.TFloat32.class,
                    org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1)));
            var encoder = backbone.create(layers, org.sslbench.train.PretextTrainer.ENCODER_SCOPE, SHAPE);
            var train = org.sslbench.engine.Classifier.build(layers, "head", encoder.apply(x, true), encoder.featureDim(), 3);
            var eval = org.sslbench.engine.Classifier.build(layers, "head", encoder.apply(x, false), encoder.featureDim(), 3);
            var optimizer = new org.sslbench.engine.Optimizer(net, new OptimizerSpec("adam", 1e-2, 0.9, 0.0, false),
                    train.loss(), net.vars(org.sslbench.engine.Net.trainable()), "opt");
            try (var session = org.sslbench.engine.Sessions.open(net.graph(), Precision.BF16);
                 Fp32Scorer scorer = new Fp32Scorer(backbone, SHAPE, 3, net, session)) {
                net.initialize(session, 0);
                ClassifierTraining.run(net, session, x, train, optimizer, FINETUNE.train(), 1,
                        Sources.images(new Batches(pool, normalizer, 0), new org.sslbench.train.Augmenter(Map.of())),
                        test, 0, "t", true, scorer);
                double[] viaScorer = scorer.score(test);
                double[] inBf16 = ClassifierTraining.score(session, x, eval, test);
                Map<String, float[]> weights = net.read(session, v -> true);
                try (org.sslbench.engine.Net copy = new org.sslbench.engine.Net()) {
                    org.sslbench.engine.Layers l2 = new org.sslbench.engine.Layers(copy);
                    var x2 = copy.tf().placeholder(org.tensorflow.types.TFloat32.class,
                            org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 28, 28, 1)));
                    var e2 = backbone.create(l2, org.sslbench.train.PretextTrainer.ENCODER_SCOPE, SHAPE);
                    var eval2 = org.sslbench.engine.Classifier.build(l2, "head", e2.apply(x2, false), e2.featureDim(), 3);
                    try (var s2 = org.sslbench.engine.Sessions.open(copy.graph())) {
                        java.util.Set<String> names = new java.util.HashSet<>();
                        copy.vars(v -> true).forEach(v -> names.add(v.name()));
                        weights.keySet().retainAll(names);
                        copy.assign(s2, weights);
                        double[] fp32 = ClassifierTraining.score(s2, x2, eval2, test);
                        assertArrayEquals(fp32, viaScorer);
                    }
                }
                assertNotEquals(inBf16[1], viaScorer[1], "the bf16 session's own loss equals the fp32 one: no rewrite ran");
            }
        }
    }
}
