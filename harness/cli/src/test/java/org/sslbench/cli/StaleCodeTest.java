package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Checkpoint;
import org.sslbench.plugin.CodeOrigin;
import org.sslbench.results.CodeIdentity;
import org.sslbench.testing.PluginJars;

/**
 * Rows that claim code that did not produce them, and exit codes and merges that describe less
 * than the results directory (issue 10, case 3 siblings), end to end through {@link Main}.
 */
class StaleCodeTest {
    @TempDir
    static Path work;

    private static List<CSVRecord> rows(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    private static Map<String, CSVRecord> byLabels(Path cells) throws IOException {
        Map<String, CSVRecord> m = new LinkedHashMap<>();
        rows(cells).forEach(r -> m.put(r.get("method") + "/n" + r.get("n_labels") + "/s" + r.get("seed"), r));
        return m;
    }

    private static Path spec(String name, String text) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    private static String rotation(String name, String perClass) {
        return "name: " + name + "\n"
                + "datasets: [{name: fashion-mnist-embedded, unlabeled_limit: 200}]\n"
                + "backbone: small-cnn\n"
                + "methods: [rotation]\n"
                + "preset: none\n"
                + "labels: {per_class: " + perClass + "}\n"
                + "seeds: [0]\n"
                + "pretext: {epochs: 1, batch_size: 32}\n"
                + "protocols:\n  knn: {k: 3}\n";
    }

    private static Path checkpoint(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("pretext"))) {
            return s.filter(p -> p.toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
    }

    /**
     * Case 1: a new cell evaluated on a checkpoint trained by other code records that checkpoint's
     * code (pretext_code), so it is stale; --recompute-stale retrains the checkpoint and redoes every
     * cell that used it, giving what a fresh run gives.
     */
    @Test
    void aNewCellOnACheckpointOfOtherCodeIsStaleAndRecomputedLikeAFreshRun() throws IOException {
        Path out = work.resolve("flip");
        Path one = spec("flip1", rotation("flip", "[1]"));
        Path two = spec("flip2", rotation("flip", "[1, 3]"));
        assertEquals(Main.OK, CliRun.of("bench", "--spec", one.toString(), "--out", out.toString(), "--quiet").code());
        // The checkpoint as another build of the rotation plugin would have left it.
        Path ckpt = checkpoint(out);
        Checkpoint c = Checkpoint.read(ckpt);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("method_source_sha256", "f".repeat(64));
        new Checkpoint(meta, c.tensors()).write(ckpt);
        String oldCode = CodeIdentity.of(meta).fingerprint();

        CliRun added = CliRun.of("bench", "--spec", two.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, added.code(), added.out());
        assertTrue(added.out().contains("was trained by other code") && added.out().contains("reusing it"), added.out());
        CSVRecord n30 = byLabels(out.resolve("cells.csv")).get("rotation/n30/s0");
        assertEquals(oldCode, n30.get("pretext_code"), "the row names the code that trained its checkpoint");

        CliRun listed = CliRun.of("bench", "--spec", two.toString(), "--out", out.toString(), "--quiet");
        assertTrue(listed.out().contains("rotation fashion-mnist-embedded small-cnn knn n=30 seed=0")
                && listed.out().contains("evaluated on a pretext checkpoint trained by other code (code " + oldCode), listed.out());
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Results computed by other code (stale)"));
        Map<String, String> staleByLabels = new LinkedHashMap<>();
        rows(out.resolve("leaderboard.csv")).forEach(r -> staleByLabels.put(r.get("n_labels"), r.get("n_stale")));
        assertEquals(Map.of("10", "0", "30", "1"), staleByLabels, "only the cell on the other code's checkpoint");

        CliRun redone = CliRun.of("bench", "--spec", two.toString(), "--out", out.toString(), "--quiet", "--recompute-stale");
        assertEquals(Main.OK, redone.code(), redone.out());
        assertTrue(redone.out().contains("retraining (--recompute-stale)"), redone.out());
        Path fresh = work.resolve("flip-fresh");
        assertEquals(Main.OK, CliRun.of("bench", "--spec", two.toString(), "--out", fresh.toString(), "--quiet").code());
        Map<String, CSVRecord> after = byLabels(out.resolve("cells.csv"));
        Map<String, CSVRecord> expected = byLabels(fresh.resolve("cells.csv"));
        for (String k : List.of("rotation/n10/s0", "rotation/n30/s0")) {
            assertEquals(expected.get(k).get("test_accuracy"), after.get(k).get("test_accuracy"), k);
            assertEquals(expected.get(k).get("pretext_code"), after.get(k).get("pretext_code"), k);
            assertNotEquals(oldCode, after.get(k).get("pretext_code"), k);
        }
        CliRun clean = CliRun.of("bench", "--spec", two.toString(), "--out", out.toString(), "--quiet");
        assertFalse(clean.out().contains("other code"), clean.out());
        assertTrue(rows(out.resolve("leaderboard.csv")).stream().allMatch(r -> r.get("n_stale").equals("0")));
        assertFalse(Files.readString(out.resolve("report.md")).contains("computed by other code"));
    }

    private static String backboneSource(String version) {
        return "package tb;\n"
                + "import org.sslbench.data.ImageShape;\n"
                + "import org.sslbench.engine.*;\n"
                + "public final class Tiny implements Backbone {\n"
                + "  public String name() { return \"tiny\"; }\n"
                + "  public String description() { return \"test backbone " + version + "\"; }\n"
                + "  public Encoder create(Layers l, String scope, ImageShape s) {\n"
                + "    return new org.sslbench.engine.backbones.SmallCnn().create(l, scope, s);\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * Case 2 and 14: the backbone plugin's jar is recorded in rows and checkpoints; after it changed
     * a rerun names the change, the leaderboard counts the stale cells (n_stale) and report.md
     * lists them; --recompute-stale redoes them.
     */
    @Test
    void aChangedBackbonePluginMakesItsCellsStale() throws IOException {
        Path plugins = Files.createDirectory(work.resolve("bb-plugins"));
        Path jar = PluginJars.build(plugins, "tiny.jar", Map.of("tb.Tiny", backboneSource("v1")),
                "org.sslbench.engine.Backbone", "tb.Tiny");
        String sha1 = CodeOrigin.contentSha256(jar);
        Path spec = spec("bb", rotation("bb", "[1]").replace("backbone: small-cnn", "backbone: tiny"));
        Path out = work.resolve("bb");
        String[] bench = {"bench", "--spec", spec.toString(), "--plugins", plugins.toString(), "--out", out.toString(),
                "--quiet"};
        assertEquals(Main.OK, CliRun.of(bench).code());
        CSVRecord row = rows(out.resolve("cells.csv")).get(0);
        assertEquals("tiny.jar", row.get("backbone_source"));
        assertEquals(sha1, row.get("backbone_source_sha256"));
        assertTrue(row.get("dataset_source_sha256").matches("[0-9a-f]{64}"), row.toString());
        assertEquals(sha1, Checkpoint.read(checkpoint(out)).metadata().get("backbone_source_sha256"));

        Files.delete(jar);
        Path jar2 = PluginJars.build(plugins, "tiny.jar", Map.of("tb.Tiny", backboneSource("version two, rebuilt")),
                "org.sslbench.engine.Backbone", "tb.Tiny");
        String sha2 = CodeOrigin.contentSha256(jar2);
        assertNotEquals(sha1, sha2);
        CliRun kept = CliRun.of(bench);
        assertEquals(Main.OK, kept.code(), kept.out());
        assertTrue(kept.out().contains("backbone code tiny.jar " + sha1.substring(0, 12) + " -> tiny.jar "
                + sha2.substring(0, 12)), kept.out());
        assertTrue(kept.out().contains("pretext checkpoint") && kept.out().contains("trained by other code"), kept.out());
        CSVRecord board = rows(out.resolve("leaderboard.csv")).get(0);
        assertEquals("1", board.get("n_stale"));
        assertEquals("1", board.get("rank"), "stale rows stay ranked, marked by n_stale");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Results computed by other code (stale)") && report.contains("backbone code tiny.jar"),
                report);

        String[] recompute = java.util.Arrays.copyOf(bench, bench.length + 1);
        recompute[bench.length] = "--recompute-stale";
        assertEquals(Main.OK, CliRun.of(recompute).code());
        assertEquals(sha2, rows(out.resolve("cells.csv")).get(0).get("backbone_source_sha256"));
        assertEquals(sha2, Checkpoint.read(checkpoint(out)).metadata().get("backbone_source_sha256"));
        assertEquals("0", rows(out.resolve("leaderboard.csv")).get(0).get("n_stale"));
    }

    /**
     * Case 3 sibling: the exit code describes the spec's cells in the directory. A rerun that
     * computes nothing new but finds the spec's cells diverged in an earlier run exits 1 and says so.
     */
    @Test
    void aRerunOverDivergedCellsExitsOne() throws IOException {
        Path spec = spec("div", rotation("div", "[1]").replace("batch_size: 32}",
                "batch_size: 32, optimizer: {name: sgd, lr: 10}}"));
        Path out = work.resolve("div");
        String[] bench = {"bench", "--spec", spec.toString(), "--out", out.toString(), "--quiet"};
        CliRun first = CliRun.of(bench);
        assertEquals(Main.CELLS_FAILED, first.code(), first.out());
        assertEquals("diverged", rows(out.resolve("cells.csv")).get(0).get("status"));
        assertFalse(first.out().contains("in an earlier run"), "nothing earlier: " + first.out());

        CliRun again = CliRun.of(bench);
        assertTrue(again.out().contains("1 already in"), again.out());
        assertEquals(Main.CELLS_FAILED, again.code(), again.out());
        assertTrue(again.out().contains("warning: 1 of this spec's cells in") && again.out().contains("earlier run")
                && again.out().contains("rotation fashion-mnist-embedded small-cnn knn n=10 seed=0"), again.out());
        assertTrue(again.err().contains("0 failed in this run, 1 of the spec's cells did not finish ok in an earlier run"),
                again.err());
    }

    /**
     * Case 15: shards run from two specs (a changed temperature) merged with --spec: the spec's
     * configuration is current and ranked, the other is marked not current and unranked.
     */
    @Test
    void mergeWithASpecMarksItsConfigurationsCurrent() throws IOException {
        String text = "name: sh\n"
                + "datasets: [{name: fashion-mnist-embedded, unlabeled_limit: 200}]\n"
                + "backbone: small-cnn\n"
                + "methods: [{name: simclr, params: {temperature: TEMP}}]\n"
                + "preset: none\n"
                + "labels: {per_class: [1]}\n"
                + "seeds: [0, 1]\n"
                + "pretext: {epochs: 1, batch_size: 32}\n"
                + "protocols:\n  knn: {k: 3}\n";
        Path a = spec("sh-a", text.replace("TEMP", "0.5"));
        Path b = spec("sh-b", text.replace("TEMP", "0.2"));
        Path out = work.resolve("sh");
        assertEquals(Main.OK, CliRun.of("bench", "--spec", a.toString(), "--out", out.toString(), "--quiet",
                "--shard", "0/2").code());
        assertEquals(Main.OK, CliRun.of("bench", "--spec", b.toString(), "--out", out.toString(), "--quiet",
                "--shard", "1/2").code());
        CliRun merged = CliRun.of("merge", "--spec", a.toString(), "--out", out.toString());
        assertEquals(Main.OK, merged.code(), merged.err());
        List<CSVRecord> board = rows(out.resolve("leaderboard.csv"));
        assertEquals(2, board.size(), board.toString());
        assertFalse(merged.out().contains("specs with different configurations"), merged.out());
        CSVRecord current = board.stream().filter(r -> r.get("method_params").contains("temperature=0.5")).findFirst()
                .orElseThrow();
        CSVRecord other = board.stream().filter(r -> r.get("method_params").contains("temperature=0.2")).findFirst()
                .orElseThrow();
        assertEquals("yes", current.get("current"));
        assertEquals("1", current.get("rank"));
        assertEquals("no", other.get("current"));
        assertEquals("", other.get("rank"), "another spec's configuration does not compete");
    }
}
