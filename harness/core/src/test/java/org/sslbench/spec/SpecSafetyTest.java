package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sslbench.testing.FakeCatalog;

/** Spec text is untrusted input: no tag may construct an object, no alias may blow up memory. */
class SpecSafetyTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();

    @ParameterizedTest
    @ValueSource(strings = {
            "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]",
            "!!java.io.File /etc/passwd",
            "!!java.lang.ProcessBuilder [[touch, /tmp/pwned]]",
            "!custom thing",
            "!!binary aGVsbG8=",
            "!!timestamp 2001-12-14",
            "!!set {a, b}",
    })
    void nonStandardTagsAreRefusedAtTheirLine(String tagged) {
        String yaml = SpecLoaderTest.MINIMAL + "description: " + tagged + "\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, CATALOG, null));
        assertEquals(9, e.line(), e.getMessage());
        assertEquals("description", e.field());
        assertTrue(e.getMessage().contains("tag not allowed"), e.getMessage());
    }

    @Test
    void tagOnAKeyIsRefused() {
        String yaml = SpecLoaderTest.MINIMAL + "? !!java.io.File /tmp\n: x\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, CATALOG, null));
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("tag not allowed"), e.getMessage());
    }

    @Test
    void mergeKeysAreNotSupported() {
        String yaml = SpecLoaderTest.MINIMAL + "pretext:\n  <<: {epochs: 3}\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, CATALOG, null));
        assertEquals(10, e.line());
        assertEquals("pretext.<<", e.field());
    }

    @Test
    void billionLaughsIsRefusedByTheAliasLimit() {
        StringBuilder yaml = new StringBuilder(SpecLoaderTest.MINIMAL).append("description:\n  - &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            yaml.append("  - &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load("t.yaml", yaml.toString(), CATALOG, null));
        assertTrue(e.getMessage().contains("aliases"), e.getMessage());
    }

    @Test
    void oversizedSpecIsRefused() {
        String yaml = SpecLoaderTest.MINIMAL + "description: \"" + "x".repeat(YamlTree.MAX_CODE_POINTS) + "\"\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, CATALOG, null));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @Test
    void sharedAnchorsStillWork() throws Exception {
        String yaml = SpecLoaderTest.MINIMAL.replace("finetune: {}", "finetune: {optimizer: &opt {name: sgd, lr: 0.1}}")
                + "  linear: {selection: fixed, optimizer: *opt}\n";
        Spec spec = SpecLoader.load("t.yaml", yaml, CATALOG, null);
        assertEquals("sgd", spec.protocols().get("linear").train().optimizer().name());
        assertEquals(0.1, spec.protocols().get("linear").train().optimizer().lr());
    }
}
