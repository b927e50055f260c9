package org.sslbench.plugins.vicreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class VicregTest {
    /**
     * The smoke data's class is a stripe phase that crops and flips change, so no feature would be
     * invariant to them; blur and solarization keep it and still make the two views differ.
     */
    private static final Map<String, Object> CONTENT_PRESERVING = Map.of("blur", 0.5, "solarize", 0.2);

    @Test
    void fewEpochsLowerTheLossAndTheLoggedTermsMakeIt() {
        PretextTrainer.Result r = MethodSmoke.run(new Vicreg(), Map.of("proj_hidden_dim", 64, "proj_output_dim", 64), CONTENT_PRESERVING, 6, 32, 1e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        // Seen: about 35.6 -> 23.9, mostly the invariance term (0.67 -> 0.27).
        assertTrue(loss[1] < 0.8 * loss[0], "loss should fall: " + loss[0] + " -> " + loss[1]);
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0, "collapse monitor " + r.finalCollapseStd());
        for (EpochLog e : r.epochs()) {
            Map<String, Double> m = e.metrics();
            double expected = 25 * m.get("invariance") + 25 * m.get("variance") + m.get("covariance");
            assertEquals(expected, e.loss(), 1e-4 * expected, "epoch " + e.epoch() + ": " + m);
            // Two branches, each hinge at most γ − √ε = 0.99 per dimension.
            assertTrue(m.get("variance") >= 0 && m.get("variance") <= 2 * 0.99, "variance term " + m);
        }
    }

    @Test
    void identicalViewsCostNoInvarianceAndWeightParamsReachTheLoss() {
        PretextTrainer.Result r = MethodSmoke.run(new Vicreg(),
                Map.of("proj_hidden_dim", 32, "proj_output_dim", 32, "lambda", 5.0, "mu", 10.0, "nu", 2.0), Map.of(), 1, 32, 1e-3);
        Map<String, Double> m = r.epochs().get(0).metrics();
        // Same images through the same (shared) encoder and expander: z = z'.
        assertEquals(0, m.get("invariance"), 1e-9);
        assertTrue(m.get("variance") > 0 && m.get("covariance") > 0, "random embeddings pay both regularisers: " + m);
        double expected = 10 * m.get("variance") + 2 * m.get("covariance");
        assertEquals(expected, r.epochs().get(0).loss(), 1e-4 * expected);
    }

    @Test
    void registeredWithThePapersDefaultsAndViewPair() {
        Method m = ServiceLoader.load(Method.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("vicreg")).findFirst().orElseThrow();
        Params p = Params.of(m, Map.of());
        assertEquals(25.0, p.getDouble("lambda"));
        assertEquals(25.0, p.getDouble("mu"));
        assertEquals(1.0, p.getDouble("nu"));
        assertEquals(512, p.getInt("proj_hidden_dim"));
        assertEquals(512, p.getInt("proj_output_dim"));
        assertEquals(2, m.views(p));
        List<Map<String, Object>> views = m.augmentations();
        assertEquals(2, views.size());
        assertEquals(List.of(0.0, 0.2), List.of(views.get(0).get("solarize"), views.get(1).get("solarize")));
        assertEquals(0.2, views.get(0).get("crop"));
    }
}
