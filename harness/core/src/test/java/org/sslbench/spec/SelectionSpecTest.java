package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.matrix.ConfigHash;
import org.sslbench.testing.FakeCatalog;

/** The {@code selection} switch: top level for every protocol, overridden per protocol block. */
class SelectionSpecTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();
    private static final String BASE = """
            name: t
            datasets: [tiny]
            backbone: small-cnn
            methods: [supervised, rotation]
            labels: [100]
            seeds: [0]
            """;

    private static Map<String, ProtocolSpec> protocols(String yaml) throws SpecException {
        return SpecLoader.load("t.yaml", BASE + yaml, CATALOG, null).protocols();
    }

    @Test
    void labelledIsTheDefaultOfEveryProtocol() throws Exception {
        Map<String, ProtocolSpec> p = protocols("protocols: {finetune: {}, linear: {}, knn: {k: [5, 10]}}\n");
        for (ProtocolSpec s : p.values()) {
            assertTrue(s.selectsOnLabels(), s.name());
            assertEquals(ProtocolSpec.LABELLED, s.selectionName());
        }
        // one k: nothing to choose, so the protocol (and its hash) is the one from before selection existed
        assertFalse(protocols("protocols: {knn: {k: 10}}\n").get("knn").selectsOnLabels());
    }

    @Test
    void theTopLevelKeySetsEveryProtocolAndABlockOverridesIt() throws Exception {
        Map<String, ProtocolSpec> p = protocols("""
                selection: fixed
                protocols:
                  finetune: {selection: labelled}
                  linear: {}
                  knn: {}
                """);
        assertEquals(ProtocolSpec.LABELLED, p.get("finetune").selectionName());
        assertEquals(ProtocolSpec.FIXED, p.get("linear").selectionName());
        assertEquals(ProtocolSpec.FIXED, p.get("knn").selectionName());
        p = protocols("protocols: {finetune: {selection: fixed}, knn: {k: [5, 10]}}\n");
        assertEquals(ProtocolSpec.FIXED, p.get("finetune").selectionName());
        assertEquals(ProtocolSpec.LABELLED, p.get("knn").selectionName());
    }

    /**
     * {@code fixed} is the layout before selection existed: the same ProtocolSpec, so the same
     * config hash, and every result computed before stays valid (reused, not recomputed).
     */
    @Test
    void fixedHashesAsTheProtocolsDidBeforeSelectionExisted() throws Exception {
        Map<String, ProtocolSpec> p = protocols("""
                selection: fixed
                protocols:
                  finetune: {epochs: 5, eval_every: 2}
                  knn: {k: 10}
                """);
        ProtocolSpec finetune = p.get("finetune");
        ProtocolSpec before = new ProtocolSpec("finetune", finetune.train(), 0, 0.0, 2);
        assertEquals(before, finetune);
        assertEquals(ConfigHash.of(before), ConfigHash.of(finetune));
        assertFalse(ConfigHash.canonical(finetune).contains("selection"), ConfigHash.canonical(finetune));
        assertEquals(ConfigHash.of(new ProtocolSpec("knn", null, 10, 0.07, 0)), ConfigHash.of(p.get("knn")));
        // labelled is another protocol: another hash, so its results are never mixed with fixed ones
        ProtocolSpec labelled = protocols("protocols: {finetune: {epochs: 5}}\n").get("finetune");
        assertFalse(ConfigHash.of(labelled).equals(ConfigHash.of(new ProtocolSpec("finetune", labelled.train(), 0, 0.0, 0))));
        assertTrue(ConfigHash.canonical(labelled).contains("\"selection\":\"labelled\""), ConfigHash.canonical(labelled));
    }

    @Test
    void evalEveryIsKeptUnderFixedAndRefusedUnderLabelledNamingWhereTheSelectionCameFrom() throws Exception {
        assertEquals(2, protocols("protocols: {finetune: {epochs: 5, eval_every: 2, selection: fixed}}\n")
                .get("finetune").evalEvery());
        SpecException e = assertThrows(SpecException.class, () -> protocols("""
                selection: labelled
                protocols:
                  finetune: {epochs: 5, eval_every: 2}
                """));
        assertEquals("protocols.finetune.eval_every", e.field());
        assertTrue(e.getMessage().contains("selection: labelled (line 7)"), e.getMessage());
        assertTrue(e.getMessage().contains("set selection: fixed"), e.getMessage());
    }
}
