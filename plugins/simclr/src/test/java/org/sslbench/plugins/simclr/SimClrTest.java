package org.sslbench.plugins.simclr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Net;
import org.sslbench.testing.PretextStep;
import org.sslbench.method.Params;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.train.Augmenter;
import org.sslbench.train.PretextTrainer;

class SimClrTest {
    /** Batch 32: 2·32 − 1 = 63 candidates per row, so uniform guessing costs ln 63 ≈ 4.14 and hits 1/63 of the rows. */
    @Test
    void fewEpochsLowerTheLossBelowChance() {
        int batch = 32;
        PretextTrainer.Result r = MethodSmoke.run(new SimClr(), Map.of("proj_hidden_dim", 64, "proj_output_dim", 32),
                Map.of("crop", 0.5, "hflip", true), 10, batch, 3e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        double chance = Math.log(2 * batch - 1);
        // measured 5.23 -> 3.81
        assertTrue(loss[1] < loss[0] * 0.85, "loss should fall: " + loss[0] + " -> " + loss[1]);
        assertTrue(loss[1] < chance, "loss " + loss[1] + " should beat uniform guessing " + chance);
        // measured 0.125 in the last epoch (per-epoch mean over 5 steps, noisy)
        double lastAcc = r.epochs().get(r.epochs().size() - 1).metrics().get("contrastive_acc");
        assertTrue(lastAcc > 3.0 / (2 * batch - 1), "contrastive accuracy " + lastAcc + " vs chance " + 1.0 / (2 * batch - 1));
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0, "collapse std " + r.finalCollapseStd());
    }

    /**
     * proj_batch_norm true (default): Linear-BN-ReLU-Linear, the hidden Linear without bias;
     * false: solo-learn's Linear-ReLU-Linear, no BatchNorm variable and a bias on the hidden Linear.
     */
    @Test
    void projectorBatchNormSwitch() {
        for (boolean bn : new boolean[] {true, false}) {
            Map<String, Object> params = Map.of("proj_hidden_dim", 16, "proj_output_dim", 8, "proj_batch_norm", bn);
            try (PretextStep s = new PretextStep(new SimClr(), params, new ImageShape(8, 8, 1), 4, 1e-2, 1)) {
                List<String> names = s.net().vars(Net.under("projector")).stream().map(Net.Var::name).toList();
                assertEquals(bn, names.stream().anyMatch(n -> n.startsWith("projector/bn0/")), "BN variables: " + names);
                assertEquals(!bn, names.contains("projector/fc0/bias"), "hidden bias: " + names);
                assertTrue(names.contains("projector/fc1/bias"), "output Linear has a bias: " + names);
                float loss = s.step(0.0, s.objective().loss())[0][0];
                assertTrue(Float.isFinite(loss), "loss " + loss);
            }
        }
    }

    @Test
    void declaresTwoViewsTheSymmetricPipelineAndThePaperDefaults() {
        SimClr m = new SimClr();
        Params p = Params.of(m, Map.of());
        assertEquals(2, m.views(p));
        assertEquals(0.1, p.getDouble("temperature"));
        assertEquals(128, p.getInt("proj_output_dim"));
        assertTrue(p.getBoolean("proj_batch_norm"), "preset none keeps the BN projector");
        assertEquals(1, m.augmentations().size(), "one pipeline for both views");
        Map<String, Object> a = m.augmentations().get(0);
        assertEquals(0.2, a.get("crop"));
        assertFalse(a.containsKey("blur"), "no blur for small images");
        assertTrue(Augmenter.KNOWN.keySet().containsAll(a.keySet()), "every key is an Augmenter key: " + a.keySet());
    }
}
