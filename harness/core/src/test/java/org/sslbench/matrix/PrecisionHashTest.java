package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code precision} and the hashes (issue 16): fp32, written or not, keeps every pretext hash, cell
 * hash, config id and settings summary pinned by {@link ProtocolHashPinTest}; bf16 and fp16 enter the
 * pretext hash (pretext block) and the cell hash, config id and settings (protocol block), so
 * mixed-precision rows are never averaged with fp32 rows of the same configuration.
 */
class PrecisionHashTest {
    private static List<String> identities(String spec) throws Exception {
        return MatrixTest.expand(spec).stream().flatMap(g -> g.cells().stream())
                .map(c -> c.group().pretextHash() + " " + c.cellHash() + " " + c.configId() + " " + c.seriesId() + " "
                        + c.settings()).toList();
    }

    private static List<String> pretextHashes(String spec) throws Exception {
        return MatrixTest.expand(spec).stream().map(PretextGroup::pretextHash).toList();
    }

    @Test
    void fp32WrittenAnywhereKeepsEveryPinnedHash() throws Exception {
        List<String> pinned = ProtocolHashPinTest.identities();
        String explicit = ProtocolHashPinTest.SPEC.replace("selection: labelled\n",
                        "selection: labelled\nprecision: fp32\npretext: {precision: fp32}\n")
                .replace("knn: {k: [5, 10]}", "knn: {k: [5, 10], precision: fp32}")
                .replace("linear: {selection: fixed, epochs: 4}", "linear: {selection: fixed, epochs: 4, precision: fp32}");
        assertTrue(explicit.contains("precision: fp32}") && explicit.contains("\nprecision: fp32\n"), explicit);
        List<String> now = MatrixTest.expand(explicit).stream().flatMap(g -> g.cells().stream())
                .map(c -> c.cellHash() + " " + c.configId() + " " + c.seriesId() + " " + c.settings()).toList();
        assertEquals(pinned, now);
        assertEquals(ProtocolHashPinTest.BEFORE, now.stream().map(s -> s.substring(0, 50)).toList());
        assertEquals(pretextHashes(ProtocolHashPinTest.SPEC), pretextHashes(explicit));
        assertTrue(now.stream().noneMatch(s -> s.contains("precision")), "fp32 stays out of the settings summary");
    }

    @Test
    void bf16AndFp16EnterThePretextAndCellHashes() throws Exception {
        String base = ProtocolHashPinTest.SPEC;
        List<String> fp32 = identities(base);
        for (String p : List.of("bf16", "fp16")) {
            List<String> mixed = identities(base.replace("selection: labelled\n", "selection: labelled\nprecision: " + p + "\n"));
            assertEquals(fp32.size(), mixed.size());
            for (int i = 0; i < fp32.size(); i++) {
                String[] a = fp32.get(i).split(" ", 5);
                String[] b = mixed.get(i).split(" ", 5);
                assertNotEquals(a[1], b[1], "cell hash " + p + " " + b[4]);
                assertNotEquals(a[2], b[2], "config id " + p);
                // the leaderboard's settings column says so, for the pretext too
                assertTrue(b[4].contains("protocol.precision=" + p), b[4]);
                assertEquals(b[4].contains("method=rotation"), b[4].contains("pretext.precision=" + p), b[4]);
            }
            // rotation pretrains (its pretext block is in the precision); supervised has no pretext run
            List<String> hashes = pretextHashes(base);
            List<String> mixedHashes = pretextHashes(base.replace("selection: labelled\n",
                    "selection: labelled\nprecision: " + p + "\n"));
            assertEquals(hashes.get(0), mixedHashes.get(0), "supervised: no pretext block");
            assertNotEquals(hashes.get(1), mixedHashes.get(1), "rotation's pretext in " + p);
        }
    }

    @Test
    void aProtocolBlocksPrecisionChangesOnlyItsCells() throws Exception {
        String base = ProtocolHashPinTest.SPEC;
        List<String> fp32 = identities(base);
        List<String> knnBf16 = identities(base.replace("knn: {k: [5, 10]}", "knn: {k: [5, 10], precision: bf16}"));
        assertEquals(pretextHashes(base), pretextHashes(base.replace("knn: {k: [5, 10]}",
                "knn: {k: [5, 10], precision: bf16}")));
        for (int i = 0; i < fp32.size(); i++) {
            boolean knn = fp32.get(i).contains("protocol.name=knn");
            assertEquals(!knn, fp32.get(i).equals(knnBf16.get(i)), fp32.get(i));
        }
    }
}
