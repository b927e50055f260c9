package org.sslbench.plugins.moco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.losses.InfoNceLossTest;
import org.sslbench.testkit.LossCheck;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.testing.PretextStep;
import org.sslbench.train.PretextTrainer;

class MocoTest {
    private static final ImageShape SHAPE = new ImageShape(8, 8, 1);
    private static final int BATCH = 4;
    private static final Map<String, Object> SMALL = Map.of("proj_hidden_dim", 16, "proj_output_dim", 8, "queue_size", 12,
            "momentum", 0.9);

    /**
     * Ten epochs on the tiny stripes dataset. Augmentation is only the flip: its images differ
     * from each other only in pixel noise and stripe phase, which random crops wipe out, leaving
     * nothing to discriminate instances by (with MoCo's crop the embedding collapses there). The
     * first epoch still sees some of the queue's random initial negatives, so the loss first rises
     * to about log(1 + 64) once the queue holds real keys, then falls.
     */
    @Test
    void fewEpochsLowerTheLossWithoutCollapse() {
        PretextTrainer.Result r = MethodSmoke.run(new Moco(), Map.of("queue_size", 64, "proj_hidden_dim", 128),
                Map.of("hflip", true), 10, 32, 1e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        double second = r.epochs().get(1).loss();
        assertTrue(loss[1] < loss[0] - 0.5 && loss[1] < 0.75 * second,
                "loss should fall: " + loss[0] + ", " + second + " -> " + loss[1]);
        // healthy is about 1/sqrt(128) = 0.09, collapsed 0
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0.02, "collapse std " + r.finalCollapseStd());
    }

    /** MoCo eq. 2 after a real step: every key-network variable is m·old key + (1 − m)·updated query. */
    @Test
    void keyNetworkIsTheMomentumAverageOfTheUpdatedQueryNetwork() {
        try (PretextStep s = new PretextStep(new Moco(), SMALL, SHAPE, BATCH, 1e-2, 1)) {
            int checked = s.assertMomentumStep(0.5, 0.9, Map.of("encoder", Moco.KEY_ENCODER, Moco.PROJECTOR, Moco.KEY_PROJECTOR));
            // SmallCnn: 4 convs + dense (kernel, bias each); projector: 2 kernels (no BN, biases)
            assertEquals(10 + 4, checked);
        }
    }

    /**
     * With final_momentum set, m = end − (end − m₀)(cos(π·progress) + 1)/2 (solo-learn's
     * MomentumUpdater): 0.9, 0.945, 0.99 at progress 0, ½, 1 for 0.9 → 0.99, and each step's key
     * network is m·old key + (1 − m)·updated query with that m. Without it (−1, the default) m stays
     * at momentum even at the end of training.
     */
    @Test
    void finalMomentumRaisesTheKeyMomentumOnACosine() {
        Map<String, Object> scheduled = new HashMap<>(SMALL);
        scheduled.put("final_momentum", 0.99);
        Map<String, String> twins = Map.of("encoder", Moco.KEY_ENCODER, Moco.PROJECTOR, Moco.KEY_PROJECTOR);
        try (PretextStep s = new PretextStep(new Moco(), scheduled, SHAPE, BATCH, 1e-2, 4)) {
            Moco.MocoObjective objective = (Moco.MocoObjective) s.objective();
            double[] progress = {0, 0.5, 1};
            double[] m = {0.9, 0.945, 0.99};
            for (int i = 0; i < progress.length; i++) {
                assertEquals(m[i], s.step(progress[i], objective.momentum())[0][0], 1e-6, "m at progress " + progress[i]);
                s.assertMomentumStep(progress[i], m[i], twins);
            }
        }
        try (PretextStep s = new PretextStep(new Moco(), SMALL, SHAPE, BATCH, 1e-2, 5)) {
            Moco.MocoObjective objective = (Moco.MocoObjective) s.objective();
            assertEquals(0.9, s.step(1.0, objective.momentum())[0][0], 1e-6, "constant m by default");
            s.assertMomentumStep(1.0, 0.9, twins);
        }
    }

    /**
     * After a step the queue starts with that step's normalised keys, in order, and the rest moved
     * down; the keys are the positives of the step's loss, which saw the queue before the push.
     */
    @Test
    void queueStartsWithTheStepsKeys() {
        for (boolean symmetric : new boolean[] {false, true}) {
            Map<String, Object> params = new HashMap<>(SMALL);
            params.put("symmetric", symmetric);
            try (PretextStep s = new PretextStep(new Moco(), params, SHAPE, BATCH, 1e-2, 2)) {
                Moco.MocoObjective objective = (Moco.MocoObjective) s.objective();
                float[] before = s.read(v -> v.name().equals(Moco.QUEUE)).get(Moco.QUEUE);
                float[][] fetched = s.step(0.0, objective.keys(), objective.embedding(), objective.loss());
                float[] keys = fetched[0];
                float[] after = s.read(v -> v.name().equals(Moco.QUEUE)).get(Moco.QUEUE);
                int dim = 8;
                int pushed = symmetric ? 2 * BATCH : BATCH;
                assertEquals(pushed * dim, keys.length);
                for (int r = 0; r < pushed; r++) {
                    double norm = 0;
                    for (int c = 0; c < dim; c++) {
                        assertEquals(keys[r * dim + c], after[r * dim + c], 1e-6, "row " + r);
                        norm += keys[r * dim + c] * keys[r * dim + c];
                    }
                    assertEquals(1, norm, 1e-5, "key " + r + " is unit length");
                }
                for (int i = pushed * dim; i < after.length; i++) {
                    assertEquals(before[i - pushed * dim], after[i], 0f, "older rows shift down");
                }
                if (!symmetric) {
                    double[][] d = LossCheck.toDouble(new float[][] {fetched[1], keys, before});
                    LossCheck.assertRelativeClose(InfoNceLossTest.reference(d[0], d[1], d[2], BATCH, dim, 12, 0.2),
                            fetched[2][0], 1e-5);
                }
            }
        }
    }
}
