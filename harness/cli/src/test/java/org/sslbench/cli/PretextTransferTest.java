package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Checkpoint;
import org.sslbench.testing.FormatWriters;

/**
 * Pretrain on one dataset, evaluate on another (issue 12, part 2), end to end through the CLI on
 * generated data: an STL-10-format pool (96×96×3) pretrains rotation for Fashion-MNIST (28×28×1)
 * few-label cells; rows, leaderboard, report, checkpoint and model card name the pretext dataset;
 * the converted pool is cached and reused; a folder used only as a pretext pool works; bad
 * pretext datasets exit 2 naming the line.
 */
class PretextTransferTest {
    @TempDir
    static Path work;
    static Path data;
    static Path results;
    static Path spec;
    static CliRun first;

    private static final String SPEC = """
            name: transfer
            datasets: [fashion-mnist]
            backbone: small-cnn
            methods: [rotation, supervised]
            seeds: [0]
            labels: {per_class: [1, 2]}
            pretext:
              epochs: 1
              batch_size: 8
              dataset: stl10
            protocols:
              linear: {}
              knn: {k: 3}
            """;

    @BeforeAll
    static void benchOnStl10Pool() throws IOException {
        data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 4, 2, 1), true);
        // STL-10's binary format, 10 classes x 2 train images; the pool is the 20 train images.
        FormatWriters.writeStl10(data.resolve("stl10_binary"), FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 2, 1, 2),
                List.of(new int[] {0, 1}), true);
        spec = work.resolve("transfer.yaml");
        Files.writeString(spec, SPEC);
        results = work.resolve("out");
        first = bench(spec, results);
        assertEquals(Main.OK, first.code(), first.out() + first.err());
    }

    private static CliRun bench(Path specFile, Path out) {
        return CliRun.of("bench", "--spec", specFile.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    @Test
    void rowsNameThePretextDatasetAndShareOnePretextRun() throws Exception {
        List<CSVRecord> cells = csv(results.resolve("cells.csv"));
        List<CSVRecord> rotation = cells.stream().filter(r -> r.get("method").equals("rotation")).toList();
        assertEquals(4, rotation.size(), "2 label counts x 2 protocols");
        assertTrue(rotation.stream().allMatch(r -> r.get("pretext_dataset").equals("stl10") && r.get("status").equals("ok")
                && r.get("dataset").equals("fashion-mnist")));
        Set<String> hashes = rotation.stream().map(r -> r.get("pretext_hash")).collect(Collectors.toSet());
        assertEquals(1, hashes.size(), "every label count and protocol evaluates the one pretext run");
        assertTrue(cells.stream().filter(r -> r.get("method").equals("supervised"))
                .allMatch(r -> r.get("pretext_dataset").isEmpty()));
        assertTrue(first.out().contains("rotation on fashion-mnist \u2190 stl10 unlabeled 20 resized 96x96x3\u219228x28x1"),
                first.out());

        Checkpoint ckpt = Checkpoint.read(results.resolve("pretext").resolve(hashes.iterator().next() + ".ckpt"));
        assertEquals("stl10", ckpt.metadata().get("pretext_dataset"));
        assertEquals("fashion-mnist", ckpt.metadata().get("dataset"));

        List<CSVRecord> board = csv(results.resolve("leaderboard.csv"));
        assertTrue(board.stream().filter(r -> r.get("method").equals("rotation"))
                .allMatch(r -> r.get("pretext_dataset").equals("stl10")));
        String report = Files.readString(results.resolve("report.md"));
        assertTrue(report.contains("rotation (pretext: stl10)"), report);
        try (Stream<Path> s = Files.list(data.resolve("cache"))) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("pretext-stl10-28x28x1-")).count());
        }
    }

    @Test
    void theConvertedPoolIsReusedAndThePretextHashDiffersFromOwnPoolPretraining() throws Exception {
        CliRun again = bench(spec, work.resolve("again"));
        assertEquals(Main.OK, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("pretext pool stl10 unlabeled 20 resized 96x96x3\u219228x28x1 reused"), again.out());
        assertEquals(csv(results.resolve("cells.csv")).stream().map(r -> r.get("config_hash")).collect(Collectors.toSet()),
                csv(work.resolve("again/cells.csv")).stream().map(r -> r.get("config_hash")).collect(Collectors.toSet()));

        Path own = work.resolve("own.yaml");
        Files.writeString(own, SPEC.replace("  dataset: stl10\n", "").replace("linear: {}\n", "")
                .replace("methods: [rotation, supervised]", "methods: [rotation]"));
        CliRun ownRun = bench(own, work.resolve("own"));
        assertEquals(Main.OK, ownRun.code(), ownRun.out() + ownRun.err());
        Set<String> ownHashes = csv(work.resolve("own/cells.csv")).stream().map(r -> r.get("pretext_hash"))
                .collect(Collectors.toSet());
        Set<String> transferHashes = csv(results.resolve("cells.csv")).stream()
                .filter(r -> r.get("method").equals("rotation")).map(r -> r.get("pretext_hash")).collect(Collectors.toSet());
        assertEquals(1, ownHashes.size());
        assertFalse(transferHashes.containsAll(ownHashes), "own-pool and stl10-pool pretraining are different runs");
        assertTrue(csv(work.resolve("own/cells.csv")).stream().allMatch(r -> r.get("pretext_dataset").isEmpty()));
    }

    @Test
    void theModelCardNamesThePretextDataset() throws Exception {
        Path dest = work.resolve("exported");
        CliRun export = CliRun.of("export", "--spec", spec.toString(), "--data", data.toString(), "--out", results.toString(),
                "--method", "rotation", "--to", dest.toString());
        assertEquals(Main.OK, export.code(), export.out() + export.err());
        JsonObject card = JsonParser.parseString(Files.readString(dest.resolve("model-card.json"))).getAsJsonObject();
        assertEquals("stl10", card.getAsJsonObject("encoder").get("pretext_dataset").getAsString());
        assertEquals("fashion-mnist", card.getAsJsonObject("encoder").get("dataset").getAsString());
        assertTrue(Files.readString(dest.resolve("model-card.md")).contains("the pool of stl10"));
    }

    @Test
    void aFolderUsedOnlyAsPretextPoolWorks() throws Exception {
        Path big = Files.createDirectories(data.resolve("big-pool/a"));
        for (int i = 0; i < 12; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xFFFFFF);
            ImageIO.write(img, "png", big.resolve(i + ".png").toFile());
        }
        Path folderSpec = work.resolve("folder.yaml");
        Files.writeString(folderSpec, SPEC.replace("  dataset: stl10\n", "  dataset: {name: my-big, folder: {unlabeled: big-pool}}\n")
                .replace("methods: [rotation, supervised]", "methods: [rotation]")
                .replace("linear: {}\n", ""));
        CliRun run = bench(folderSpec, work.resolve("folder"));
        assertEquals(Main.OK, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("\u2190 my-big (image folder unlabeled " + data.resolve("big-pool").toAbsolutePath().normalize()
                + ") unlabeled 12 decoded to 28x28x1 crop"), run.out());
        assertTrue(csv(work.resolve("folder/cells.csv")).stream().allMatch(r -> r.get("pretext_dataset").equals("my-big")
                && r.get("status").equals("ok")));
    }

    @Test
    void badPretextDatasetsExitTwoNamingTheLine() throws Exception {
        record Case(String from, String to, String line, String message) {
        }
        List<Case> cases = List.of(
                new Case("dataset: stl10", "dataset: stl11", "bad.yaml:10", "pretext.dataset"),
                new Case("dataset: stl10", "dataset: fashion-mnist", "bad.yaml:10", "is an evaluation dataset of this spec"),
                new Case("dataset: stl10", "dataset: cifar10", "bad.yaml:10", "pretext dataset 'cifar10' cannot be read"),
                new Case("batch_size: 8\n  dataset", "batch_size: 21\n  dataset", "bad.yaml:9", "larger than the unlabeled pool of pretext dataset 'stl10' (at most 20"),
                new Case("dataset: stl10", "dataset: {name: stl10, unlabeled_limit: 21}", "bad.yaml:10",
                        "larger than the 20 unlabeled images of pretext dataset 'stl10'"),
                new Case("datasets: [fashion-mnist]", "datasets: [{name: fashion-mnist, unlabeled_limit: 10}]", "bad.yaml:2",
                        "unlabeled_limit has no effect"));
        for (Case c : cases) {
            Path bad = work.resolve("bad.yaml");
            Files.writeString(bad, SPEC.replace(c.from(), c.to()));
            for (String command : List.of("validate", "bench")) {
                CliRun run = command.equals("bench") ? bench(bad, work.resolve("bad-out"))
                        : CliRun.of(command, "--spec", bad.toString(), "--data", data.toString());
                assertEquals(Main.BAD_INPUT, run.code(), c + ": " + run.out() + run.err());
                assertTrue(run.err().contains(c.line()) && run.err().contains(c.message()), c + ": " + run.err());
                assertFalse(Files.exists(work.resolve("bad-out/cells.csv")), "nothing ran");
            }
        }
    }
}
