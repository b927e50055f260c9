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
}
