package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.data.ImageSet;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.testing.FormatWriters;

/**
 * What PretextContext#batchSize and StepBatch#size promise plugins: every step feeds exactly
 * min(batch_size, pool) images and an epoch runs pool / batch full steps (the partial rest is
 * dropped, never fed as a smaller batch).
 */
class PretextBatchSizeTest {
    private static final ImageSet POOL = FormatWriters.tinyDataset().unlabeled();

    /** Records the context's batch size and every step's batch size. */
    private static final class Recorder implements Method {
        int contextBatch = -1;
        final List<Integer> sizes = new ArrayList<>();

        @Override public String name() { return "recorder"; }
        @Override public String description() { return "records batch sizes"; }
        @Override public List<Param> params() { return List.of(); }
        @Override public int views(Params p) { return 1; }

        @Override
        public Objective build(PretextContext ctx) {
            contextBatch = ctx.batchSize();
            var tf = ctx.tf();
            var features = ctx.encoder().apply(ctx.view(0), true);
            var loss = tf.math.mean(tf.math.square(features), tf.constant(new int[] {0, 1}));
            return new Objective() {
                @Override public org.tensorflow.Operand<org.tensorflow.types.TFloat32> loss() { return loss; }
                @Override public void feed(StepBatch batch, org.sslbench.method.Feeds feeds) { sizes.add(batch.size()); }
            };
        }
    }

    @ParameterizedTest(name = "batch_size {0}")
    @CsvSource({"7", "1000000"})
    void everyStepFeedsMinOfBatchSizeAndPoolAndDropsThePartialRest(int batchSize) {
        int pool = POOL.size();
        Recorder method = new Recorder();
        TrainSpec spec = new TrainSpec(1, batchSize, new OptimizerSpec("adam", 1e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of());
        new PretextTrainer(new PrintStream(OutputStream.nullOutputStream()), true)
                .train(method, Params.of(method, Map.of()), new SmallCnn(), spec, new Batches(POOL, Normalizer.fit("none", POOL), 0), 0);
        int expected = Math.min(batchSize, pool);
        if (batchSize < pool) {
            org.junit.jupiter.api.Assertions.assertNotEquals(0, pool % batchSize, "a partial batch must exist to be dropped");
        }
        assertEquals(expected, method.contextBatch);
        assertEquals(pool / expected, method.sizes.size(), "full steps per epoch, pool " + pool);
        method.sizes.forEach(s -> assertEquals(expected, s));
    }
}
