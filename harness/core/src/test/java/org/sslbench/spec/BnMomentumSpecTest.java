package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.testing.FakeCatalog;

/**
 * {@code bn_momentum}: read in pretext blocks (merged per method like the other keys) and in
 * {@code protocols.finetune}, range [0, 1), refused where BatchNorm statistics are never updated
 * (linear, knn), and the default stored as absent so it never enters a hash.
 */
class BnMomentumSpecTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();
    /** Six lines; line 7 on is the test's. */
    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: resnet20\nlabels: [100]\n"
            + "protocols: {finetune: {}}\nmethods: [supervised, rotation]\n";

    private static Spec load(String yaml) throws SpecException {
        return SpecLoader.load("t.yaml", yaml, CATALOG, Overrides.NONE);
    }

    private static SpecException refused(String yaml) {
        return assertThrows(SpecException.class, () -> load(yaml));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            1.0   | must be in [0, 1), got 1 (BatchNorm moving-average momentum m, Keras convention: moving = m*moving + (1 - m)*batch, PyTorch's momentum is 1 - m; 1 would never update the statistics; default 0.9)
            1     | must be in [0, 1), got 1 (
            -0.1  | must be in [0, 1), got -0.1 (
            1.5   | must be in [0, 1), got 1.5 (
            fast  | expected number, got string 'fast'
            0.9999999999 | must be in [0, 1) also as a 32-bit float (the computation uses float32, where this value becomes 1.0), got 0.9999999999 (
            1e-50 | must be 0 or of magnitude between 1.17549435E-38 and 3.4028235E38 (the computation uses 32-bit floats, where this value becomes 0, subnormal or infinite), got 1.0E-50 (
            """)
    void outOfRangeOrNonNumericIsRefusedAtItsLine(String value, String message) {
        for (String block : new String[] {"pretext:\n  bn_momentum: " + value + "\n",
                "methods: [supervised, {name: rotation, pretext: {bn_momentum: " + value + "}}]\n"}) {
            SpecException e = refused(block.startsWith("methods") ? HEAD.replace("methods: [supervised, rotation]\n", block)
                    : HEAD + block);
            assertEquals(block.startsWith("methods") ? 6 : 8, e.line(), e.getMessage());
            assertEquals(block.startsWith("methods") ? "methods[1].pretext.bn_momentum" : "pretext.bn_momentum", e.field());
            assertTrue(e.getMessage().contains(message), e.getMessage());
        }
        SpecException e = refused(HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {bn_momentum: "
                + value + "}"));
        assertEquals(6, e.line(), e.getMessage());
        assertEquals("protocols.finetune.bn_momentum", e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            linear | linear: {bn_momentum: 0.99}
            knn    | knn: {k: 5, bn_momentum: 0.99}
            """)
    void frozenEncoderProtocolsRefuseIt(String protocol, String block) {
        SpecException e = refused(HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {}\n  " + block));
        assertEquals(7, e.line(), e.getMessage());
        assertEquals("protocols." + protocol + ".bn_momentum", e.field());
        assertTrue(e.getMessage().contains("bn_momentum has no effect here: this protocol uses the frozen encoder's"
                + " features in eval mode"), e.getMessage());
        assertTrue(e.getMessage().contains("remove it"), e.getMessage());
    }

    @Test
    void acceptedValuesReachTheBlocks() throws SpecException {
        Spec spec = load(HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {bn_momentum: 0.5}")
                + "pretext:\n  bn_momentum: 0\n");
        assertEquals(0.0, spec.methods().get(1).pretext().bnMomentumValue());
        assertEquals(0.5, spec.protocols().get("finetune").train().bnMomentumValue());
        assertEquals(null, spec.methods().get(0).pretext(), "the baseline has no pretext block at all");
    }

    @Test
    void absentAndTheDefaultAreTheSameEmptySetting() throws SpecException {
        Spec absent = load(HEAD);
        Spec explicit = load(HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {bn_momentum: 0.9}")
                + "pretext:\n  bn_momentum: 0.9\n");
        for (Spec s : new Spec[] {absent, explicit}) {
            assertEquals(Optional.empty(), s.methods().get(1).pretext().bnMomentum());
            assertEquals(Optional.empty(), s.protocols().get("finetune").train().bnMomentum());
            assertEquals(TrainSpec.DEFAULT_BN_MOMENTUM, s.methods().get(1).pretext().bnMomentumValue());
        }
        assertEquals(absent.methods(), explicit.methods());
        assertEquals(absent.protocols(), explicit.protocols());
    }

    /** Per-method pretext blocks merge over the global one key by key, bn_momentum included. */
    @ParameterizedTest(name = "global {0}, own {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0.99 |      | 0.99
            0.99 | 0.95 | 0.95
                 | 0.95 | 0.95
            0.99 | 0.9  | 0.9
                 |      | 0.9
            """)
    void perMethodPretextMergesOverTheGlobalOne(String global, String own, double expected) throws SpecException {
        String yaml = HEAD.replace("methods: [supervised, rotation]",
                "methods: [supervised, {name: rotation, pretext: {epochs: 3" + (own == null ? "" : ", bn_momentum: " + own) + "}}]")
                + "pretext:\n  epochs: 2\n" + (global == null ? "" : "  bn_momentum: " + global + "\n");
        TrainSpec pretext = load(yaml).methods().get(1).pretext();
        assertEquals(3, pretext.epochs(), "the method's own keys still win");
        assertEquals(expected, pretext.bnMomentumValue());
        assertEquals(expected == TrainSpec.DEFAULT_BN_MOMENTUM, pretext.bnMomentum().isEmpty(),
                "the default is stored as absent, also when it overrides a global value");
    }

    /** Fine-tuning has BatchNorm only in the backbone: with none that has it, the value acts on nothing. */
    @Test
    void finetuneRefusesItWhenNoBackboneHasBatchNorm() throws SpecException {
        String finetune = HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {bn_momentum: 0.99}");
        SpecException e = refused(finetune.replace("backbone: resnet20", "backbone: small-cnn"));
        assertEquals(6, e.line(), e.getMessage());
        assertEquals("protocols.finetune.bn_momentum", e.field());
        assertTrue(e.getMessage().contains("no backbone of this spec (small-cnn) has BatchNorm; remove it"), e.getMessage());
        assertEquals(0.99, load(finetune.replace("backbone: resnet20", "backbones: [small-cnn, resnet20]"))
                .protocols().get("finetune").train().bnMomentumValue(), "acts on the resnet20 cells");
        // A pretext block's value may act on a method's heads, so it is not refused on small-cnn.
        assertEquals(0.99, load(HEAD.replace("backbone: resnet20", "backbone: small-cnn") + "pretext:\n  bn_momentum: 0.99\n")
                .methods().get(1).pretext().bnMomentumValue());
    }

    @Test
    void theBlocksAllowedKeysNameIt() {
        SpecException e = refused(HEAD + "pretext:\n  bn_momentun: 0.99\n");
        assertTrue(e.getMessage().contains("did you mean 'bn_momentum'?"), e.getMessage());
    }

    /** Just below the float32 rounding to 1 and the smallest normal float32 still load, with their value. */
    @Test
    void valuesThatSurviveFloat32AreKept() throws Exception {
        for (double v : new double[] {0.99999, 1.2e-38}) {
            Spec spec = load(HEAD.replace("backbone: resnet20", "backbone: small-cnn") + "pretext:\n  bn_momentum: " + v + "\n");
            assertEquals(Optional.of(v), spec.methods().get(1).pretext().bnMomentum());
            assertTrue((float) v < 1f && (float) v > 0f);
        }
    }

    /** The other training numbers that reach the graph as float32 follow the same rule, at their line. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            optimizer: {lr: 1e-50}                 | pretext.optimizer.lr           | must be 0 or of magnitude between 1.17549435E-38
            optimizer: {momentum: 0.9999999999}    | pretext.optimizer.momentum     | must be in [0, 1) also as a 32-bit float
            optimizer: {momentum: 1e-45}           | pretext.optimizer.momentum     | must be 0 or of magnitude between
            optimizer: {weight_decay: 1e-40}       | pretext.optimizer.weight_decay | must be 0 or of magnitude between
            schedule: {name: step, milestones: [1], factors: [1e-50]} | pretext.schedule.factors[0] | must be 0 or of magnitude between
            """)
    void optimizerNumbersLostInFloat32AreRefused(String block, String field, String message) {
        SpecException e = refused(HEAD + "pretext:\n  " + block + "\n");
        assertEquals(8, e.line(), e.getMessage());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
