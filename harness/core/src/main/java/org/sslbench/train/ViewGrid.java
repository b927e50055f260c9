package org.sslbench.train;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.spec.TrainSpec;

/**
 * What a method's pretext actually trains on, as a picture: one row per image, the original then
 * each augmented view. The views are those of the first step of a seed-{@value #SEED} pretext run
 * ({@link PretextTrainer}'s batch size, epoch-0 order, step-0 RNG, {@link Batches#fillViews}), so a
 * pipeline that looks wrong here is wrong in training. Pixels are the [0, 1] values before
 * normalisation; transformations a method makes itself in {@code Objective.feed} (rotation's
 * rotations) are not shown. A view smaller than the image (multi-crop's local crops, {@code size}
 * below 1) sits at the top-left of its cell at the same enlargement, its size in the column title.
 */
public final class ViewGrid {
    public static final int DEFAULT_IMAGES = 8;
    /** The seed whose first pretext step is shown: specs' usual first seed. */
    public static final long SEED = 0;
    /** Images are enlarged (nearest neighbour) to at least this many pixels on their longer side. */
    static final int TARGET_SIDE = 96;
    static final int GAP = 2;
    /** Extra space between the original column and the views. */
    static final int SEPARATOR = 6;
    /** Two text lines: method name over the views block, then the column titles. */
    static final int HEADER = 30;
    private static final Color BACKGROUND = new Color(32, 32, 32);
    private static final Color TEXT = new Color(230, 230, 230);

    private final String method;
    private final ImageShape shape;
    private final int[] indices;
    private final float[][] columns; // [0] originals, [1 + v] view v; each rows × shapes[c].size()
    private final ImageShape[] shapes; // per column: the image's, then each view's
    private final int scale;

    private ViewGrid(String method, ImageShape shape, int[] indices, float[][] columns, ImageShape[] shapes) {
        this.method = method;
        this.shape = shape;
        this.indices = indices;
        this.columns = columns;
        this.shapes = shapes;
        this.scale = Math.max(1, (TARGET_SIDE + Math.max(shape.height(), shape.width()) - 1)
                / Math.max(shape.height(), shape.width()));
    }

    /**
     * The first {@code images} images of step 0 (at most one batch) and their {@code views} views.
     *
     * @param pool    the unlabeled pool the pretext trains on
     * @param pretext the method's effective pretext block (its batch size and per-view pipelines)
     */
    public static ViewGrid of(String method, ImageSet pool, TrainSpec pretext, int views, int images) {
        ImageShape shape = pool.shape();
        int batch = PretextTrainer.batchSize(pretext, pool.size());
        int rows = Math.min(images, batch);
        Batches batches = new Batches(pool, Normalizer.fit("none", pool), SEED);
        int[] order = batches.order(0);
        // The whole batch, not just the rows shown: view v+1 draws after view v of every image.
        Augmenter[] augmenters = Augmenter.perView(pretext, views);
        ImageShape[] shapes = new ImageShape[1 + views];
        shapes[0] = shape;
        float[][] viewData = new float[views][];
        for (int v = 0; v < views; v++) {
            shapes[1 + v] = augmenters[v].outputShape(shape);
            viewData[v] = new float[batch * shapes[1 + v].size()];
        }
        batches.fillViews(order, 0, batch, viewData, augmenters, batches.random(0, 0));
        float[][] columns = new float[1 + views][];
        columns[0] = new float[rows * shape.size()];
        batches.fill(order, 0, rows, columns[0], null, null);
        for (int v = 0; v < views; v++) {
            columns[1 + v] = Arrays.copyOf(viewData[v], rows * shapes[1 + v].size());
        }
        return new ViewGrid(method, shape, Arrays.copyOf(order, rows), columns, shapes);
    }

    /** Pool indices of the rows, top to bottom. */
    public int[] indices() {
        return indices.clone();
    }

    public int rows() {
        return indices.length;
    }

    /** Original + views. */
    public int columns() {
        return columns.length;
    }

    /** Enlargement factor of every image. */
    public int scale() {
        return scale;
    }

    /** Pixels of column {@code c} ([0] the originals), {@code rows() × shape(c).size()} values in [0, 1]. */
    float[] column(int c) {
        return columns[c];
    }

    /** Shape of the images of column {@code c}: the dataset's for [0] and full-size views, smaller for local crops. */
    public ImageShape shape(int c) {
        return shapes[c];
    }

    /** Left edge of column {@code c} in the rendered image. */
    public int x(int c) {
        return GAP + c * (shape.width() * scale + GAP) + (c > 0 ? SEPARATOR : 0);
    }

    /** Top edge of row {@code r} in the rendered image. */
    public int y(int r) {
        return HEADER + GAP + r * (shape.height() * scale + GAP);
    }

    public int width() {
        return x(columns() - 1) + shape.width() * scale + GAP;
    }

    public int height() {
        return y(rows() - 1) + shape.height() * scale + GAP;
    }

    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            g.drawString(method, x(1), 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString("original", x(0), 26);
            for (int c = 1; c < columns(); c++) {
                g.drawString("view " + c + (shapes[c].equals(shape) ? "" : " " + shapes[c].height() + "x" + shapes[c].width()),
                        x(c), 26);
            }
        } finally {
            g.dispose();
        }
        for (int c = 0; c < columns(); c++) {
            for (int r = 0; r < rows(); r++) {
                drawImage(img, columns[c], shapes[c], r * shapes[c].size(), x(c), y(r));
            }
        }
        return img;
    }

    /** One image at (left, top), each pixel a scale × scale block; fewer than 3 channels show as gray. */
    private void drawImage(BufferedImage img, float[] data, ImageShape shape, int offset, int left, int top) {
        int c = shape.channels();
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int o = offset + (y * shape.width() + x) * c;
                int r = byteOf(data[o]);
                int rgb = c < 3 ? r << 16 | r << 8 | r : r << 16 | byteOf(data[o + 1]) << 8 | byteOf(data[o + 2]);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(left + x * scale + dx, top + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    /** [0, 1] → 0..255, rounding: a uint8 image read as v / 255 comes back unchanged. */
    static int byteOf(float v) {
        return Math.min(255, Math.max(0, Math.round(v * 255)));
    }

    public void write(Path file) throws IOException {
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
