package org.sslbench.plugins.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.train.PretextTrainer;

class RotationSmokeTest {
    @Test
    void fewEpochsLowerTheLossAndLearnTheRotations() {
        PretextTrainer.Result r = MethodSmoke.run(new Rotation(), Map.of("all_four", true), Map.of(), 6, 32, 1e-3);
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        assertTrue(loss[1] < loss[0] * 0.8, "loss should fall: " + loss[0] + " -> " + loss[1]);
        double firstAcc = r.epochs().get(0).metrics().get("rotation_acc");
        double lastAcc = r.epochs().get(r.epochs().size() - 1).metrics().get("rotation_acc");
        assertTrue(lastAcc > firstAcc && lastAcc > 0.4, "rotation accuracy " + firstAcc + " -> " + lastAcc);
        assertTrue(r.finalCollapseStd() > 0, "collapse monitor is computed");
        assertEquals(r.encoderWeights().keySet().stream().allMatch(k -> k.startsWith("encoder/")), true);
    }
}
