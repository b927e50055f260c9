package org.sslbench.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Checkpoint;
import org.sslbench.engine.Tensors;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.evaluate.EncoderFeatures;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/** The SavedModel export computes the harness's features, and reads back as the same weights. */
class SavedModelExportTest {
    private static final ImageShape SHAPE = new ImageShape(28, 28, 1);

    @TempDir
    Path dir;

    /** Every encoder variable set to seeded random values (BatchNorm variances positive), not the init. */
    static Map<String, float[]> randomWeights(Backbone backbone, ImageShape shape, long seed) {
        Map<String, float[]> out = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(seed);
        WeightsCheck.expected(backbone, shape).forEach((name, s) -> {
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            float[] v = new float[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) {
                v[i] = name.endsWith("moving_variance") ? (float) (0.5 + rng.nextDouble())
                        : (float) ((rng.nextDouble() - 0.5) * 0.4);
            }
            out.put(name, v);
        });
        return out;
    }

    static ArrayImageSet images(int n, ImageShape shape, long seed) {
        byte[] px = new byte[n * shape.size()];
        new SplittableRandom(seed).nextBytes(px);
        int[] labels = new int[n];
        return new ArrayImageSet(shape, px, labels);
    }

    @Test
    void savedModelGivesTheHarnessFeaturesOnRawPixelsAndReadsBackAsTheSameWeights() throws IOException {
        Backbone backbone = new SmallCnn();
        Map<String, float[]> weights = randomWeights(backbone, SHAPE, 7);
        ArrayImageSet images = images(5, SHAPE, 3);
        Normalizer normalizer = Normalizer.fit("standardize", images);
        Path dest = dir.resolve("enc");
        int dim = SavedModelExport.write(dest, backbone, SHAPE, weights, normalizer, Map.of("model-card.md", "# card\n"), false);
        assertTrue(Files.isRegularFile(dest.resolve("saved_model.pb")));
        assertEquals("# card\n", Files.readString(dest.resolve("model-card.md")));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(dest), s.toList(), "no temporary directory is left");
        }

        float[] expected;
        Batches batches = new Batches(images, normalizer, 0);
        try (EncoderFeatures f = new EncoderFeatures(backbone, weights, 0, batches, batches)) {
            expected = f.test();
            assertEquals(dim, f.dim());
        }
        float[] raw = new float[images.size() * SHAPE.size()];
        for (int i = 0; i < images.size(); i++) {
            images.readImage(i, raw, i * SHAPE.size());
        }
        float[] got;
        try (SavedModelBundle b = SavedModelBundle.load(dest.toString(), "serve");
             TFloat32 x = Tensors.floats(raw, images.size(), 28, 28, 1);
             var result = b.function(SavedModelExport.SIGNATURE).call(Map.of(SavedModelExport.INPUT, x))) {
            Tensor out = result.get(SavedModelExport.OUTPUT).orElseThrow();
            assertArrayEquals(new long[] {images.size(), dim}, out.shape().asArray());
            got = Tensors.toFloats((TFloat32) out);
        }
        assertArrayEquals(expected, got, 1e-4f);
        assertNotEquals(0f, java.util.Arrays.stream(box(got)).map(Math::abs).reduce(0f, Float::sum), "features not all 0");

        EncoderWeights back = EncoderWeights.read(dest);
        assertEquals("savedmodel", back.kind());
        assertEquals(weights.keySet(), back.tensors().keySet());
        weights.forEach((k, v) -> assertArrayEquals(v, back.tensors().get(k), k));
        assertEquals(List.of(), WeightsCheck.mismatches(WeightsCheck.expected(backbone, SHAPE), back));
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void anExistingDestinationIsRefusedWithoutForceAndReplacedWithIt() throws IOException {
        Backbone backbone = new SmallCnn();
        Map<String, float[]> weights = randomWeights(backbone, SHAPE, 1);
        Normalizer none = Normalizer.fit("none", images(1, SHAPE, 0));
        Path dest = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(dest.resolve("keep.txt"), "x");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> SavedModelExport.write(dest, backbone, SHAPE, weights, none, Map.of(), false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertTrue(Files.exists(dest.resolve("keep.txt")), "the refused destination is untouched");
        SavedModelExport.write(dest, backbone, SHAPE, weights, none, Map.of(), true);
        assertFalse(Files.exists(dest.resolve("keep.txt")));
        assertTrue(Files.isRegularFile(dest.resolve("saved_model.pb")));
    }

    @Test
    void mismatchesNameMissingExtraAndMisShapedVariables() throws IOException {
        Backbone backbone = new SmallCnn();
        Map<String, long[]> want = WeightsCheck.expected(backbone, SHAPE);
        Map<String, float[]> rgb = randomWeights(backbone, new ImageShape(28, 28, 3), 1);
        rgb.remove("encoder/dense/bias");
        rgb.put("encoder/head/kernel", new float[4]);
        Path file = dir.resolve("rgb.ckpt");
        new Checkpoint(Map.of("backbone", "small-cnn"), rgb).write(file);
        List<String> problems = WeightsCheck.mismatches(want, EncoderWeights.read(file));
        long[] conv0 = want.get("encoder/conv0/kernel");
        assertEquals(1, conv0[2], "grayscale input channels");
        long n = conv0[0] * conv0[1] * conv0[3];
        assertTrue(problems.contains("encoder/conv0/kernel: expected shape " + java.util.Arrays.toString(conv0) + ", found "
                + 3 * n + " values (the checkpoint stores no shapes; expected " + n + ")"), problems.toString());
        assertTrue(problems.contains("missing encoder/dense/bias (expected shape " + java.util.Arrays.toString(
                want.get("encoder/dense/bias")) + ")"), problems.toString());
        assertTrue(problems.contains("extra encoder/head/kernel (4 values, not a variable of the backbone)"), problems.toString());
        assertEquals(3, problems.size(), "only the first conv differs in shape besides: " + problems);
    }

    @Test
    void contentHashFollowsBytesNotNames() throws IOException {
        Path a = Files.writeString(dir.resolve("a.bin"), "weights");
        Path b = Files.writeString(dir.resolve("b.bin"), "weights");
        Path c = Files.writeString(dir.resolve("c.bin"), "weightz");
        assertEquals(EncoderWeights.sha256(a), EncoderWeights.sha256(b));
        assertNotEquals(EncoderWeights.sha256(a), EncoderWeights.sha256(c));
        assertEquals(sha("weights"), EncoderWeights.sha256(a), "a file's hash is the SHA-256 of its bytes");
        Path d1 = Files.createDirectories(dir.resolve("d1/variables"));
        Path d2 = Files.createDirectories(dir.resolve("d2/variables"));
        Files.writeString(d1.resolve("v"), "1");
        Files.writeString(d2.resolve("v"), "1");
        assertEquals(EncoderWeights.sha256(d1.getParent()), EncoderWeights.sha256(d2.getParent()));
        Files.writeString(d2.resolve("v"), "2");
        assertNotEquals(EncoderWeights.sha256(d1.getParent()), EncoderWeights.sha256(d2.getParent()));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> EncoderWeights.read(dir.resolve("nope.ckpt")));
    }

    private static String sha(String s) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
