package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.method.Param;
import org.sslbench.method.ParamRange;
import org.sslbench.run.Registries;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.testing.PluginJars;

/** A method's declared param ranges and allowed strings are enforced where the spec is read (issue 10, case 5). */
class MethodParamRangeTest {
    private static final List<Param> CONTRAST = List.of(
            Param.of("temperature", 0.1, "softmax temperature").greaterThan(0),
            Param.of("momentum", 0.99, "EMA momentum").between(0, 1),
            Param.of("queue_size", 64, "negatives kept").atLeast(1),
            Param.of("keep", 0.5, "kept fraction").range(new ParamRange(0, true, 1, false)),
            Param.of("norm", "l2", "feature normalisation").oneOf("l2", "none"),
            new Param("free", 1.0, "no range declared"));

    /** FakeCatalog plus a method {@code contrast} with ranged params. */
    private static Catalog catalog() {
        return (Catalog) java.lang.reflect.Proxy.newProxyInstance(MethodParamRangeTest.class.getClassLoader(),
                new Class<?>[] {Catalog.class}, (proxy, method, args) -> {
                    if (method.getName().equals("methods")) {
                        Map<String, List<Param>> m = new java.util.LinkedHashMap<>(new FakeCatalog().methods());
                        m.put("contrast", CONTRAST);
                        return m;
                    }
                    if (method.getName().equals("pretrains")) {
                        return !"supervised".equals(args[0]);
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
                + "methods:\n  - name: contrast\n    params: {" + params + "}\n"; // params on line 8
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            temperature: 0     | temperature | contrast param 'temperature' must be > 0, got 0 (softmax temperature; default 0.1)
            temperature: -0.5  | temperature | must be > 0, got -0.5
            momentum: 1.5      | momentum    | contrast param 'momentum' must be in [0, 1], got 1.5 (EMA momentum; default 0.99)
            momentum: -0.1     | momentum    | must be in [0, 1], got -0.1
            queue_size: 0      | queue_size  | contrast param 'queue_size' must be >= 1, got 0 (negatives kept; default 64)
            keep: 0            | keep        | must be in (0, 1], got 0
            norm: l1           | norm        | contrast param 'norm' must be one of l2, none, got 'l1' (feature normalisation; default 'l2')
            temperature: 1.0e-46 | temperature | contrast param 'temperature' must be 0 or of magnitude between 1.17549435E-38 and 3.4028235E38 (the computation uses 32-bit floats
            free: 1.0e+39      | free        | contrast param 'free' must be 0 or of magnitude between
            free: -1.0e-39     | free        | contrast param 'free' must be 0 or of magnitude between
            """)
    void outOfRangeParamIsRefusedAtItsLine(String param, String field, String message) {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load("t.yaml", spec(param), catalog(), Overrides.NONE));
        assertEquals("t.yaml", e.file());
        assertEquals(8, e.line());
        assertEquals("methods[0].params." + field, e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void boundsThatAreIncludedAndUndeclaredRangesAreAccepted() throws SpecException {
        Spec s = SpecLoader.load("t.yaml", spec("momentum: 1, queue_size: 1, keep: 1, norm: none, free: -3,"
                + " temperature: 0.001"), catalog(), null);
        Map<String, Object> p = s.methods().get(0).params();
        assertEquals(1.0, ((Number) p.get("momentum")).doubleValue());
        assertEquals(1, p.get("queue_size"));
        assertEquals(-3.0, ((Number) p.get("free")).doubleValue());
        assertEquals("none", p.get("norm"));
    }

    @Test
    void paramDeclarationsAreCheckedWhenAPluginBuildsThem() {
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> Param.of("temperature", 0.0, "t").greaterThan(0));
        assertTrue(outside.getMessage().contains("default 0.0 is not > 0"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Param.of("flag", true, "b").atLeast(0));
        assertThrows(IllegalArgumentException.class, () -> Param.of("n", 1, "i").oneOf("a"));
        assertThrows(IllegalArgumentException.class, () -> Param.of("s", "x", "s").oneOf("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> new ParamRange(1, true, 1, false));
        // A Double default must survive the cast to float32 (the graph's type), range or not.
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> Param.of("t", 1e-40, "t"));
        assertTrue(tiny.getMessage().contains("default 1.0E-40 must be 0 or of magnitude between"), tiny.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Param.of("t", 1e39, "t"));
        assertEquals(null, Param.of("t", 0.0, "t").problem(0.0));
        assertEquals(null, Param.of("n", 1, "n").problem(2_000_000_000), "Integer params have no float32 rule");
        assertEquals("<= 7", Param.of("n", 1, "n").atMost(7).constraint());
        assertEquals("in [1, 7]", Param.of("n", 1, "n").atLeast(1).atMost(7).constraint());
    }

    @Test
    void constraintIsWordedAsListShowsIt() {
        assertEquals("> 0", CONTRAST.get(0).constraint());
        assertEquals("in [0, 1]", CONTRAST.get(1).constraint());
        assertEquals(">= 1", CONTRAST.get(2).constraint());
        assertEquals("in (0, 1]", CONTRAST.get(3).constraint());
        assertEquals("one of l2, none", CONTRAST.get(4).constraint());
        assertEquals("", CONTRAST.get(5).constraint());
        assertEquals(ParamRange.ANY, new Param("x", 1, "three-argument constructor of older plugins").range());
    }

    /** A range declared in a plugin jar is enforced like a built-in's. */
    @Test
    void pluginParamRangeIsEnforced(@TempDir Path tmp) throws Exception {
        String source = PluginJars.methodSource("ext.r.Ranged", "ranged", false)
                .replace("new Param(\"scale\", 1.0, \"a number\")", "Param.of(\"scale\", 1.0, \"a number\").between(0, 2)");
        Path plugins = tmp.resolve("plugins");
        java.nio.file.Files.createDirectories(plugins);
        PluginJars.build(plugins, "ranged.jar", Map.of("ext.r.Ranged", source), "org.sslbench.method.Method", "ext.r.Ranged");
        Registries registries = Registries.discover(plugins, Set.of("finetune", "linear", "knn"));
        assertEquals("in [0, 2]", registries.methods().get("ranged").get(0).constraint());
        String yaml = "name: t\ndatasets: [fashion-mnist-embedded]\nbackbone: small-cnn\nlabels: [100]\n"
                + "protocols: {finetune: {}}\nmethods:\n  - name: ranged\n    params: {scale: 2.5}\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("p.yaml", yaml, registries, null));
        assertEquals(8, e.line());
        assertEquals("methods[0].params.scale", e.field());
        assertTrue(e.getMessage().contains("ranged param 'scale' must be in [0, 2], got 2.5 (a number; default 1)"),
                e.getMessage());
    }
}
