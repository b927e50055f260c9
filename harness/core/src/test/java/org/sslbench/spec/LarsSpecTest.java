package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testing.FakeCatalog;

/**
 * The optimizer keys added with LARS ({@code eta}, {@code clip_lr}, {@code exclude_bias_bn}):
 * defaults, the global → method merge, and values that are dropped when inherited by an optimizer
 * they mean nothing to (so they neither act nor split hashes).
 */
class LarsSpecTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();
    private static final String SPEC = """
            name: t
            datasets: [tiny]
            backbone: small-cnn
            labels: [100]
            protocols: {knn: {}}
            """;

    private static OptimizerSpec methodOptimizer(String global, String method) throws Exception {
        String yaml = SPEC + "methods: [{name: rotation" + (method.isEmpty() ? "" : ", pretext: {optimizer: " + method + "}")
                + "}]\n" + (global.isEmpty() ? "" : "pretext: {optimizer: " + global + "}\n");
        return SpecLoader.load("t.yaml", yaml, CATALOG, null).methods().get(0).pretext().optimizer();
    }

    @Test
    void larsDefaultsAreSoloLearnsClassDefaults() throws Exception {
        OptimizerSpec o = methodOptimizer("{name: lars, lr: 0.3}", "");
        assertEquals(OptimizerSpec.lars(0.3, 0.9, 0, false, 1e-3, false, true), o);
        assertTrue(o.excludesBiasBn());
    }

    @Test
    void methodBlockInheritsLarsSettings() throws Exception {
        OptimizerSpec o = methodOptimizer("{name: lars, lr: 0.3, weight_decay: 1.0e-4, eta: 0.02, clip_lr: true, exclude_bias_bn: false}",
                "{lr: 0.5}");
        assertEquals(OptimizerSpec.lars(0.5, 0.9, 1e-4, false, 0.02, true, false), o);
    }

    @Test
    void switchingAwayFromLarsDropsWhatNoLongerActs() throws Exception {
        // Another optimizer starts from the harness defaults: a LARS eta, clip_lr, exclude_bias_bn or an
        // SGD weight decay means nothing to it and does not carry over; its lr must be written.
        OptimizerSpec o = methodOptimizer("{name: lars, lr: 0.3, eta: 0.02, clip_lr: true, exclude_bias_bn: false}",
                "{name: sgd, lr: 0.05}");
        assertEquals(new OptimizerSpec("sgd", 0.05, 0.9, 0, false), o);
        OptimizerSpec adam = methodOptimizer("{name: sgd, lr: 0.3, weight_decay: 5.0e-4, exclude_bias_bn: false}",
                "{name: adam, lr: 0.001}");
        assertEquals(new OptimizerSpec("adam", 0.001, 0.9, 0, false), adam, "no SGD weight decay carries over");
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
                () -> methodOptimizer("{name: lars, lr: 0.3, weight_decay: 1.0e-4}", "{name: sgd}"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("optimizer 'sgd' replaces 'lars' (lr 0.3,"
                + " weight_decay 1.0E-4, from the method's preset or an outer block) and starts from the harness defaults,"
                + " where lr would be 0.001; write lr here too"), e.getMessage());
        // With weight decay it still acts and is kept.
        assertEquals(new OptimizerSpec("sgd", 0.1, 0.9, 5e-4, false).withExcludeBiasBn(false),
                methodOptimizer("{name: sgd, lr: 0.1, weight_decay: 5.0e-4, exclude_bias_bn: false}", "{lr: 0.1}"));
    }

    @Test
    void larsWithoutDecayStillAdaptsBiasesWhenTheyAreIncluded() throws Exception {
        OptimizerSpec o = methodOptimizer("{name: lars, lr: 0.3, exclude_bias_bn: false}", "");
        assertEquals(false, o.excludesBiasBn());
    }

    @Test
    void etaZeroIsRefusedAtItsLine() {
        SpecException e = assertThrows(SpecException.class,
                () -> methodOptimizer("{name: lars, lr: 0.3}", "{eta: 0}"));
        assertEquals(6, e.line());
        assertEquals("methods[0].pretext.optimizer.eta", e.field());
        assertTrue(e.getMessage().contains("must be in (0, 1], got 0 (LARS trust coefficient"), e.getMessage());
    }

    @Test
    void momentumAndNesterovApplyToLars() throws Exception {
        assertEquals(OptimizerSpec.lars(0.3, 0.8, 0, true, 1e-3, false, true),
                methodOptimizer("{name: lars, lr: 0.3, momentum: 0.8, nesterov: true}", ""));
    }
}
