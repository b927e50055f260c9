package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.matrix.ConfigHash;
import org.sslbench.matrix.Matrix;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.testing.FakeCatalog;

/**
 * A renamed param ({@link Param#renamedFrom}, issue 15: one head-width naming across methods): a
 * spec's old key reads as the new one, before hashing, with a note; both spellings are refused.
 */
class RenamedParamTest {
    /** As BYOL's widths: projector_hidden → proj_hidden_dim; one old width split in two, as SimSiam's projector_dim. */
    private static final List<Param> WIDTHS = List.of(
            Param.of("proj_hidden_dim", 64, "projector hidden width").between(1, 100).renamedFrom("projector_dim"),
            Param.of("proj_output_dim", 32, "projector output width").between(1, 100).renamedFrom("projector_dim"),
            Param.of("pred_hidden_dim", 16, "predictor hidden width").between(1, 100).renamedFrom("predictor_hidden"),
            Param.of("temperature", 0.1, "softmax temperature").greaterThan(0));

    /** FakeCatalog plus a pretraining method {@code heads} with renamed width params. */
    private static Catalog catalog() {
        return (Catalog) java.lang.reflect.Proxy.newProxyInstance(RenamedParamTest.class.getClassLoader(),
                new Class<?>[] {Catalog.class}, (proxy, method, args) -> {
                    if (method.getName().equals("methods")) {
                        Map<String, List<Param>> m = new java.util.LinkedHashMap<>(new FakeCatalog().methods());
                        m.put("heads", WIDTHS);
                        return m;
                    }
                    try {
                        return method.invoke(new FakeCatalog(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String spec(String params) {
        return "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100]\nprotocols: {finetune: {}}\n"
                + "methods:\n  - name: heads\n    params:\n" + params; // params from line 9
    }

    private static Spec load(String params) throws SpecException {
        return SpecLoader.load("t.yaml", spec(params), catalog(), Overrides.NONE);
    }

    @Test
    void anOldNameReadsAsTheNewOnesWithTheSameParamsAndHash() throws SpecException {
        Spec old = load("      projector_dim: 48\n      predictor_hidden: 8\n      temperature: 0.2\n");
        Spec renamed = load("      proj_hidden_dim: 48\n      proj_output_dim: 48\n      pred_hidden_dim: 8\n      temperature: 0.2\n");
        Map<String, Object> p = old.methods().get(0).params();
        assertEquals(Map.of("proj_hidden_dim", 48, "proj_output_dim", 48, "pred_hidden_dim", 8, "temperature", 0.2), p);
        assertEquals(renamed.methods().get(0), old.methods().get(0));
        assertEquals(ConfigHash.of(renamed.methods().get(0)), ConfigHash.of(old.methods().get(0)));
        assertEquals(List.of(), renamed.notes(), "the new names need no note");
        assertEquals(List.of(
                "t.yaml line 9: heads param 'projector_dim' is now 'proj_hidden_dim' and 'proj_output_dim', read as"
                        + " proj_hidden_dim: 48, proj_output_dim: 48 (same meaning, same cells as the new name; rename it"
                        + " to silence this note)",
                "t.yaml line 10: heads param 'predictor_hidden' is now 'pred_hidden_dim', read as pred_hidden_dim: 8"
                        + " (same meaning, same cells as the new name; rename it to silence this note)"),
                old.notes());
        assertTrue(Matrix.notes(old).containsAll(old.notes()), "validate and bench print them");
    }

    @Test
    void anOldNameAndItsNewOneTogetherAreRefusedNamingBothLines() {
        SpecException e = assertThrows(SpecException.class,
                () -> load("      proj_output_dim: 32\n      temperature: 0.2\n      projector_dim: 48\n"));
        assertEquals(11, e.line());
        assertEquals("methods[0].params.projector_dim", e.field());
        assertTrue(e.getMessage().contains("heads param 'projector_dim' is the old name of 'proj_output_dim', which line 9"
                + " also sets: keep only 'proj_output_dim'"), e.getMessage());
    }

    @Test
    void anOldNameIsCheckedAgainstTheNewParamsRange() {
        SpecException e = assertThrows(SpecException.class, () -> load("      predictor_hidden: 0\n"));
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("heads param 'predictor_hidden' must be in [1, 100], got 0"), e.getMessage());
    }

    @Test
    void aTypoIsPointedAtTheNewNamesOnly() {
        SpecException e = assertThrows(SpecException.class, () -> load("      proj_hiden_dim: 4\n"));
        assertTrue(e.getMessage().contains("did you mean 'proj_hidden_dim'?"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: pred_hidden_dim, proj_hidden_dim, proj_output_dim, temperature"),
                "old names are not advertised: " + e.getMessage());
    }

    @Test
    void aPluginsOwnPresetsMustUseTheNewName() {
        String presets = """
                presets:
                  small:
                    description: small images
                    params: {proj_hidden_dim: 64, projector_dim: 32, pred_hidden_dim: 16, temperature: 0.1}
                    pretext:
                      batch_size: 64
                      optimizer: {name: adam, lr: 0.001}
                      schedule: {name: cosine, warmup_epochs: 0}
                      augment: {hflip: true}
                    sources:
                      params: "paper A, table 1"
                      pretext: "project B file.py@0123abcd"
                """;
        SpecException e = assertThrows(SpecException.class,
                () -> Presets.check(new PresetFile("heads presets.yaml", presets), "heads", WIDTHS));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("heads param 'projector_dim' was renamed to 'proj_hidden_dim' and"
                + " 'proj_output_dim': write the new name"), e.getMessage());
    }

    @Test
    void paramsOfMapsOldNamesAndRefusesBoth() {
        Method m = new Method() {
            @Override public String name() { return "heads"; }
            @Override public String description() { return "test"; }
            @Override public List<Param> params() { return WIDTHS; }
            @Override public int views(Params p) { return 2; }
            @Override public Objective build(PretextContext ctx) { throw new UnsupportedOperationException(); }
        };
        Params p = Params.of(m, Map.of("projector_dim", 8));
        assertEquals(8, p.getInt("proj_hidden_dim"));
        assertEquals(8, p.getInt("proj_output_dim"));
        assertEquals(16, p.getInt("pred_hidden_dim"));
        assertEquals(Params.of(m, Map.of("proj_hidden_dim", 8, "proj_output_dim", 8)).asMap(), p.asMap());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Params.of(m, Map.of("projector_dim", 8, "proj_output_dim", 8)));
        assertTrue(e.getMessage().contains("'projector_dim' is the old name of 'proj_"), e.getMessage());
    }

    @Test
    void aPluginCannotReuseACurrentNameAsAnOldOne() {
        assertNull(Param.namesProblem(WIDTHS));
        assertEquals("param 'b' is renamedFrom 'a', which is also a current param name", Param.namesProblem(List.of(
                Param.of("a", 1, "a"), Param.of("b", 1, "b").renamedFrom("a"))));
        assertEquals("param 'a' is declared twice", Param.namesProblem(List.of(Param.of("a", 1, "a"), Param.of("a", 2, "a"))));
        assertThrows(IllegalArgumentException.class, () -> Param.of("a", 1, "a").renamedFrom("a"));
        // the range survives renamedFrom, and renamedFrom survives a later range
        Param p = Param.of("w", 4, "w").between(1, 8).renamedFrom("old");
        assertEquals("must be in [1, 8]", p.problem(9));
        assertEquals(List.of("old"), p.atMost(6).formerNames());
    }
}
