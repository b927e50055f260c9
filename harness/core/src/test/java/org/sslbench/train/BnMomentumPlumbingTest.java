package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.evaluate.EvalRequest;
import org.sslbench.evaluate.FineTune;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.testing.FormatWriters;

/**
 * A block's {@code bn_momentum} is the momentum of the {@link Layers} every BatchNorm of that
 * block's graph is built with: the encoder and the method's heads in the pretext, the encoder in
 * fine-tuning ({@code BatchNormMomentumTest} pins what that momentum does). Graph building stops
 * at the first BatchNorm-capable builder, so no training runs.
 */
class BnMomentumPlumbingTest {
    private static final ImageSet POOL = FormatWriters.tinyDataset().unlabeled();

    /** Thrown once the momentum is seen: the rest of the run is not this test's. */
    private static final class Seen extends RuntimeException {
        final float momentum;

        Seen(float momentum) {
            super("seen", null, false, false);
            this.momentum = momentum;
        }
    }

    /** A backbone that reports the Layers it is built with. */
    private static final class SpyBackbone implements Backbone {
        @Override public String name() { return "spy"; }
        @Override public String description() { return "reports its Layers' BatchNorm momentum"; }

        @Override
        public Encoder create(Layers layers, String scope, ImageShape shape) {
            throw new Seen(layers.bnMomentum());
        }
    }

    /** A method that reports the Layers its heads would be built with. */
    private static final class SpyMethod implements Method {
        @Override public String name() { return "spy"; }
        @Override public String description() { return "reports the context's BatchNorm momentum"; }
        @Override public List<Param> params() { return List.of(); }
        @Override public int views(Params p) { return 1; }

        @Override
        public Objective build(PretextContext ctx) {
            throw new Seen(ctx.layers().bnMomentum());
        }
    }

    private static TrainSpec block(double momentum) {
        return new TrainSpec(1, 4, new OptimizerSpec("adam", 1e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of()).withBnMomentum(momentum);
    }

    private static float pretext(Method method, Backbone backbone, TrainSpec spec) {
        Batches batches = new Batches(POOL, Normalizer.fit("none", POOL), 0);
        return assertThrows(Seen.class, () -> new PretextTrainer(new PrintStream(OutputStream.nullOutputStream()), true)
                .train(method, Params.of(method, Map.of()), backbone, spec, batches, 0)).momentum;
    }

    @ParameterizedTest(name = "m = {0}")
    @ValueSource(doubles = {0.99, 0.5, 0.9})
    void pretextEncoderAndHeadsUseThePretextBlocksMomentum(double m) {
        assertEquals((float) m, pretext(new SpyMethod(), new SpyBackbone(), block(m)), "encoder");
        assertEquals((float) m, pretext(new SpyMethod(), new SmallCnn(), block(m)), "method heads");
    }

    @ParameterizedTest(name = "m = {0}")
    @ValueSource(doubles = {0.99, 0.5, 0.9})
    void fineTuneUsesTheFinetuneBlocksMomentum(double m) {
        Batches labelled = new Batches(POOL, Normalizer.fit("none", POOL), 0);
        EvalRequest r = new EvalRequest(new ProtocolSpec("finetune", block(m), 0, 0, 0), new SpyBackbone(), null,
                labelled, labelled, new int[0], 10, 0, null, true);
        assertEquals((float) m, assertThrows(Seen.class, () -> new FineTune().evaluate(r)).momentum);
    }
}
