package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeIdentityTest {
    private static final String H1 = "1".repeat(64);
    private static final String H2 = "2".repeat(64);
    private static final CodeIdentity NOW = new CodeIdentity("0.1.0", "ed6568dca1ff", "simclr-0.1.0.jar", H1);

    @Test
    void sameCodeHasNoDifferencesAndARenamedJarWithTheSameContentIsTheSameCode() {
        assertEquals(List.of(), NOW.differences(NOW));
        assertEquals(List.of(), new CodeIdentity("0.1.0", "ed6568dca1ff", "renamed.jar", H1).differences(NOW));
    }

    @Test
    void eachPartThatChangedIsNamed() {
        List<String> d = new CodeIdentity("0.0.9", "aaaaaaaaaaaa", "simclr-0.0.9.jar", H2).differences(NOW);
        assertEquals(3, d.size(), d.toString());
        assertEquals("sslbench 0.0.9 -> 0.1.0", d.get(0));
        assertEquals("sslbench build aaaaaaaaaaaa -> ed6568dca1ff", d.get(1));
        assertEquals("method code simclr-0.0.9.jar 222222222222 -> simclr-0.1.0.jar 111111111111", d.get(2));
    }

    /** Rows and checkpoints from before the identity was recorded cannot be vouched for. */
    @Test
    void unrecordedCodeIsStale() {
        List<String> d = CodeIdentity.of(Map.of("pretext_hash", "x")).differences(NOW);
        assertEquals(3, d.size(), d.toString());
        assertTrue(d.get(2).contains("(not recorded)"), d.get(2));
    }

    @Test
    void checkpointMetadataRoundTrips() {
        assertEquals(NOW, CodeIdentity.of(NOW.metadata()));
        assertEquals(Map.of("sslbench_version", "0.1.0", "git_commit", "ed6568dca1ff", "method_source", "simclr-0.1.0.jar",
                "method_source_sha256", H1), NOW.metadata());
    }
}
