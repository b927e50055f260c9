package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.method.Params;
import org.sslbench.testing.FakeCatalog;

/**
 * A protocol's own params (Protocol#params, here supcon's) in a spec's protocol block: defaults,
 * overrides, typos and ranges refused at their line, params in the hash; supcon's training
 * defaults; the protocol's kind from its declaration.
 */
class ProtocolParamsSpecTest {
    private static final String BASE = """
            name: p
            datasets: [tiny]
            backbone: small-cnn
            methods: [supervised]
            labels: [100]
            protocols:
              finetune: {epochs: 2}
              supcon: SUPCON
            """;

    private static Spec load(String supcon) throws SpecException {
        return SpecLoader.load("t.yaml", BASE.replace("SUPCON", supcon), new FakeCatalog(), null);
    }

    private static String refusal(String supcon) {
        return assertThrows(SpecException.class, () -> load(supcon)).getMessage();
    }

    @Test
    void anEmptyBlockGetsTheDeclaredDefaultsAndSupConsTrainingDefaults() throws SpecException {
        ProtocolSpec p = load("{}").protocols().get("supcon");
        assertEquals(new Params(Map.of("temperature", 0.1, "proj_hidden_dim", 0, "proj_output_dim", 128)), p.params());
        assertEquals(Defaults.SUPCON, p.train());
        assertEquals("sgd", p.train().optimizer().name());
        assertEquals(0.2, p.train().augment().get("crop"));
        assertTrue(p.kind().trainsEncoder() && !p.kind().usesUnlabeled());
        assertFalse(p.frozenFeatures());
        // its linear stage always selects on the labelled subset
        assertEquals(ProtocolSpec.LABELLED, p.selectionName());
        // finetune, linear, knn: no params
        assertTrue(load("{}").protocols().get("finetune").params().isEmpty());
    }

    @Test
    void writtenParamsAndTrainingKeysSitSideBySideAndEnterTheHash() throws SpecException {
        ProtocolSpec p = load("{epochs: 3, batch_size: 16, temperature: 0.5, proj_output_dim: 32, augment: {shift: 0.2}}")
                .protocols().get("supcon");
        assertEquals(0.5, p.params().getDouble("temperature"));
        assertEquals(32, p.params().getInt("proj_output_dim"));
        assertEquals(3, p.train().epochs());
        assertEquals(0.2, p.train().augment().get("shift")); // overlaid on supcon's default pipeline
        assertEquals(0.2, p.train().augment().get("crop"));
        ProtocolSpec defaults = load("{epochs: 3, batch_size: 16, proj_output_dim: 32, augment: {shift: 0.2}}")
                .protocols().get("supcon");
        assertNotEquals(org.sslbench.matrix.ConfigHash.of(defaults), org.sslbench.matrix.ConfigHash.of(p));
        assertTrue(org.sslbench.matrix.ConfigHash.flatten(Map.of("protocol", p)).containsKey("protocol.params.temperature"));
        // the kind is not hashed: it follows from the name
        assertFalse(org.sslbench.matrix.ConfigHash.canonical(p).contains("trains"));
    }

    @Test
    void aMisspeltParamGetsADidYouMeanAtItsLine() {
        String m = refusal("{temprature: 0.2}");
        assertTrue(m.contains(":8:") && m.contains("protocols.supcon.temprature") && m.contains("did you mean 'temperature'"), m);
    }

    @Test
    void aParamOutsideItsRangeIsRefusedWithTheRangeAndDefault() {
        String m = refusal("{temperature: 0}");
        assertTrue(m.contains(":8:") && m.contains("supcon param 'temperature' must be") && m.contains("default 0.1"), m);
        String width = refusal("{proj_output_dim: 0}");
        assertTrue(width.contains("supcon param 'proj_output_dim' must be in [1, 16384], got 0"), width);
        String type = refusal("{proj_hidden_dim: 1.5}");
        assertTrue(type.contains("protocols.supcon.proj_hidden_dim"), type);
    }

    @Test
    void supConTakesNoSelectionAndATopLevelFixedLeavesItLabelled() throws SpecException {
        String m = refusal("{selection: fixed}");
        assertTrue(m.contains("protocols.supcon.selection"), m);
        Spec fixed = SpecLoader.load("t.yaml", BASE.replace("SUPCON", "{}").replace("protocols:", "selection: fixed\nprotocols:"),
                new FakeCatalog(), null);
        assertEquals(ProtocolSpec.LABELLED, fixed.protocols().get("supcon").selectionName());
        assertEquals(ProtocolSpec.FIXED, fixed.protocols().get("finetune").selectionName());
    }

    @Test
    void augmentAndBnMomentumApplyToAProtocolThatTrainsTheEncoder() throws SpecException {
        Spec spec = SpecLoader.load("t.yaml", BASE.replace("SUPCON", "{augment: {hflip: true}, bn_momentum: 0.99}")
                .replace("small-cnn", "resnet20"), new FakeCatalog(), null);
        assertEquals(0.99, spec.protocols().get("supcon").train().bnMomentumValue(), 0);
        // small-cnn has no BatchNorm: refused as in finetune, naming the protocol
        String m = refusal("{bn_momentum: 0.99}");
        assertTrue(m.contains("protocols.supcon.bn_momentum") && m.contains("supcon trains the backbone"), m);
    }

    @Test
    void theOtherProtocolsKeepTheirKinds() throws SpecException {
        Spec spec = SpecLoader.load("t.yaml", BASE.replace("  supcon: SUPCON\n", "  linear: {}\n  knn: {}\n"),
                new FakeCatalog(), null);
        assertEquals(List.of(false, true, true), spec.protocols().values().stream().map(ProtocolSpec::frozenFeatures).toList());
    }

    @Test
    void unlabeledLimitActsOnFixMatchsPoolEvenWithoutAPretrainingMethod() throws SpecException {
        String spec = """
                name: p
                datasets:
                  - {name: tiny, unlabeled_limit: 10}
                backbone: small-cnn
                methods: [supervised]
                labels: [100]
                protocols:
                  PROTOCOL
                """;
        // fixmatch reads the dataset's unlabeled pool (after the cap), so the cap has an effect
        Spec s = SpecLoader.load("t.yaml", spec.replace("PROTOCOL", "fixmatch: {epochs: 1}"), new FakeCatalog(), null);
        assertEquals(10, s.datasets().get(0).unlabeledLimit());
        assertTrue(s.protocols().get("fixmatch").kind().usesUnlabeled());
        // without a protocol that reads the pool, the same cap is refused at its line
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load("t.yaml", spec.replace("PROTOCOL", "finetune: {epochs: 1}"), new FakeCatalog(), null));
        assertTrue(e.getMessage().contains("unlabeled_limit has no effect"), e.getMessage());
    }

    @Test
    void fixMatchsWeakViewTakesNoStrongKeys() throws SpecException {
        String spec = BASE.replace("supcon: SUPCON", "fixmatch: FIXMATCH");
        // the weak view (the block's augment) loads; the strong one is built from it at run time
        ProtocolSpec p = SpecLoader.load("t.yaml", spec.replace("FIXMATCH", "{augment: {hflip: true, shift: 0.2}}"),
                new FakeCatalog(), null).protocols().get("fixmatch");
        assertEquals(Map.of("hflip", true, "shift", 0.2), p.train().augment());
        for (String key : List.of("randaugment: 0", "cutout: 0.3")) {
            SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml",
                    spec.replace("FIXMATCH", "{augment: {hflip: true, " + key + "}}"), new FakeCatalog(), null));
            assertTrue(e.getMessage().contains(key.substring(0, key.indexOf(':')) + " belongs to FixMatch's strong view"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("t.yaml:8:"), e.getMessage());
        }
    }
}
