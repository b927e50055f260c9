package org.sslbench.plugins.simsiam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sslbench.method.Method;
import org.sslbench.method.Params;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.train.EpochLog;
import org.sslbench.train.PretextTrainer;

class SimSiamTest {
    /**
     * The smoke data's class is a stripe phase that crops and flips change, so no feature would be
     * invariant to them; blur and solarization keep it and still make the two views differ.
     */
    private static final Map<String, Object> CONTENT_PRESERVING = Map.of("blur", 0.5, "solarize", 0.2);

    @Test
    void fewEpochsLowerTheLossWithoutCollapsingZ() {
        int dim = 64;
        PretextTrainer.Result r = MethodSmoke.run(new SimSiam(), Map.of("proj_hidden_dim", dim, "proj_output_dim", dim),
                CONTENT_PRESERVING, 6, 32, 1e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        // Seen: about -0.05 -> -0.42.
        assertTrue(loss[1] < loss[0] - 0.2, "loss should fall: " + loss[0] + " -> " + loss[1]);
        for (EpochLog e : r.epochs()) {
            assertTrue(e.loss() >= -1 - 1e-6 && e.loss() <= 1 + 1e-6, "a mean negative cosine: " + e.loss());
        }
        // The paper's own collapse criterion (§4.1): std of ℓ2-normalised z is ≈ 1/√d when healthy,
        // 0 when collapsed. Seen: 0.124 at d = 64; the stop-gradient is what keeps it there.
        double std = r.finalCollapseStd();
        assertTrue(Double.isFinite(std) && std > 0.5 / Math.sqrt(dim), "collapse monitor " + std);
    }

    @Test
    void registeredWithThePapersDefaultsAndSymmetricViews() {
        Method m = ServiceLoader.load(Method.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("simsiam")).findFirst().orElseThrow();
        Params p = Params.of(m, Map.of());
        assertEquals(512, p.getInt("proj_hidden_dim"));
        assertEquals(512, p.getInt("proj_output_dim"));
        assertEquals(128, p.getInt("pred_hidden_dim"));
        assertEquals(2, m.views(p));
        List<Map<String, Object>> views = m.augmentations();
        assertEquals(1, views.size(), "one pipeline for both views");
        assertEquals(0.4, views.get(0).get("saturation"));
        assertEquals(0.2, views.get(0).get("crop"));
        assertFalse(views.get(0).containsKey("solarize") || views.get(0).containsKey("blur"));
    }
}
