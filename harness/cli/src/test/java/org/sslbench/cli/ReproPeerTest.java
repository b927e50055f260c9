package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.Dataset;
import org.sslbench.data.LabelSubsets;
import org.sslbench.data.UnlabeledPool;
import org.sslbench.matrix.Cell;
import org.sslbench.matrix.Matrix;
import org.sslbench.matrix.PretextGroup;
import org.sslbench.results.CellResult;
import org.sslbench.results.CellsCsv;
import org.sslbench.results.Comparison;
import org.sslbench.results.ComparisonRow;
import org.sslbench.results.Leaderboard;
import org.sslbench.results.NoiseTest;
import org.sslbench.results.Provenance;
import org.sslbench.results.Status;
import org.sslbench.run.Registries;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecValidator;
import org.sslbench.testing.FormatWriters;

/**
 * {@code repro-peer} without PyTorch: refusals, the config it writes, and the round trip of peer
 * outputs into peer/cells.csv, leaderboard.csv and the comparison, with a test double of the peer
 * ({@code fake_rotation_peer.py}) that writes the documented output format. Our side's cells are
 * written directly (no training), with the config hashes of the spec's matrix.
 */
class ReproPeerTest {
    private static final String PYTHON = "python3";

    @TempDir
    Path tmp;
    private Path data;
    private Path results;
    private Dataset tiny;

    @BeforeEach
    void data() throws IOException {
        data = tmp.resolve("cifar");
        tiny = FormatWriters.tinyDataset(FormatWriters.CIFAR_SHAPE, 10, 6, 1, 7);
        FormatWriters.writeCifar10(data, tiny);
        results = tmp.resolve("results");
    }

    private Path spec(String methods, String protocols) throws IOException {
        String yaml = "name: t\n"
                + "datasets:\n  - {name: cifar10, unlabeled_limit: 30}\n"
                + "backbone: resnet20\n"
                + "preset: none\n" // the peer runs the recipe written here, not a method preset
                + "methods:\n" + methods
                + "labels: [10, 20]\n"
                + "seeds: [0, 1, 2]\n"
                + "pretext: {epochs: 1, batch_size: 8, augment: {shift: 0.1, hflip: true}}\n"
                + "protocols:\n" + protocols
                + "output: {dir: '" + results + "'}\n"
                + "data: {dir: '" + data + "'}\n";
        Path file = tmp.resolve("spec.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Path rotationSpec() throws IOException {
        return spec("  - supervised\n  - {name: rotation, params: {all_four: false}}\n",
                "  finetune: {epochs: 2, batch_size: 4, eval_every: 1, selection: fixed, optimizer: {name: adam, lr: 0.001, weight_decay: 0.0005}}\n"
                        + "  linear: {epochs: 1, selection: fixed}\n");
    }

    private static Registries registries() throws Exception {
        return SpecOptions.registries(SpecOptions.injector(null, System.out));
    }

    private static Spec load(Path file, Registries registries) throws Exception {
        return SpecInput.read(file).load(registries, new org.sslbench.spec.Overrides(null, null, null));
    }

    /** Our completed fine-tune cells with the subset files bench writes; accuracy differs per seed and method. */
    private Map<String, CellResult> writeOurs(Path specFile) throws Exception {
        Registries registries = registries();
        Spec spec = load(specFile, registries);
        List<PretextGroup> groups = Matrix.expand(spec, SpecValidator.labelCounts(spec, registries),
                SpecValidator.foldSizes(spec, registries));
        Files.createDirectories(results.resolve("subsets"));
        CellsCsv cells = CellsCsv.open(results);
        Map<String, CellResult> out = new HashMap<>();
        for (PretextGroup g : groups) {
            for (Cell c : g.cells()) {
                if (!c.protocol().name().equals("finetune")) {
                    continue;
                }
                int[] subset = LabelSubsets.select(tiny.train().labels(), 10, c.nLabels(), g.seed());
                LabelSubsets.write(results.resolve("subsets").resolve("cifar10-seed" + g.seed() + "-n" + c.nLabels() + ".txt"), subset);
                double acc = 0.21 + 0.003 * c.nLabels() + 0.02 * g.seed() + (g.method().name().equals("rotation") ? 0.03 : 0);
                CellResult row = new CellResult("t", g.method().name(), "cifar10", "resnet20", "finetune", c.nLabels(), g.seed(),
                        g.pretrains() ? 1 : 0, 2, acc, acc + 0.01, 1.0, Double.NaN, Double.NaN, 1, 0, 10, Status.OK, "", "", LabelSubsets.fingerprint(subset),
                        c.subsetKind(), c.fold(), c.configId(), c.cellHash(), g.pretextHash(), "", "",
                        Provenance.capture("cpu", 1, () -> "test"));
                cells.append(row);
                out.put(c.cellHash(), row);
            }
        }
        Leaderboard.aggregate(cells.rows()).write(results.resolve(Leaderboard.FILE_NAME));
        return out;
    }

    private Path fakePeer() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder(PYTHON, "-c", "import json").start().waitFor() == 0,
                "python3 runs the peer's test double");
        return Path.of(ReproPeerTest.class.getResource("fake_rotation_peer.py").toURI());
    }

    private CliRun repro(Path specFile, Path peer, String... more) {
        List<String> args = new ArrayList<>(List.of("repro-peer", "--spec", specFile.toString(), "--peer", peer.toString(),
                "--python", PYTHON));
        args.addAll(Arrays.asList(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void refusesWhatThePeerDoesNotImplementNamingTheField() throws Exception {
        Path peer = tmp.resolve("unused.py");
        Path specFile = spec("  - supervised\n  - simclr\n", "  finetune: {epochs: 1, augment: {crop: 0.2}}\n");
        CliRun r = repro(specFile, peer);
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("methods[1]: simclr is not implemented by the peer"), r.err());
        assertTrue(r.err().contains("protocols.finetune.augment.crop: 0.2 is not implemented by the peer"), r.err());
        // the peer trains fixed epochs: a spec that selects them on labels (the default) is another protocol
        assertTrue(r.err().contains("protocols.finetune.selection: labelled (the epoch count chosen on a held-out part"
                + " of the labelled subset) is not implemented by the peer (fixed epochs only); set selection: fixed"), r.err());

        specFile = spec("  - supervised\n  - rotation\n", "  linear: {epochs: 1, selection: fixed}\n");
        r = repro(specFile, peer);
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("protocols: [linear] has no finetune"), r.err());
        assertFalse(Files.exists(results.resolve("peer")), "nothing is written for a refused spec");
    }

    @Test
    void refusesOtherBackbonesAndNormalisation() throws Exception {
        String yaml = Files.readString(rotationSpec()).replace("backbone: resnet20", "backbone: small-cnn")
                + "preprocess: {normalize: standardize}\n";
        Path specFile = tmp.resolve("other.yaml");
        Files.writeString(specFile, yaml);
        CliRun r = repro(specFile, tmp.resolve("unused.py"));
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("backbone: small-cnn is not implemented by the peer (only resnet20)"), r.err());
        assertTrue(r.err().contains("preprocess.normalize: standardize is not implemented by the peer"), r.err());
    }

    /** The peer's optimizer is Adam / SGD decaying kernels only: LARS and decay on biases/BatchNorm are refused. */
    @Test
    void refusesLarsAndDecayOnBiasesAndBatchNorm() throws Exception {
        String yaml = Files.readString(rotationSpec())
                .replace("pretext: {epochs: 1,", "pretext: {optimizer: {name: lars, lr: 0.3}, epochs: 1,")
                .replace("weight_decay: 0.0005}", "weight_decay: 0.0005, exclude_bias_bn: false}");
        assertTrue(yaml.contains("name: lars") && yaml.contains("exclude_bias_bn: false"), "test edits must apply");
        Path specFile = tmp.resolve("lars.yaml");
        Files.writeString(specFile, yaml);
        CliRun r = repro(specFile, tmp.resolve("unused.py"));
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("methods[1] (rotation) pretext.optimizer.name: lars is not implemented by the peer"), r.err());
        assertTrue(r.err().contains("protocols.finetune.optimizer.exclude_bias_bn: false (weight decay on biases and BatchNorm)"
                + " is not implemented by the peer"), r.err());
    }

    /** A method preset's settings (SGD decaying every parameter) are named as the preset's, with the way out. */
    @Test
    void aPresetsSettingsAreRefusedWithTheWayOut() throws Exception {
        String yaml = Files.readString(rotationSpec()).replace("preset: none\n", "");
        Path specFile = tmp.resolve("preset.yaml");
        Files.writeString(specFile, yaml);
        CliRun r = repro(specFile, tmp.resolve("unused.py"));
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("(rotation took its 'small' preset, which sets what the spec does not write; add"
                + " `preset: none` to run the recipe the spec writes out)"), r.err());
    }

    /** AdamW (decoupled decay) is refused as LARS is: the peer implements Adam / SGD with coupled L2 only. */
    @Test
    void refusesAdamw() throws Exception {
        String yaml = Files.readString(rotationSpec())
                .replace("pretext: {epochs: 1,", "pretext: {optimizer: {name: adamw, lr: 0.001}, epochs: 1,");
        assertTrue(yaml.contains("name: adamw"), "test edit must apply");
        Path specFile = tmp.resolve("adamw.yaml");
        Files.writeString(specFile, yaml);
        CliRun r = repro(specFile, tmp.resolve("unused.py"));
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("methods[1] (rotation) pretext.optimizer.name: adamw is not implemented by the peer"
                + " (only adam, sgd)"), r.err());
    }

    @Test
    void withoutOurResultsItSaysToRunBenchFirst() throws Exception {
        Path specFile = rotationSpec();
        CliRun r = repro(specFile, tmp.resolve("unused.py"));
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no results of ours in " + results), r.err());
        assertTrue(r.err().contains("make bench SPEC=" + specFile + " DATA=" + data + " OUT=" + results + "`"), r.err());

        // --out given on the command line: the hint writes there too, so following it makes the retry work.
        Path elsewhere = tmp.resolve("other results");
        r = repro(specFile, tmp.resolve("unused.py"), "--out", elsewhere.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no results of ours in " + elsewhere), r.err());
        assertTrue(r.err().contains("make bench SPEC=" + specFile + " DATA=" + data + " OUT='" + elsewhere + "'`"), r.err());

        // Cells present but one subset file gone: named, with the same advice.
        writeOurs(specFile);
        Files.delete(results.resolve("subsets/cifar10-seed2-n20.txt"));
        r = repro(specFile, tmp.resolve("unused.py"));
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("2 of the spec's 12 fine-tune cells are not ready"), r.err());
        assertTrue(r.err().contains("cifar10-seed2-n20.txt"), r.err());
    }

    @Test
    void writesTheConfigImportsThePeerCellsAndComparesPaired() throws Exception {
        Path specFile = rotationSpec();
        Map<String, CellResult> ours = writeOurs(specFile);
        Path peer = fakePeer();
        CliRun r = repro(specFile, peer);
        assertEquals(Main.OK, r.code(), r.out() + r.err());

        // The config: only the peer's fields, our pool and subsets, both blocks resolved.
        JsonObject cfg = JsonParser.parseString(Files.readString(results.resolve("peer/config.json"))).getAsJsonObject();
        assertEquals(data.toAbsolutePath().toString(), cfg.get("data_dir").getAsString());
        assertEquals("pixel_mean", cfg.get("normalize").getAsString());
        List<String> pool = Files.readAllLines(Path.of(cfg.get("pool_file").getAsString()));
        assertEquals(Arrays.stream(UnlabeledPool.indices(60, 30)).mapToObj(Integer::toString).toList(), pool);
        JsonArray groups = cfg.getAsJsonArray("groups");
        assertEquals(6, groups.size(), "one group per method and seed");
        int cells = 0;
        for (JsonElement ge : groups) {
            JsonObject g = ge.getAsJsonObject();
            boolean rotation = g.get("method").getAsString().equals("rotation");
            assertEquals(rotation, !g.get("pretext").isJsonNull());
            if (rotation) {
                JsonObject pre = g.getAsJsonObject("pretext");
                assertEquals(1, pre.get("epochs").getAsInt());
                assertEquals(8, pre.get("batch_size").getAsInt());
                assertEquals(0.9, pre.get("bn_momentum").getAsDouble(), 1e-6);
                assertEquals(List.of("hflip", "shift"), pre.getAsJsonObject("augment").keySet().stream().sorted().toList());
                assertFalse(g.getAsJsonObject("params").get("all_four").getAsBoolean());
            }
            for (JsonElement ce : g.getAsJsonArray("cells")) {
                JsonObject c = ce.getAsJsonObject();
                CellResult our = ours.get(c.get("cell_hash").getAsString());
                assertEquals(our.nLabels(), c.get("n_labels").getAsInt());
                int[] subset = LabelSubsets.read(Path.of(c.get("subset_file").getAsString()));
                assertEquals(our.labelSubset(), LabelSubsets.fingerprint(subset));
                JsonObject ft = c.getAsJsonObject("finetune");
                assertEquals(1, ft.get("eval_every").getAsInt());
                assertEquals(0.0005, ft.getAsJsonObject("optimizer").get("weight_decay").getAsDouble(), 1e-12);
                assertEquals("constant", ft.getAsJsonObject("schedule").get("name").getAsString());
                cells++;
            }
        }
        assertEquals(12, cells, "every fine-tune cell, no linear cell");
        assertTrue(r.out().contains("linear: not run by the peer"), r.out());

        // Peer rows: our identity, the peer's values, the script's hash as source.
        String sha = PeerRepro.sha256(peer);
        CellsCsv peerCells = CellsCsv.open(results.resolve("peer"));
        assertEquals(12, peerCells.rows().size());
        for (CellResult row : peerCells.rows()) {
            CellResult our = ours.get(row.configHash());
            assertEquals(our.configId(), row.configId());
            assertEquals(our.labelSubset(), row.labelSubset());
            assertEquals(sha, row.methodSourceHash());
            JsonObject o = JsonParser.parseString(Files.readString(results.resolve("peer/out/" + row.configHash() + ".json")))
                    .getAsJsonObject();
            assertEquals(o.get("test_accuracy").getAsDouble(), row.testAccuracy(), 1e-12);
            assertEquals(o.get("max_test_accuracy").getAsDouble(), row.maxTestAccuracy(), 1e-12);
            assertEquals("torch 0.0-fake", row.provenance().tfVersion());
            assertEquals(row.method().equals("rotation") ? 1.2 : Double.NaN, row.pretextLoss(), 1e-12);
        }
        assertEquals(4, Leaderboard.read(results.resolve("peer/leaderboard.csv")).rows().size(), "2 methods x 2 label counts");

        // make compare A=<results> B=<results>/peer: one row per method x n, paired over the 3 seeds.
        Comparison cmp = Comparison.of(results, results.resolve("peer"));
        assertEquals(4, cmp.rows().size(), cmp.toString());
        for (ComparisonRow row : cmp.rows()) {
            assertEquals(NoiseTest.PAIRED, row.judgement().test(), row.toString());
        }
        // Rotation, ours − peer per seed s: 0.02 s − 0.01 s² = 0, 0.01, 0: Δ +0.33 points, band 2·sd/√3 = 0.67 points.
        assertTrue(r.out().contains("SSL gain, rotation - supervised"), r.out());
        String line = r.out().lines().filter(l -> l.matches("\\s*10\\s+rotation\\s+final.*")).findFirst().orElseThrow();
        assertTrue(line.contains("+0.33"), line);
        assertTrue(line.contains("within noise (paired)"), line);
    }

    @Test
    void aStoppedPeerKeepsItsFinishedCellsAndTheRerunRunsOnlyTheRest() throws Exception {
        Path specFile = rotationSpec();
        writeOurs(specFile);
        Path peer = fakePeer();
        Files.createDirectories(results.resolve("peer"));
        Files.writeString(results.resolve("peer/stop-after"), "5");
        CliRun r = repro(specFile, peer);
        assertEquals(Main.CELLS_FAILED, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the peer exited with code 1"), r.err());
        assertEquals(5, CellsCsv.open(results.resolve("peer")).rows().size());
        assertTrue(r.out().contains("7 of 12 cells have no peer result yet"), r.out());

        Files.delete(results.resolve("peer/stop-after"));
        r = repro(specFile, peer);
        assertEquals(Main.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("12 fine-tune cells, 5 already done"), r.out());
        JsonObject cfg = JsonParser.parseString(Files.readString(results.resolve("peer/config.json"))).getAsJsonObject();
        int pending = 0;
        for (JsonElement g : cfg.getAsJsonArray("groups")) {
            pending += g.getAsJsonObject().getAsJsonArray("cells").size();
        }
        assertEquals(7, pending, "only the cells the stopped run had not finished");
        assertEquals(12, CellsCsv.open(results.resolve("peer")).rows().size());
        Map<String, Long> perMethod = CellsCsv.open(results.resolve("peer")).rows().stream()
                .collect(Collectors.groupingBy(CellResult::method, Collectors.counting()));
        assertEquals(Map.of("supervised", 6L, "rotation", 6L), perMethod);
    }

    /**
     * The ours and peer columns are means over each side's own seeds; when those differ, the
     * paired Δ beside them is over the common seeds only and says so.
     */
    @Test
    void aPairedDeltaOverFewerSeedsThanASideHasSaysOverWhich() throws Exception {
        Path specFile = rotationSpec();
        writeOurs(specFile);
        Path peer = fakePeer();
        Files.createDirectories(results.resolve("peer"));
        Files.writeString(results.resolve("peer/stop-after"), "4"); // supervised seeds 0 and 1, both label counts
        CliRun r = repro(specFile, peer);
        assertEquals(Main.CELLS_FAILED, r.code(), r.out() + r.err());
        String line = r.out().lines().filter(l -> l.matches("\\s*10\\s+supervised\\s+final.*")).findFirst().orElseThrow();
        // Ours over seeds 0..2, peer over 0 and 1; ours − peer per seed s: 0.01 + 0.02 s − 0.01 s² = 0.01, 0.02: Δ +1.50.
        assertTrue(line.contains("(3)") && line.contains("(2)"), line);
        assertTrue(line.contains("+1.50 (paired over 2 common seeds)"), line);
        // With every seed on both sides nothing is added.
        Files.delete(results.resolve("peer/stop-after"));
        r = repro(specFile, peer);
        line = r.out().lines().filter(l -> l.matches("\\s*10\\s+supervised\\s+final.*")).findFirst().orElseThrow();
        assertTrue(line.contains("+1.33 "), line); // 0.01, 0.02, 0.01
        assertFalse(line.contains("(paired over"), line);
    }

    @Test
    void aChangedPeerScriptRecomputesItsCells() throws Exception {
        Path specFile = rotationSpec();
        writeOurs(specFile);
        Path original = fakePeer();
        assertEquals(Main.OK, repro(specFile, original).code());
        Path changed = tmp.resolve("fake_rotation_peer_v2.py");
        Files.writeString(changed, Files.readString(original) + "\n# changed\n");
        CliRun r = repro(specFile, changed);
        assertEquals(Main.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("12 fine-tune cells, 0 already done"), r.out());
        String sha = PeerRepro.sha256(changed);
        assertTrue(CellsCsv.open(results.resolve("peer")).rows().stream().allMatch(c -> c.methodSourceHash().equals(sha)));
        assertEquals(12, CellsCsv.open(results.resolve("peer")).rows().size(), "replaced, not appended");
    }

    /** OUT= only when the results directory is not the default results/<name>; DATA= only when given. */
    @Test
    void benchHintNamesOutOnlyWhenNotTheDefault() throws Exception {
        Spec spec = load(rotationSpec(), registries());
        String file = spec.file();
        assertEquals("make bench SPEC=" + file + " DATA=" + data + " OUT=" + results,
                PeerRepro.benchCommand(spec, results));
        assertEquals("make bench SPEC=" + file + " DATA=" + data, PeerRepro.benchCommand(spec, Path.of("results", "t")));
    }
}
