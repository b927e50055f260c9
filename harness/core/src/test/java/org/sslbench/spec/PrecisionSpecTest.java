package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.engine.Precision;
import org.sslbench.testing.FakeCatalog;

/**
 * {@code precision} (issue 16): at the top level (every block's default, else fp32), in the pretext
 * blocks (global and per method) and in every protocol block (knn and the L-BFGS linear probe
 * included: their frozen features are computed in it); the innermost written value wins; anything
 * but fp32, bf16 or fp16 is refused at its line with the allowed values and the nearest one.
 */
class PrecisionSpecTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();
    /** Six lines; line 7 on is the test's. */
    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100]\n"
            + "methods: [supervised, rotation]\nprotocols: {finetune: {}, linear: {}, knn: {}}\n";

    private static Spec load(String yaml) throws SpecException {
        return SpecLoader.load("t.yaml", yaml, CATALOG, Overrides.NONE);
    }

    @Test
    void absentMeansFp32Everywhere() throws SpecException {
        Spec spec = load(HEAD);
        assertEquals(Precision.FP32, spec.methods().get(1).pretext().precision());
        for (ProtocolSpec p : spec.protocols().values()) {
            assertEquals(Precision.FP32, p.precision(), p.name());
        }
        assertEquals(Precision.FP32, spec.protocols().get("finetune").train().precision());
        assertNull(spec.protocols().get("linear").train(), "the default linear probe (selection labelled) has no SGD block");
    }

    @Test
    void topLevelReachesEveryBlock() throws SpecException {
        Spec spec = load(HEAD + "precision: bf16\n");
        assertEquals(Precision.BF16, spec.methods().get(1).pretext().precision());
        for (ProtocolSpec p : spec.protocols().values()) {
            assertEquals(Precision.BF16, p.precision(), p.name());
        }
        assertEquals(Precision.BF16, spec.protocols().get("finetune").train().precision());
    }

    @Test
    void aBlockOverridesTheTopLevelAndTheMethodsPretextTheGlobalOne() throws SpecException {
        Spec spec = load(HEAD.replace("protocols: {finetune: {}, linear: {}, knn: {}}",
                        "protocols: {finetune: {precision: fp32}, linear: {selection: fixed}, knn: {precision: fp16}}")
                + "precision: bf16\npretext: {precision: fp16}\n");
        assertEquals(Precision.FP16, spec.methods().get(1).pretext().precision(), "global pretext block over top level");
        Spec own = load(HEAD.replace("methods: [supervised, rotation]",
                "methods: [supervised, {name: rotation, pretext: {precision: fp32}}]")
                + "precision: bf16\npretext: {precision: fp16}\n");
        assertEquals(Precision.FP32, own.methods().get(1).pretext().precision(), "method's own pretext block over both");
        assertEquals(Precision.BF16, own.protocols().get("knn").precision());
        assertEquals(Precision.FP32, spec.protocols().get("finetune").precision());
        assertEquals(Precision.FP32, spec.protocols().get("finetune").train().precision());
        assertEquals(Precision.BF16, spec.protocols().get("linear").precision(), "top level");
        assertEquals(Precision.BF16, spec.protocols().get("linear").train().precision(), "the SGD probe's block too");
        assertEquals(Precision.FP16, spec.protocols().get("knn").precision());
    }

    @Test
    void anUnknownValueIsRefusedAtItsLineWithTheAllowedValues() {
        SpecException top = assertThrows(SpecException.class, () -> load(HEAD + "precision: bf61\n"));
        assertEquals(7, top.line(), top.getMessage());
        assertEquals("precision", top.field());
        assertTrue(top.getMessage().contains("unknown precision 'bf61'; did you mean 'bf16'? allowed: bf16, fp16, fp32"),
                top.getMessage());
        assertTrue(top.getMessage().contains("t.yaml"), top.getMessage());

        SpecException knn = assertThrows(SpecException.class, () -> load(HEAD.replace("knn: {}", "knn: {precision: half}")));
        assertEquals(6, knn.line(), knn.getMessage());
        assertEquals("protocols.knn.precision", knn.field());
        assertTrue(knn.getMessage().contains("unknown precision 'half'"), knn.getMessage());
        assertTrue(knn.getMessage().contains("allowed: bf16, fp16, fp32"), knn.getMessage());

        SpecException pretext = assertThrows(SpecException.class, () -> load(HEAD + "pretext:\n  precision: FP16x\n"));
        assertEquals(8, pretext.line(), pretext.getMessage());
        assertEquals("pretext.precision", pretext.field());

        SpecException number = assertThrows(SpecException.class, () -> load(HEAD + "precision: 16\n"));
        assertEquals(7, number.line(), number.getMessage());
    }
}
