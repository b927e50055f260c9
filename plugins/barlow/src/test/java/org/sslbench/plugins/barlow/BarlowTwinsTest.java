package org.sslbench.plugins.barlow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sslbench.losses.BarlowTwinsLoss;
import org.sslbench.method.Method;
import org.sslbench.method.Params;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.train.EpochLog;
import org.sslbench.train.PretextTrainer;

class BarlowTwinsTest {
    /**
     * The smoke data's class is a stripe phase that crops and flips change, so no feature would be
     * invariant to them; blur and solarization keep it and still make the two views differ.
     */
    private static final Map<String, Object> CONTENT_PRESERVING = Map.of("blur", 0.5, "solarize", 0.2);

    @Test
    void fewEpochsLowerTheLossWithoutCollapse() {
        PretextTrainer.Result r = MethodSmoke.run(new BarlowTwins(), Map.of("proj_hidden_dim", 64, "proj_output_dim", 64), CONTENT_PRESERVING, 6, 32, 1e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        // Seen: about 17.4 -> 5.1 (the invariance term drops from ~15.6 to ~2).
        assertTrue(loss[1] < 0.5 * loss[0], "loss should fall: " + loss[0] + " -> " + loss[1]);
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0, "collapse monitor " + r.finalCollapseStd());
        for (EpochLog e : r.epochs()) { // the logged terms are the ones the loss is made of
            double expected = e.metrics().get("invariance") + BarlowTwinsLoss.DEFAULT_LAMBDA * e.metrics().get("redundancy");
            assertEquals(expected, e.loss(), 1e-4 * expected, "epoch " + e.epoch());
        }
    }

    @Test
    void identicalViewsShareOneProjectorAndLambdaWeighsTheRedundancy() {
        double lambda = 0.02;
        PretextTrainer.Result r = MethodSmoke.run(new BarlowTwins(), Map.of("proj_hidden_dim", 32, "proj_output_dim", 32, "lambda", lambda), Map.of(), 1, 32, 1e-3);
        EpochLog e = r.epochs().get(0);
        // Same images through the same (shared) encoder and projector: C_ii = 1, nothing to pay for invariance.
        assertEquals(0, e.metrics().get("invariance"), 1e-4);
        assertTrue(e.metrics().get("redundancy") > 1, "random projections are correlated: " + e.metrics());
        assertEquals(lambda * e.metrics().get("redundancy"), e.loss(), 1e-4 * e.loss());
    }

    /** scale_loss multiplies the whole loss (solo-learn's barlow_loss_func); the logged terms stay unscaled. */
    @Test
    void scaleLossScalesTheLoss() {
        double lambda = 0.02;
        double scale = 0.1;
        PretextTrainer.Result r = MethodSmoke.run(new BarlowTwins(),
                Map.of("proj_hidden_dim", 32, "proj_output_dim", 32, "lambda", lambda, "scale_loss", scale), Map.of(), 1, 32, 1e-3);
        EpochLog e = r.epochs().get(0);
        double unscaled = e.metrics().get("invariance") + lambda * e.metrics().get("redundancy");
        assertTrue(unscaled > 1, "the unscaled loss is large enough to tell the scale: " + e.metrics());
        assertEquals(scale * unscaled, e.loss(), 1e-4 * e.loss());
    }

    @Test
    void registeredWithThePapersDefaultsAndViewPair() {
        Method m = ServiceLoader.load(Method.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("barlow")).findFirst().orElseThrow();
        Params p = Params.of(m, Map.of());
        assertEquals(5e-3, p.getDouble("lambda"));
        assertEquals(1.0, p.getDouble("scale_loss"), "preset none: the unscaled loss");
        assertEquals(512, p.getInt("proj_hidden_dim"));
        assertEquals(512, p.getInt("proj_output_dim"));
        assertEquals(2, m.views(p));
        List<Map<String, Object>> views = m.augmentations();
        assertEquals(2, views.size());
        assertEquals(0.0, views.get(0).get("solarize"));
        assertEquals(0.2, views.get(1).get("solarize"));
        for (Map<String, Object> v : views) {
            assertEquals(0.2, v.get("crop"));
            assertEquals(0.8, v.get("jitter"));
            assertEquals(0.2, v.get("saturation"));
            assertFalse(v.containsKey("blur"), "blur is off for small images");
        }
    }
}
