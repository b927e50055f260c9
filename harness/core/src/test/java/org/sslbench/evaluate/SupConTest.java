package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Params;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/** The supcon protocol on tiny 8×8 images with small-cnn: stage 1 lowers the SupCon loss, stage 2 scores the test split. */
class SupConTest {
    private static final ImageShape SHAPE = BandImages.SHAPE;
    private static final int CLASSES = BandImages.CLASSES;

    private static ArrayImageSet images(int perClass, long seed) {
        return BandImages.images(perClass, seed);
    }

    private static EvalRequest request(int epochs, Map<String, Object> params) {
        ArrayImageSet labelled = images(8, 1);
        ArrayImageSet test = images(4, 2);
        Normalizer none = Normalizer.fit("none", labelled);
        TrainSpec train = new TrainSpec(epochs, 12, new OptimizerSpec("adam", 3e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of("shift", 0.1, "hflip", true));
        Map<String, Object> merged = new java.util.TreeMap<>();
        new SupCon().params().forEach(p -> merged.put(p.name(), p.defaultValue()));
        merged.putAll(params);
        ProtocolSpec spec = new ProtocolSpec(SupCon.NAME, train, 0, 0, 0, Optional.of(ProtocolSpec.LABELLED),
                Optional.empty(), Optional.empty(), new Params(merged), ProtocolSpec.Kind.TRAINS);
        return new EvalRequest(spec, new SmallCnn(), null, new Batches(labelled, none, 7), new Batches(test, none, 7),
                new int[0], CLASSES, 7, null, true);
    }

    @Test
    void stageOneLowersTheSupConLoss() {
        SupCon.Stage1 s = SupCon.train(request(6, Map.of(SupCon.PROJ_OUTPUT_DIM, 16)));
        List<Outcome.Epoch> h = s.history();
        assertEquals(6, h.size());
        double first = h.get(0).loss();
        double last = h.get(h.size() - 1).loss();
        assertTrue(Double.isFinite(first) && last < first - 0.05, "SupCon loss per epoch: "
                + h.stream().map(Outcome.Epoch::loss).toList());
        // the encoder's variables only (no projector, no optimizer slots): what stage 2 reads
        assertTrue(!s.encoder().isEmpty() && s.encoder().keySet().stream().allMatch(k -> k.startsWith("encoder/")),
                s.encoder().keySet().toString());
    }

    @Test
    void aCellTrainsThenProbesAndRecordsBothStagesChoices() {
        Outcome o = new SupCon().evaluate(request(2, Map.of(SupCon.PROJ_HIDDEN_DIM, 8, SupCon.PROJ_OUTPUT_DIM, 8)));
        assertTrue(o.testAccuracy() >= 0 && o.testAccuracy() <= 1, "accuracy " + o.testAccuracy());
        assertTrue(Double.isFinite(o.testLoss()), "test loss " + o.testLoss());
        assertEquals(2, o.epochs());
        assertEquals(2, o.history().size());
        assertTrue(o.selection().startsWith("fixed epochs; probe "), o.selection());
        assertTrue(o.selected().matches("epochs=2;l2=[0-9.eE+-]+.*"), o.selected());
    }

    @Test
    void declaresItsParamsWithSupContrastsDefaultsAndTrainsTheEncoder() {
        SupCon p = new SupCon();
        assertTrue(p.trainsEncoder());
        assertEquals(List.of("temperature", "proj_hidden_dim", "proj_output_dim"), p.params().stream().map(x -> x.name()).toList());
        assertEquals(0.1, p.params().get(0).defaultValue());
        assertEquals(128, p.params().get(2).defaultValue());
        assertTrue(p.params().get(0).problem(0.0) != null, "temperature 0 must be refused");
        // hidden width 0 = the encoder's feature width (SupContrast's Linear(dim_in, dim_in))
        assertEquals(64, SupCon.projector(new Params(Map.of(SupCon.PROJ_HIDDEN_DIM, 0, SupCon.PROJ_OUTPUT_DIM, 128)), 64)
                .blocks().get(0).out());
    }
}
