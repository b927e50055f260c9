package org.sslbench.plugins.byol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.testing.PretextStep;
import org.sslbench.train.PretextTrainer;

class ByolTest {
    private static final Map<String, Object> SMALL = Map.of("proj_hidden_dim", 16, "proj_output_dim", 8, "pred_hidden_dim", 16);

    /**
     * Six epochs on the tiny stripes dataset, flip only (as MoCo's smoke test: its images differ in
     * pixel noise and stripe phase only, which crops wipe out). The loss is BYOL's L + L̃, in [0, 8].
     */
    @Test
    void fewEpochsLowerTheLossWithoutCollapse() {
        PretextTrainer.Result r = MethodSmoke.run(new Byol(), Map.of("proj_hidden_dim", 128, "pred_hidden_dim", 128,
                "proj_output_dim", 64), Map.of("hflip", true), 6, 32, 1e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        assertTrue(loss[1] < 0.7 * loss[0], "loss should fall: " + loss[0] + " -> " + loss[1]);
        // healthy is about 1/sqrt(64) = 0.125, collapsed 0
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0.02, "collapse std " + r.finalCollapseStd());
    }

    /**
     * τ = 1 − (1 − τ₀)(cos(π·progress) + 1)/2 with τ₀ 0.99: 0.99, 0.995, 1 at progress 0, ½, 1; and
     * each step leaves the target at τ·old target + (1 − τ)·updated online (at τ = 1: unchanged).
     */
    @Test
    void targetFollowsTheOnlineNetworkWithTheCosineTau() {
        try (PretextStep s = new PretextStep(new Byol(), SMALL, new ImageShape(8, 8, 1), 4, 1e-2, 3)) {
            Byol.ByolObjective objective = (Byol.ByolObjective) s.objective();
            double[] progress = {0, 0.5, 1};
            double[] tau = {0.99, 0.995, 1.0};
            for (int i = 0; i < progress.length; i++) {
                assertEquals(tau[i], s.step(progress[i], objective.tau())[0][0], 1e-6, "tau at progress " + progress[i]);
                int checked = s.assertMomentumStep(progress[i], tau[i],
                        Map.of("encoder", Byol.TARGET_ENCODER, Byol.PROJECTOR, Byol.TARGET_PROJECTOR));
                // SmallCnn: 5 kernels + 5 biases; projector: 2 kernels, BN gamma/beta, output bias
                assertEquals(10 + 5, checked);
            }
        }
    }
}
