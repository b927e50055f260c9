package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.LabelSubsets;
import org.sslbench.testing.FormatWriters;
import org.sslbench.train.Normalizer;

/**
 * The {@code pixels} baseline end to end: linear and kNN rows (no finetune) in every backbone group
 * next to {@code supervised}, kNN equal to an independent kNN on the normalised pixels, no backbone
 * code recorded, notes in validate and bench, a rerun reusing every row, {@code list}, and the
 * refusal of a spec where pixels would have no cells.
 */
class PixelsBaselineTest {
    @TempDir
    static Path work;
    static Path data;
    static Path spec;
    static Path results;
    static Dataset dataset;
    static CliRun first;

    private static final String SPEC = """
            name: floor
            datasets: [fashion-mnist]
            backbones: [small-cnn, resnet20]
            methods:
              - supervised
              - pixels
            labels: {per_class: [1, 2]}
            seeds: [0]
            protocols:
              finetune: {epochs: 1, batch_size: 8}
              linear: {}
              knn: {k: 3, temperature: 0.5}
            preprocess: {normalize: pixel_mean}
            """;

    @BeforeAll
    static void bench() throws IOException {
        data = Files.createDirectory(work.resolve("data"));
        dataset = FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 3, 2, 4);
        FormatWriters.writeFashionMnist(data, dataset, true);
        spec = work.resolve("floor.yaml");
        Files.writeString(spec, SPEC);
        results = work.resolve("out");
        first = CliRun.of("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", results.toString(), "--quiet");
        assertEquals(Main.OK, first.code(), first.out() + first.err());
    }

    private static List<CSVRecord> rows() throws IOException {
        try (Reader r = Files.newBufferedReader(results.resolve("cells.csv"))) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    @Test
    void pixelsHasLinearAndKnnRowsInEveryBackboneGroupAndNoFinetune() throws IOException {
        List<CSVRecord> rows = rows();
        // supervised: 2 backbones × 3 protocols × 2 label counts; pixels: 2 × 2 × 2
        assertEquals(20, rows.size(), first.out());
        List<CSVRecord> pixels = rows.stream().filter(r -> r.get("method").equals("pixels")).toList();
        assertEquals(8, pixels.size());
        for (String backbone : List.of("small-cnn", "resnet20")) {
            for (String protocol : List.of("linear", "knn")) {
                for (String n : List.of("10", "20")) {
                    assertEquals(1, pixels.stream().filter(r -> r.get("backbone").equals(backbone)
                            && r.get("protocol").equals(protocol) && r.get("n_labels").equals(n)).count(),
                            backbone + "/" + protocol + "/" + n);
                }
            }
        }
        assertFalse(pixels.stream().anyMatch(r -> r.get("protocol").equals("finetune")));
        assertEquals(4, rows.stream().filter(r -> r.get("method").equals("supervised") && r.get("protocol").equals("finetune")).count());
        for (CSVRecord r : pixels) {
            assertEquals("ok", r.get("status"), r.toString());
            assertEquals("", r.get("pretext_loss"), r.toString());
            // the backbone never runs for pixels: no backbone code recorded, so its jar cannot make these rows stale
            assertEquals("", r.get("backbone_source"), r.toString());
            assertEquals("", r.get("backbone_source_sha256"), r.toString());
            assertFalse(r.get("method_source_sha256").isEmpty(), r.toString());
            // the same features in each backbone group: the same numbers
            CSVRecord twin = pixels.stream().filter(o -> !o.get("backbone").equals(r.get("backbone"))
                    && o.get("protocol").equals(r.get("protocol")) && o.get("n_labels").equals(r.get("n_labels")))
                    .findFirst().orElseThrow();
            assertEquals(r.get("test_accuracy"), twin.get("test_accuracy"), r + " vs " + twin);
            // computed once and reused for the other backbone's row (the same seconds, to the last digit)
            assertEquals(r.get("wall_seconds"), twin.get("wall_seconds"), r + " vs " + twin);
        }
        rows.stream().filter(r -> r.get("method").equals("supervised"))
                .forEach(r -> assertFalse(r.get("backbone_source_sha256").isEmpty(), r.toString()));
        assertTrue(first.out().contains("note: pixels: linear, knn only, no finetune cells (its features are the raw"
                + " normalised pixels; there is no encoder to fine-tune)"), first.out());
    }

    /** The kNN rows equal a kNN written here from the definition, on the pixel_mean-normalised images. */
    @Test
    void knnRowsEqualAnIndependentKnnOnTheNormalisedPixels() throws IOException {
        Normalizer normalizer = Normalizer.fit("pixel_mean", dataset.train());
        float[][] test = images(dataset.test(), IntStream.range(0, dataset.test().size()).toArray(), normalizer);
        for (int n : new int[] {10, 20}) {
            int[] subset = LabelSubsets.select(dataset.train().labels(), 10, n, 0);
            float[][] train = images(dataset.train(), subset, normalizer);
            int right = 0;
            for (int t = 0; t < test.length; t++) {
                right += predict(train, Arrays.stream(subset).map(i -> dataset.train().label(i)).toArray(), test[t], 3, 0.5)
                        == dataset.test().label(t) ? 1 : 0;
            }
            double expected = (double) right / test.length;
            List<CSVRecord> knn = rows().stream().filter(r -> r.get("method").equals("pixels")
                    && r.get("protocol").equals("knn") && r.get("n_labels").equals("" + n)).toList();
            assertEquals(2, knn.size()); // one per backbone
            for (CSVRecord r : knn) {
                assertEquals(expected, Double.parseDouble(r.get("test_accuracy")), 1e-12, r.toString());
            }
        }
    }

    private static float[][] images(ImageSet set, int[] indices, Normalizer normalizer) {
        int size = set.shape().size();
        float[][] out = new float[indices.length][size];
        for (int i = 0; i < indices.length; i++) {
            set.readImage(indices[i], out[i], 0);
            normalizer.apply(out[i], 0);
        }
        return out;
    }

    /** Cosine similarity, the k most similar, votes Σ exp(sim / T) per class, the largest vote. */
    private static int predict(float[][] train, int[] labels, float[] query, int k, double temperature) {
        double[] sims = new double[train.length];
        for (int i = 0; i < train.length; i++) {
            double dot = 0;
            double a = 0;
            double b = 0;
            for (int d = 0; d < query.length; d++) {
                dot += (double) train[i][d] * query[d];
                a += (double) train[i][d] * train[i][d];
                b += (double) query[d] * query[d];
            }
            sims[i] = dot / Math.sqrt(a * b);
        }
        Integer[] order = IntStream.range(0, train.length).boxed().sorted(Comparator.comparingDouble(i -> -sims[i]))
                .toArray(Integer[]::new);
        double[] votes = new double[10];
        for (int j = 0; j < k; j++) {
            votes[labels[order[j]]] += Math.exp(sims[order[j]] / temperature);
        }
        return IntStream.range(0, votes.length).boxed().max(Comparator.comparingDouble(c -> votes[c])).orElseThrow();
    }

    @Test
    void aRerunReusesEveryPixelsRow() throws IOException {
        String before = Files.readString(results.resolve("cells.csv"));
        CliRun again = CliRun.of("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", results.toString(), "--quiet");
        assertEquals(Main.OK, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("20 cells in 4 pretext groups, 20 already in"), again.out());
        assertFalse(again.out().contains("computed by other code"), again.out());
        assertEquals(before, Files.readString(results.resolve("cells.csv")));
        String board = Files.readString(results.resolve("leaderboard.csv"));
        assertTrue(board.contains("pixels"), board);
    }

    @Test
    void validateAndListSayWhatPixelsIs() throws IOException {
        CliRun validate = CliRun.of("validate", "--spec", spec.toString(), "--data", data.toString());
        assertEquals(Main.OK, validate.code(), validate.out() + validate.err());
        assertTrue(validate.out().contains("note: pixels: linear, knn only, no finetune cells"), validate.out());
        CliRun list = CliRun.of("list");
        assertEquals(Main.OK, list.code(), list.err());
        assertTrue(list.out().contains("pixels") && list.out().contains("no encoder: linear probe and kNN on the"
                + " normalised pixels"), list.out());
    }

    /** A plugin declaring pixel features together with a pretext run is skipped at load, with the reason. */
    @Test
    void aPluginWithPixelFeaturesAndAPretextIsSkipped() throws IOException {
        Path dir = Files.createDirectory(work.resolve("plugins"));
        String cls = "org.example.pixly.M";
        String src = org.sslbench.testing.PluginJars.methodSource(cls, "pixly", false)
                .replace("public int views(Params p) { return 0; }",
                        "public int views(Params p) { return 1; }\n  public boolean pixelFeatures() { return true; }");
        assertTrue(src.contains("pixelFeatures"), src);
        org.sslbench.testing.PluginJars.build(dir, "pixly-1.0.jar", java.util.Map.of(cls, src), "org.sslbench.method.Method", cls);
        CliRun list = CliRun.of("list", "--plugins", dir.toString());
        assertEquals(Main.OK, list.code(), list.err());
        assertTrue(list.out().contains("pixly-1.0.jar: method 'pixly' (org.example.pixly.M) has an invalid declaration and"
                + " was skipped: pixelFeatures() is true, so views must be 0 and weightsParam null"), list.out());
    }

    @Test
    void pixelsWithOnlyFinetuneIsRefusedWithItsLine() throws IOException {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, SPEC.replace("  linear: {}\n  knn: {k: 3, temperature: 0.5}\n", ""));
        CliRun run = CliRun.of("validate", "--spec", bad.toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("bad.yaml") && run.err().contains(":6") && run.err().contains("method 'pixels' has no cells"),
                run.err());
    }
}
