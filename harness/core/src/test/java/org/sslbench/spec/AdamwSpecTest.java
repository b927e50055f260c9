package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testing.FakeCatalog;

/**
 * The {@code adamw} optimizer's keys ({@code beta1}, {@code beta2}, {@code epsilon}, and
 * {@code weight_decay} as decoupled decay): PyTorch's defaults, the global → method merge, and
 * keys refused where they would have no effect.
 */
class AdamwSpecTest {
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

    /** pytorch/pytorch torch/optim/adamw.py@002d2f0b: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2. */
    @Test
    void adamwDefaultsArePyTorchs() throws Exception {
        OptimizerSpec o = methodOptimizer("{name: adamw}", "");
        assertEquals(OptimizerSpec.adamw(1e-3, 1e-2, new OptimizerSpec.AdamW(0.9, 0.999, 1e-8), true), o);
        assertTrue(o.excludesBiasBn(), "biases and BatchNorm are excluded from the decay by default, as for every optimizer");
    }

    @Test
    void methodBlockInheritsAdamwSettings() throws Exception {
        OptimizerSpec o = methodOptimizer("{name: adamw, lr: 0.002, weight_decay: 0.05, beta1: 0.8, beta2: 0.99,"
                + " epsilon: 1.0e-6, exclude_bias_bn: false}", "{lr: 0.0005}");
        assertEquals(OptimizerSpec.adamw(5e-4, 0.05, new OptimizerSpec.AdamW(0.8, 0.99, 1e-6), false), o);
    }

    @Test
    void switchingToOrFromAdamwStartsFromTheDefaults() throws Exception {
        // sgd's momentum and weight decay do not carry over; adamw's own decay default applies
        assertEquals(OptimizerSpec.adamw(1e-3, 1e-2, OptimizerSpec.AdamW.DEFAULTS, true),
                methodOptimizer("{name: sgd, lr: 0.1, momentum: 0.8, weight_decay: 5.0e-4}", "{name: adamw, lr: 0.001}"));
        // adamw's betas, epsilon and decay do not carry over to adam
        assertEquals(new OptimizerSpec("adam", 1e-3, 0.9, 0, false),
                methodOptimizer("{name: adamw, beta1: 0.5, epsilon: 1.0e-6}", "{name: adam}"));
        SpecException e = assertThrows(SpecException.class,
                () -> methodOptimizer("{name: lars, lr: 0.3}", "{name: adamw}"));
        assertTrue(e.getMessage().contains("optimizer 'adamw' replaces 'lars' (lr 0.3,"), e.getMessage());
    }

    @Test
    void betasAreRefusedForAdamWhoseBetasAreFixed() {
        SpecException e = assertThrows(SpecException.class, () -> methodOptimizer("{name: adam, beta1: 0.8}", ""));
        assertEquals("pretext.optimizer.beta1", e.field());
        assertTrue(e.getMessage().contains("beta1 applies only to optimizer 'adamw' and would have no effect on 'adam';"
                + " remove it, or write name: adamw (adam's are fixed: beta1 0.9, beta2 0.999, epsilon 1e-7 as Keras)"),
                e.getMessage());
    }

    @Test
    void excludeBiasBnFalseWithoutDecayIsRefusedForAdamw() {
        SpecException e = assertThrows(SpecException.class,
                () -> methodOptimizer("{name: adamw, weight_decay: 0, exclude_bias_bn: false}", ""));
        assertTrue(e.getMessage().contains("exclude_bias_bn: false has no effect on 'adamw' with weight_decay 0"),
                e.getMessage());
    }

    @Test
    void beta2RoundingToOneAsFloat32IsRefused() {
        SpecException e = assertThrows(SpecException.class,
                () -> methodOptimizer("{name: adamw, beta2: 0.9999999999}", ""));
        assertTrue(e.getMessage().contains("also as a 32-bit float"), e.getMessage());
    }
}
