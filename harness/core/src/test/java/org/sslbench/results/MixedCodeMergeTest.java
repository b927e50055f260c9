package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.run.ShardMerge;

/** Shards computed by different code merge with a warning naming the method (issue 10, case 3 sibling). */
class MixedCodeMergeTest {
    private static CellResult withSource(CellResult c, String jar, String sha) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(),
                c.status(), c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), jar, sha, c.provenance());
    }

    @Test
    void rowsOfOneMethodFromTwoJarContentsAreWarnedAboutOthersNot(@TempDir Path dir) throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        cells.append(withSource(TestCells.cell("simclr", "cifar10", 10, 0, Status.OK, 0.5), "simclr-a.jar", "a".repeat(64)));
        cells.append(withSource(TestCells.cell("simclr", "cifar10", 10, 1, Status.OK, 0.5), "simclr-b.jar", "b".repeat(64)));
        // Same content under another file name: the same code.
        cells.append(withSource(TestCells.cell("byol", "cifar10", 10, 0, Status.OK, 0.5), "byol-1.jar", "c".repeat(64)));
        cells.append(withSource(TestCells.cell("byol", "cifar10", 10, 1, Status.OK, 0.5), "byol-renamed.jar", "c".repeat(64)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShardMerge.warnMixedCode(cells, new PrintStream(out, true));
        String text = out.toString();
        assertTrue(text.contains("the simclr rows") && text.contains("2 different builds")
                && text.contains("aaaaaaaaaaaa") && text.contains("bbbbbbbbbbbb"), text);
        assertEquals(1, text.lines().count(), text);
    }

    private static CellResult at(CellResult c, String backboneSha, java.time.Instant when) {
        return new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(),
                c.status(), c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), "m.jar", "a".repeat(64), "tiny.jar", backboneSha, "d.jar", "c".repeat(64),
                "", c.provenance().at(when));
    }

    /**
     * A shard that recomputed a stale cell after it was merged: merging again replaces the merged
     * row with the newer one (the directory must not keep old code's result), and rows of one method
     * from two backbone jars are warned about.
     */
    @Test
    void aRecomputedShardRowReplacesTheMergedOneAndBackboneCodeIsCompared(@TempDir Path dir) throws IOException {
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        Path shard = dir.resolve("shard-0-of-1");
        Path target = dir.resolve("merged");
        CellsCsv part = CellsCsv.open(shard);
        part.append(at(TestCells.ok("h0", 0), "1".repeat(64), t0));
        part.append(at(TestCells.ok("h1", 1), "1".repeat(64), t0));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
        ShardMerge.merge(target, java.util.List.of(shard), quiet);
        CellResult recomputed = at(TestCells.ok("h0", 0), "2".repeat(64), t0.plusSeconds(60));
        part.replace(recomputed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, ShardMerge.merge(target, java.util.List.of(shard), new PrintStream(out, true)));
        assertEquals(recomputed, CellsCsv.open(target).get("h0").orElseThrow());
        assertEquals(0, ShardMerge.merge(target, java.util.List.of(shard), quiet), "idempotent");
        String text = out.toString();
        assertTrue(text.contains("2 different builds") && text.contains("backbone 111111111111")
                && text.contains("backbone 222222222222"), text);
    }
}
