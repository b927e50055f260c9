package org.sslbench.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.DivergedException;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A downstream run that blows up is a diverged cell, never a result: a huge sgd lr on a linear head
 * over 10 feature rows (one step per epoch) makes the weights infinite after the first update.
 */
class ClassifierTrainingDivergenceTest {
    private static final int DIM = 4;
    private static final int ROWS = 10;

    private static Outcome train(int epochs, double lr) {
        SplittableRandom rng = new SplittableRandom(1);
        float[] rows = new float[ROWS * DIM];
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < DIM; j++) {
                rows[i * DIM + j] = (float) (100 * (rng.nextDouble() - 0.5) + (labels[i] == 0 ? 20 : -20));
            }
        }
        TrainSpec spec = new TrainSpec(epochs, ROWS, new OptimizerSpec("sgd", lr, 0, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of());
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, DIM)));
            Classifier head = Classifier.build(layers, "head", x, DIM, 2);
            Optimizer optimizer = new Optimizer(net, spec.optimizer(), head.loss(), net.vars(Net.trainable()), "linear_opt");
            try (Session session = org.sslbench.engine.Sessions.open(net.graph())) {
                net.initialize(session, 0);
                return ClassifierTraining.run(net, session, x, head, head, optimizer, spec,
                        Sources.features(rows, DIM, labels, 0), Sources.features(rows, DIM, labels, 0), 0, "linear", true);
            }
        }
    }

    @Test
    void aTestLossThatBlowsUpAfterTheLastFiniteTrainingLossIsDiverged() {
        // One epoch, one step: the training loss is measured before the update, so only the test loss sees it.
        DivergedException e = assertThrows(DivergedException.class, () -> train(1, 1e38));
        assertTrue(e.getMessage().startsWith("linear test loss became "), e.getMessage());
        assertTrue(e.getMessage().contains("after epoch 1, step 1"), e.getMessage());
        assertEquals(0, e.epoch());
    }

    @Test
    void aTrainingLossThatBlowsUpNamesTheProtocolAndEpoch() {
        DivergedException e = assertThrows(DivergedException.class, () -> train(3, 1e38));
        assertTrue(e.getMessage().startsWith("linear loss became "), e.getMessage());
        assertTrue(e.getMessage().contains("at epoch 2, step 1"), e.getMessage());
        assertEquals(1, e.epoch());
    }

    @Test
    void aSaneLrStillGivesAFiniteResult() {
        Outcome o = train(1, 0.01);
        assertTrue(Double.isFinite(o.testLoss()), String.valueOf(o.testLoss()));
    }
}
