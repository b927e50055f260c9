package org.sslbench.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.data.LoadedDataset;
import org.sslbench.data.Stl10Factory;
import org.sslbench.testing.FormatWriters;

/**
 * A pretext pool from another dataset at the evaluation dataset's shape (issue 12, part 2):
 * STL-10-format files generated here (STL-10 itself cannot be downloaded in tests), converted
 * with the image-folder decoder's rules and cached once.
 */
class ResizedPoolTest {
    private static final ImageShape CIFAR = new ImageShape(32, 32, 3);
    private static final ImageShape GRAY = new ImageShape(28, 28, 1);
    private static final int R = 200;
    private static final int G = 100;
    private static final int B = 50;
    @TempDir
    Path tmp;

    /** BT.601 luma as PIL's convert("L"): the value a 3 → 1 channel conversion must give. */
    private static int luma(int r, int g, int b) {
        return (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;
    }

    /**
     * STL-10 files whose unlabeled pool is: image 0 the constant colour (R, G, B), image 1 constant
     * gray 77, then {@code random} images of seeded noise; loaded through the STL-10 loader.
     */
    private Dataset stl10(int random) throws Exception {
        ImageShape s = FormatWriters.STL10_SHAPE;
        byte[] pool = new byte[(2 + random) * s.size()];
        for (int p = 0; p < s.height() * s.width(); p++) {
            pool[3 * p] = (byte) R;
            pool[3 * p + 1] = (byte) G;
            pool[3 * p + 2] = (byte) B;
        }
        java.util.Arrays.fill(pool, s.size(), 2 * s.size(), (byte) 77);
        byte[] noise = new byte[random * s.size()];
        new Random(5).nextBytes(noise);
        System.arraycopy(noise, 0, pool, 2 * s.size(), noise.length);
        Dataset tiny = FormatWriters.tinyDataset(s, 10, 1, 1, 3);
        Dataset withPool = new LoadedDataset("stl10", s, tiny.classNames(), new ArrayImageSet(s, pool, null), tiny.train(),
                tiny.test(), "generated");
        FormatWriters.writeStl10(tmp.resolve("data/stl10_binary"), withPool, List.of(new int[] {0, 1}), true);
        return new Stl10Factory().load(tmp.resolve("data"), 0);
    }

    private static byte[] bytes(ImageSet set, int i) {
        float[] f = new float[set.shape().size()];
        set.readImage(i, f, 0);
        byte[] out = new byte[f.length];
        for (int k = 0; k < f.length; k++) {
            out[k] = (byte) Math.round(f[k] * 255);
        }
        return out;
    }

    private static void assertConstant(byte[] img, int... perChannel) {
        for (int k = 0; k < img.length; k++) {
            assertEquals(perChannel[k % perChannel.length], img[k] & 0xFF, "value " + k);
        }
    }

    @Test
    void stl10PoolBecomesCifarSizedColourAndFashionSizedLuma() throws Exception {
        Dataset stl = stl10(3);
        Path cache = tmp.resolve("cache");
        ResizedPool.Result rgb = ResizedPool.of(stl, CIFAR, cache, 2, null);
        assertEquals(CIFAR, rgb.images().shape());
        assertEquals(5, rgb.images().size());
        assertFalse(rgb.images().labelled());
        assertEquals("stl10 unlabeled 5 resized 96x96x3\u219232x32x3", rgb.description());
        assertConstant(bytes(rgb.images(), 0), R, G, B);
        assertConstant(bytes(rgb.images(), 1), 77);

        ResizedPool.Result gray = ResizedPool.of(stl, GRAY, cache, 2, null);
        assertEquals(GRAY, gray.images().shape());
        assertConstant(bytes(gray.images(), 0), luma(R, G, B));
        assertEquals(124, luma(R, G, B), "0.299 * 200 + 0.587 * 100 + 0.114 * 50 = 124.2");
        assertConstant(bytes(gray.images(), 1), 77);
        assertNotEquals(rgb.cache(), gray.cache(), "one cache per target shape");

        // A noise image: the same bytes as the folder decoder gives for the same picture, built here
        // independently from the HWC pixels.
        byte[] src = bytes(stl.unlabeled(), 3);
        BufferedImage picture = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                int o = (y * 96 + x) * 3;
                picture.setRGB(x, y, (src[o] & 0xFF) << 16 | (src[o + 1] & 0xFF) << 8 | (src[o + 2] & 0xFF));
            }
        }
        byte[] expected = new byte[CIFAR.size()];
        new ImageDecoder(CIFAR, Resize.CROP).toBytes(picture, expected);
        assertArrayEquals(expected, bytes(rgb.images(), 3));
    }

    @Test
    void theConversionIsCachedOnceAndReused() throws Exception {
        Dataset stl = stl10(2);
        Path cache = tmp.resolve("cache");
        ResizedPool.Result first = ResizedPool.of(stl, CIFAR, cache, 2, null);
        assertFalse(first.reused());
        assertTrue(Files.isRegularFile(first.cache().resolve("pool.u8")));
        assertEquals(4L * CIFAR.size(), Files.size(first.cache().resolve("pool.u8")));
        long written = Files.getLastModifiedTime(first.cache().resolve("pool.u8")).toMillis();
        ResizedPool.Result second = ResizedPool.of(new Stl10Factory().load(tmp.resolve("data"), 0), CIFAR, cache, 2, null);
        assertTrue(second.reused());
        assertEquals(first.cache(), second.cache());
        assertEquals(written, Files.getLastModifiedTime(second.cache().resolve("pool.u8")).toMillis());
        assertArrayEquals(bytes(first.images(), 2), bytes(second.images(), 2));
        try (Stream<Path> s = Files.list(cache)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp")), "no temporary directory left");
        }
        // Another pool (a limit) is another cache.
        ResizedPool.Result limited = ResizedPool.of(new Stl10Factory().load(tmp.resolve("data"), 2), CIFAR, cache, 2, null);
        assertFalse(limited.reused());
        assertNotEquals(first.cache(), limited.cache());
        assertEquals(2, limited.images().size());
    }

    @Test
    void grayPoolBecomesColourByRepeatingAndTheSameShapeIsUsedAsIs() throws Exception {
        byte[] pixels = new byte[2 * GRAY.size()];
        java.util.Arrays.fill(pixels, (byte) 90);
        java.util.Arrays.fill(pixels, GRAY.size(), pixels.length, (byte) 250);
        ArrayImageSet pool = new ArrayImageSet(GRAY, pixels, null);
        Dataset fashion = new LoadedDataset("fashion-mnist-embedded", GRAY, List.of("a"), pool, new ArrayImageSet(GRAY,
                pixels, new int[] {0, 0}), new ArrayImageSet(GRAY, pixels, new int[] {0, 0}), "generated");
        ResizedPool.Result rgb = ResizedPool.of(fashion, CIFAR, tmp.resolve("cache"), 1, null);
        assertConstant(bytes(rgb.images(), 0), 90, 90, 90);
        assertConstant(bytes(rgb.images(), 1), 250, 250, 250);
        ResizedPool.Result same = ResizedPool.of(fashion, GRAY, tmp.resolve("cache"), 1, null);
        assertSame(pool, same.images());
        assertNull(same.cache());
    }

    @Test
    void aPretextOnlyFolderIsDecodedStraightToTheTargetShape() throws Exception {
        Path dir = tmp.resolve("big");
        for (int i = 0; i < 4; i++) {
            Images.write(Images.solid(12, 10, R << 16 | G << 8 | B), "png", dir.resolve("d" + i % 2).resolve(i + ".png"));
        }
        Files.writeString(dir.resolve(".DS_Store"), "x");
        FolderSource src = new FolderSource(null, null, dir, null, null, Resize.CROP, 0.2, false, tmp.resolve("cache"),
                List.of(), "");
        ResizedPool.Result gray = ResizedPool.ofFolder("my-big", src, new ImageShape(8, 8, 1), 0, 2, null);
        assertEquals(4, gray.images().size());
        assertConstant(bytes(gray.images(), 3), luma(R, G, B));
        ResizedPool.Result colour = ResizedPool.ofFolder("my-big", src, new ImageShape(6, 6, 3), 3, 2, null);
        assertEquals(3, colour.images().size(), "unlabeled_limit of the pretext dataset");
        assertConstant(bytes(colour.images(), 0), R, G, B);
        assertTrue(Files.isDirectory(gray.cache()), "the other shape's cache is kept");
        assertTrue(ResizedPool.ofFolder("my-big", src, new ImageShape(8, 8, 1), 0, 2, null).reused());
    }
}
