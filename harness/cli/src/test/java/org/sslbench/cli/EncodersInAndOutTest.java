package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.Dataset;
import org.sslbench.engine.Checkpoint;
import org.sslbench.engine.Tensors;
import org.sslbench.evaluate.EncoderFeatures;
import org.sslbench.matrix.Matrix;
import org.sslbench.run.Registries;
import org.sslbench.spec.Overrides;
import org.sslbench.spec.SpecLoader;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;
import org.sslbench.transfer.SavedModelExport;
import org.sslbench.testing.FormatWriters;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/**
 * Encoders in and out on a tiny run: a rotation encoder exported as a SavedModel computes the
 * harness's features, and the {@code pretrained} method started from the export or from the
 * checkpoint reproduces the rotation cells; weights that do not fit, or are missing, are refused.
 */
class EncodersInAndOutTest {
    @TempDir
    static Path work;
    static Path data;
    static Path results;
    static Path spec;

    private static final String COMMON = """
            datasets: [fashion-mnist]
            labels: {per_class: [2]}
            preprocess: {normalize: standardize}
            protocols:
              linear: {}
              knn: {k: 3}
            """;

    @BeforeAll
    static void trainTinyRotation() throws IOException {
        data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 8, 4, 1), true);
        spec = work.resolve("rot.yaml");
        Files.writeString(spec, "name: rot\nbackbone: small-cnn\nmethods: [rotation]\nseeds: [0, 1]\n"
                + "pretext: {epochs: 1, batch_size: 16}\n" + COMMON);
        results = work.resolve("rot");
        CliRun bench = CliRun.of("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", results.toString(),
                "--quiet");
        assertEquals(Main.OK, bench.code(), bench.out() + bench.err());
    }

    private static CliRun export(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("export", "--spec", spec.toString(), "--data", data.toString(),
                "--out", results.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    private static Path checkpoint(int seed) throws IOException {
        String hash = csv(results.resolve("cells.csv")).stream().filter(r -> r.get("seed").equals("" + seed))
                .map(r -> r.get("pretext_hash")).findFirst().orElseThrow();
        return results.resolve("pretext").resolve(hash + ".ckpt");
    }

    @Test
    void ambiguousChoiceListsTheTrainedEncodersAndAnExportComputesTheHarnessFeatures() throws Exception {
        CliRun ambiguous = export();
        assertEquals(Main.BAD_INPUT, ambiguous.code());
        assertTrue(ambiguous.err().contains("2 trained encoders match"), ambiguous.err());
        assertTrue(ambiguous.err().contains("--seed 0") && ambiguous.err().contains("--seed 1"), ambiguous.err());
        CliRun none = export("--method", "simclr");
        assertEquals(Main.BAD_INPUT, none.code());
        assertTrue(none.err().contains("no pretext run of spec") && none.err().contains("--method rotation"), none.err());

        Path dest = work.resolve("exported/rot-seed0");
        CliRun ok = export("--seed", "0", "--to", dest.toString());
        assertEquals(Main.OK, ok.code(), ok.out() + ok.err());
        assertTrue(Files.isRegularFile(dest.resolve("saved_model.pb")));

        // The model card: what, interface, provenance, and this encoder's accuracies from cells.csv.
        JsonObject card = JsonParser.parseString(Files.readString(dest.resolve("model-card.json"))).getAsJsonObject();
        assertEquals("rotation", card.getAsJsonObject("encoder").get("method").getAsString());
        assertEquals("small-cnn", card.getAsJsonObject("encoder").get("backbone").getAsString());
        assertEquals("standardize", card.getAsJsonObject("normalization").get("mode").getAsString());
        assertEquals("[-1,28,28,1]", card.getAsJsonObject("input").get("shape").toString());
        Path ckpt = checkpoint(0);
        assertEquals(ckpt.getFileName().toString(), card.getAsJsonObject("provenance").get("pretext_hash").getAsString() + ".ckpt");
        List<CSVRecord> seed0 = csv(results.resolve("cells.csv")).stream().filter(r -> r.get("seed").equals("0")).toList();
        assertEquals(seed0.size(), card.getAsJsonArray("accuracy").size());
        double knn = Double.parseDouble(seed0.stream().filter(r -> r.get("protocol").equals("knn")).findFirst().orElseThrow()
                .get("test_accuracy"));
        assertTrue(card.getAsJsonArray("accuracy").asList().stream().anyMatch(a -> a.getAsJsonObject().get("protocol")
                .getAsString().equals("knn") && a.getAsJsonObject().get("test_accuracy").getAsDouble() == knn), card.toString());
        assertTrue(Files.readString(dest.resolve("model-card.md")).contains("| knn | 20 |"),
                Files.readString(dest.resolve("model-card.md")));

        // Same features as the harness's own forward pass over the same test images.
        Registries registries = Registries.discover(null, Set.of("finetune", "linear", "knn"));
        Dataset ds = registries.datasetRegistry().get("fashion-mnist").load(data, 0);
        Normalizer normalizer = Normalizer.fit("standardize", ds.train());
        Map<String, float[]> weights = Checkpoint.read(ckpt).tensors();
        float[] expected;
        try (EncoderFeatures f = new EncoderFeatures(registries.backboneRegistry().get("small-cnn"), weights, 0,
                new Batches(ds.train(), normalizer, 0), new Batches(ds.test(), normalizer, 0))) {
            expected = f.test();
        }
        int n = ds.test().size();
        int size = ds.test().shape().size();
        float[] raw = new float[n * size];
        for (int i = 0; i < n; i++) {
            ds.test().readImage(i, raw, i * size);
        }
        try (SavedModelBundle b = SavedModelBundle.load(dest.toString(), "serve");
             TFloat32 x = Tensors.floats(raw, n, 28, 28, 1);
             var r = b.function(SavedModelExport.SIGNATURE).call(Map.of(SavedModelExport.INPUT, x))) {
            float[] got = Tensors.toFloats((TFloat32) r.get(SavedModelExport.OUTPUT).orElseThrow());
            assertEquals(expected.length, got.length);
            assertArrayEquals(expected, got, 1e-4f);
        }

        // Refuses to overwrite without --force; replaces with it.
        CliRun again = export("--seed", "0", "--to", dest.toString());
        assertEquals(Main.BAD_INPUT, again.code());
        assertTrue(again.err().contains(dest.toString()) && again.err().contains("--force"), again.err());
        assertEquals(Main.OK, export("--pretext", ckpt.toString(), "--to", dest.toString(), "--force").code());
    }

    private static Path pretrainedSpec(String name, String weights, String backbone) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nbackbone: " + backbone + "\nseeds: [0]\nmethods:\n"
                + "  - {name: pretrained, params: {weights: '" + weights + "'}}\n" + COMMON);
        return file;
    }

    private static Map<String, String> accuracies(Path dir, String method, int seed) throws IOException {
        return csv(dir.resolve("cells.csv")).stream().filter(r -> r.get("method").equals(method) && r.get("seed").equals("" + seed))
                .collect(Collectors.toMap(r -> r.get("protocol") + "/" + r.get("n_labels"), r -> r.get("test_accuracy")));
    }

    @Test
    void pretrainedFromTheExportOrTheCheckpointReproducesTheRotationCells() throws IOException {
        Path dest = work.resolve("exported/rot-seed1");
        assertEquals(Main.OK, export("--seed", "1", "--to", dest.toString()).code());
        Map<String, String> rotation = accuracies(results, "rotation", 1);
        assertEquals(2, rotation.size());
        String hashSavedModel = null;
        for (Path weights : List.of(dest, checkpoint(1))) {
            // The pretrained spec runs seed 1 too: the same label subset and linear-head initialisation
            // as rotation's seed-1 cells, so not only the features but the accuracies must be identical.
            Path s = pretrainedSpec("imp", weights.toString(), "small-cnn");
            Files.writeString(s, Files.readString(s).replace("seeds: [0]", "seeds: [1]"));
            Path out = work.resolve("imp-" + weights.getFileName());
            CliRun run = CliRun.of("bench", "--spec", s.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
            assertEquals(Main.OK, run.code(), run.out() + run.err());
            assertEquals(rotation, accuracies(out, "pretrained", 1), "pretrained from " + weights);
            CSVRecord row = csv(out.resolve("cells.csv")).get(0);
            assertTrue(row.get("method_params").contains("weights=" + weights), row.toString());
            assertTrue(row.get("method_params").contains("weights_sha256="), row.toString());
            if (hashSavedModel == null) {
                hashSavedModel = row.get("config_hash");
            } else {
                assertNotEquals(hashSavedModel, row.get("config_hash"), "other weights, other rows");
            }
        }
    }

    @Test
    void differentWeightsContentUnderTheSamePathGivesOtherCellHashes() throws IOException {
        Path file = work.resolve("moving.ckpt");
        Checkpoint original = Checkpoint.read(checkpoint(0));
        original.write(file);
        Registries registries = Registries.discover(null, Set.of("finetune", "linear", "knn"));
        String text = Files.readString(pretrainedSpec("moving", file.toString(), "small-cnn"));
        Set<String> before = cellHashes(registries, text);
        Map<String, float[]> changed = new java.util.LinkedHashMap<>(original.tensors());
        float[] k = changed.get("encoder/dense/bias").clone();
        k[0] += 1f;
        changed.put("encoder/dense/bias", k);
        new Checkpoint(original.metadata(), changed).write(file);
        Set<String> after = cellHashes(registries, text);
        assertEquals(before.size(), after.size());
        assertTrue(java.util.Collections.disjoint(before, after), before + " vs " + after);
    }

    private static Set<String> cellHashes(Registries registries, String text) {
        try {
            var s = SpecLoader.load("moving.yaml", text, registries, new Overrides(null, data, null));
            return Matrix.cells(Matrix.expand(s, Map.of("fashion-mnist", new int[] {20}))).stream()
                    .map(c -> c.cellHash()).collect(Collectors.toSet());
        } catch (org.sslbench.spec.SpecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void weightsOfAnotherBackboneAreRefusedBeforeAnyTrainingWithTheVariables() throws IOException {
        Path s = pretrainedSpec("wrong", checkpoint(0).toString(), "resnet20");
        Path out = work.resolve("wrong");
        for (String command : List.of("validate", "bench")) {
            CliRun run = CliRun.of(command, "--spec", s.toString(), "--data", data.toString(), "--out", out.toString());
            assertEquals(Main.BAD_INPUT, run.code(), run.out() + run.err());
            assertTrue(run.err().contains("wrong.yaml:5"), run.err());
            assertTrue(run.err().contains("do not fit backbone resnet20"), run.err());
            assertTrue(run.err().contains("missing encoder/"), run.err());
            assertTrue(run.err().contains("extra encoder/dense/kernel"), run.err());
            assertTrue(run.err().contains("trained with backbone small-cnn"), run.err());
        }
        assertFalse(Files.exists(out.resolve("cells.csv")), "nothing ran");
    }

    @Test
    void weightsOfAnotherImageShapeAreRefusedOnAnImageFolderBeforeAnyTraining() throws IOException {
        // Fashion-MNIST weights (28x28x1) on a 32x32x3 image folder: the same check as on a built-in dataset.
        ImageFoldersTest.folders(work.resolve("rgb/train"), 3, "a", "b");
        Path s = work.resolve("rgb.yaml");
        Files.writeString(s, "name: rgb\nbackbone: small-cnn\nseeds: [0]\n"
                + "datasets:\n  - name: my-rgb\n    folder: {train: rgb/train, image_size: 32, channels: 3}\n"
                + "methods:\n  - supervised\n  - {name: pretrained, params: {weights: '" + checkpoint(0) + "'}}\n"
                + "labels: {per_class: [1]}\nprotocols:\n  linear: {}\n");
        Path out = work.resolve("rgb-out");
        for (String command : List.of("validate", "bench")) {
            CliRun run = CliRun.of(command, "--spec", s.toString(), "--data", work.toString(), "--out", out.toString());
            assertEquals(Main.BAD_INPUT, run.code(), run.out() + run.err());
            assertTrue(run.err().contains("rgb.yaml:9"), run.err());
            assertTrue(run.err().contains("do not fit backbone small-cnn on dataset my-rgb (images 32x32x3)"), run.err());
            assertTrue(run.err().contains("encoder/conv0/kernel: expected shape [3, 3, 3, 128], found 1152 values"),
                    run.err());
        }
        assertFalse(Files.exists(out.resolve("cells.csv")), "no supervised cell trained before the refusal");
    }

    @Test
    void aPretextBlockWithOnlyScratchAndImportedWeightsSaysWhatEachMethodDoes() throws IOException {
        Path s = pretrainedSpec("nopre", checkpoint(0).toString(), "small-cnn");
        Files.writeString(s, Files.readString(s).replace("methods:\n", "pretext: {epochs: 1}\nmethods:\n  - supervised\n"));
        CliRun run = CliRun.of("validate", "--spec", s.toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("no method of this spec has a pretext run (supervised trains from scratch,"
                + " pretrained starts from the weights it is given)"), run.err());
    }

    @Test
    void missingOrEmptyWeightsAreRefusedNamingTheFile() throws IOException {
        Path missing = work.resolve("no-such-encoder.ckpt");
        CliRun run = CliRun.of("validate", "--spec", pretrainedSpec("gone", missing.toString(), "small-cnn").toString(),
                "--data", data.toString());
        assertEquals(Main.BAD_INPUT, run.code());
        assertTrue(run.err().contains("gone.yaml:5") && run.err().contains("no-such-encoder.ckpt")
                && run.err().contains("does not exist"), run.err());
        run = CliRun.of("validate", "--spec", pretrainedSpec("blank", "", "small-cnn").toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, run.code());
        assertTrue(run.err().contains("needs params.weights"), run.err());
        Path notModel = Files.createDirectories(work.resolve("just-a-dir"));
        run = CliRun.of("validate", "--spec", pretrainedSpec("dir", notModel.toString(), "small-cnn").toString(),
                "--data", data.toString());
        assertEquals(Main.BAD_INPUT, run.code());
        assertTrue(run.err().contains("without saved_model.pb"), run.err());
        try (Stream<Path> s = Files.list(work)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temp directories left");
        }
    }
}
