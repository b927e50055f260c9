package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < a.length; i++) {
                assertTrue(Float.isFinite(a[i]));
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                maxAbs = Math.max(maxAbs, Math.abs(b[i]));
            }
            // bf16 keeps 8 significant bits: the same features up to a few percent, but not bit-equal
            // (the session really ran the rewritten graph)
            assertTrue(maxDiff <= 0.1 * maxAbs, maxDiff + " vs " + maxAbs);
            assertTrue(maxDiff > 0, "bf16 features equal the fp32 ones: the bf16 rewrite did not run");
            Outcome k = new Knn().evaluate(new EvalRequest(new ProtocolSpec("knn", null, 3, 0.07, 0)
                    .withPrecision(Precision.BF16), backbone, null, new Batches(pool.subset(subset), normalizer, 0), test, subset, 3, 0, bf16,
                    true, null, Precision.BF16));
            assertTrue(k.testAccuracy() >= 0 && k.testAccuracy() <= 1, k.toString());
        }
    }
}
