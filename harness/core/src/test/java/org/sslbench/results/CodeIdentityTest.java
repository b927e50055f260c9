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

    private static final CodeIdentity FULL = new CodeIdentity("0.1.0", "ed6568dca1ff", "simclr.jar", H1,
            "tiny.jar", H1, "ds.jar", H1, "");

    /** A changed backbone or dataset jar is named like the method's (case 2). */
    @Test
    void backboneAndDatasetJarsAreCompared() {
        CodeIdentity oldBackbone = new CodeIdentity("0.1.0", "ed6568dca1ff", "simclr.jar", H1, "tiny.jar", H2,
                "ds.jar", H1, "");
        assertEquals(List.of("backbone code tiny.jar 222222222222 -> tiny.jar 111111111111"),
                oldBackbone.differences(FULL));
        CodeIdentity oldDataset = new CodeIdentity("0.1.0", "ed6568dca1ff", "simclr.jar", H1, "tiny.jar", H1,
                "ds.jar", H2, "");
        assertEquals(List.of("dataset code ds.jar 222222222222 -> ds.jar 111111111111"), oldDataset.differences(FULL));
        assertTrue(oldBackbone.fingerprint().length() == 16 && !oldBackbone.fingerprint().equals(FULL.fingerprint()));
        assertEquals(FULL.fingerprint(), new CodeIdentity("0.1.0", "ed6568dca1ff", "renamed.jar", H1, "b.jar", H1,
                "d.jar", H1, "").fingerprint(), "jar names are not code");
    }

    /**
     * A cell computed by the current code on a checkpoint trained by other code is stale (case 1):
     * its pretext_code is the checkpoint's fingerprint, not the current one.
     */
    @Test
    void aCellOnACheckpointOfOtherCodeIsStale() {
        CodeIdentity oldCheckpoint = new CodeIdentity("0.1.0", "ed6568dca1ff", "simclr.jar", H2, "tiny.jar", H1,
                "ds.jar", H1, "");
        CodeIdentity cell = FULL.withPretextCode(oldCheckpoint.fingerprint());
        List<String> d = cell.differences(FULL);
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("evaluated on a pretext checkpoint trained by other code (code "
                + oldCheckpoint.fingerprint()), d.get(0));
        assertEquals(List.of(), FULL.withPretextCode(FULL.fingerprint()).differences(FULL));
        // Checkpoint metadata round-trips the backbone and dataset sources.
        assertEquals(oldCheckpoint, CodeIdentity.of(oldCheckpoint.metadata()));
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
                "method_source_sha256", H1, "backbone_source", "", "backbone_source_sha256", "", "dataset_source", "",
                "dataset_source_sha256", ""), NOW.metadata());
    }
}
