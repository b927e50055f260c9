package org.sslbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Feeds;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.testing.FormatWriters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ViewGridTest {
    /** Non-square, so a height/width mix-up shows. */
    private static final ImageShape RGB = new ImageShape(5, 6, 3);
    private static final Map<String, Object> IDENTITY = Map.of();
    private static final Map<String, Object> ALWAYS_SOLARIZE = Map.of("solarize", 1.0);

    private static byte[] pixels(ImageShape s, int images, long seed) {
        byte[] b = new byte[images * s.size()];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static TrainSpec pretext(int batch, List<Map<String, Object>> views) {
        return new TrainSpec(1, batch, new OptimizerSpec("adam", 1e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of(), views);
    }

    /** The 0..255 value at (x, y, channel k) of image {@code index}. */
    private static int byteAt(byte[] pixels, ImageShape s, int index, int x, int y, int k) {
        return pixels[index * s.size() + (y * s.width() + x) * s.channels() + k] & 0xFF;
    }

    /** Asserts every enlarged pixel of cell (row, column) is {@code expected.rgb(x, y)}. */
    private static void assertCell(BufferedImage img, ViewGrid grid, int row, int column, ImageShape s, Rgb expected) {
        int scale = grid.scale();
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                int want = expected.rgb(x, y);
                for (int d = 0; d < scale * scale; d++) {
                    int got = img.getRGB(grid.x(column) + x * scale + d % scale, grid.y(row) + y * scale + d / scale) & 0xFFFFFF;
                    assertEquals(want, got, "row " + row + " column " + column + " pixel (" + x + ", " + y + ")");
                }
            }
        }
    }

    private interface Rgb {
        int rgb(int x, int y);
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    @Test
    void gridHasOneRowPerImageAndTheOriginalColumnReproducesTheInput(@TempDir Path dir) throws Exception {
        byte[] px = pixels(RGB, 20, 1);
        ImageSet pool = new ArrayImageSet(RGB, px, null);
        ViewGrid grid = ViewGrid.of("asym", pool, pretext(16, List.of(IDENTITY, ALWAYS_SOLARIZE)), 2, 8);

        assertEquals(8, grid.rows());
        assertEquals(3, grid.columns());
        assertEquals(16, grid.scale(), "6 px wide → enlarged to ≥ 96 px");
        Path file = dir.resolve("grid.png");
        grid.write(file);
        BufferedImage img = ImageIO.read(file.toFile());
        int cellW = 6 * 16;
        int cellH = 5 * 16;
        assertEquals(3 * cellW + 4 * ViewGrid.GAP + ViewGrid.SEPARATOR, img.getWidth());
        assertEquals(ViewGrid.HEADER + 8 * cellH + 9 * ViewGrid.GAP, img.getHeight());

        int[] rows = grid.indices();
        assertEquals(8, Arrays.stream(rows).distinct().count(), "eight different images");
        assertArrayEquals(rows, ViewGrid.of("asym", pool, pretext(16, List.of(IDENTITY, ALWAYS_SOLARIZE)), 2, 8).indices(),
                "the same images every time");
        for (int r = 0; r < rows.length; r++) {
            int index = rows[r];
            Rgb original = (x, y) -> rgb(byteAt(px, RGB, index, x, y, 0), byteAt(px, RGB, index, x, y, 1),
                    byteAt(px, RGB, index, x, y, 2));
            assertCell(img, grid, r, 0, RGB, original);
            assertCell(img, grid, r, 1, RGB, original); // view 1: the empty pipeline
            // view 2: v ≥ 0.5 ⇔ byte ≥ 128 becomes 1 − v, i.e. 255 − byte
            Rgb solarized = (x, y) -> {
                int[] c = new int[3];
                for (int k = 0; k < 3; k++) {
                    int b = byteAt(px, RGB, index, x, y, k);
                    c[k] = b >= 128 ? 255 - b : b;
                }
                return rgb(c[0], c[1], c[2]);
            };
            assertCell(img, grid, r, 2, RGB, solarized);
        }
    }

    @Test
    void oneChannelImagesAreShownGray() {
        ImageShape gray = new ImageShape(4, 4, 1);
        byte[] px = pixels(gray, 6, 2);
        ViewGrid grid = ViewGrid.of("gray", new ArrayImageSet(gray, px, null), pretext(4, List.of(Map.of("hflip", true))), 1, 8);
        assertEquals(4, grid.rows(), "at most one batch is shown");
        assertEquals(24, grid.scale());
        BufferedImage img = grid.render();
        for (int r = 0; r < grid.rows(); r++) {
            int index = grid.indices()[r];
            assertCell(img, grid, r, 0, gray, (x, y) -> {
                int b = byteAt(px, gray, index, x, y, 0);
                return rgb(b, b, b);
            });
        }
    }

    /** Two views through a loss that needs both; keeps what the trainer fed at step 0. */
    private static final class CaptureFirstStep implements Method {
        float[][] views;

        @Override public String name() { return "capture"; }
        @Override public String description() { return "records the first step's views"; }
        @Override public List<Param> params() { return List.of(); }
        @Override public int views(Params p) { return 2; }

        @Override
        public Objective build(PretextContext ctx) {
            Ops tf = ctx.tf();
            Operand<TFloat32> a = ctx.encoder().apply(ctx.view(0), true);
            Operand<TFloat32> b = ctx.encoder().apply(ctx.view(1), true);
            Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(a, b)), tf.constant(new int[] {0, 1}));
            return new Objective() {
                @Override public Operand<TFloat32> loss() { return loss; }

                @Override
                public void feed(StepBatch batch, Feeds feeds) {
                    if (batch.step() == 0) {
                        views = new float[][] {batch.view(0).clone(), batch.view(1).clone()};
                    }
                }
            };
        }
    }

    @Test
    void viewsAreExactlyThoseOfThePretextTrainersFirstStep() {
        ImageSet pool = FormatWriters.tinyDataset().unlabeled();
        TrainSpec spec = pretext(16, List.of(Map.of("crop", 0.3, "hflip", true),
                Map.of("shift", 0.2, "blur", 0.5, "solarize", 0.5)));
        CaptureFirstStep method = new CaptureFirstStep();
        new PretextTrainer(new PrintStream(OutputStream.nullOutputStream()), true).train(method, Params.of(method, Map.of()),
                new SmallCnn(), spec, new Batches(pool, Normalizer.fit("none", pool), ViewGrid.SEED), 0);

        ViewGrid grid = ViewGrid.of("capture", pool, spec, 2, 8);
        int n = 8 * pool.shape().size();
        for (int v = 0; v < 2; v++) {
            assertArrayEquals(Arrays.copyOf(method.views[v], n), grid.column(1 + v), "view " + (v + 1));
        }
        assertFalse(Arrays.equals(grid.column(1), grid.column(2)), "the two pipelines differ");
    }
}
