package org.sslbench.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the Fashion-MNIST subset behind {@link EmbeddedFashionMnistFactory}: the first
 * {@value #TRAIN_PER_CLASS} train and first {@value #TEST_PER_CLASS} test images of every class, in
 * file order, written as gzipped IDX files. Deterministic, so anyone can check the committed files.
 * From the repository root:
 * <pre>
 * mvn -o -q -pl harness/core compile
 * java -cp harness/core/target/classes org.sslbench.data.EmbeddedSubsetGenerator \
 *     /usr/share/datasets/fashion-mnist harness/core/src/main/resources/org/sslbench/data/embedded/fashion-mnist
 * </pre>
 */
public final class EmbeddedSubsetGenerator {
    public static final int TRAIN_PER_CLASS = 1000;
    public static final int TEST_PER_CLASS = 200;

    private EmbeddedSubsetGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path from = args.length > 0 ? Path.of(args[0]) : FashionMnistFactory.DEFAULT_DIR;
        Path to = Path.of(args.length > 1 ? args[1] : "harness/core/src/main/resources/" + EmbeddedFashionMnistFactory.RESOURCE_DIR);
        generate(from, to);
        for (String f : FashionMnist.FILES) {
            Path p = to.resolve(f + DataFiles.GZ);
            System.out.printf("%s  %d bytes  sha256:%s%n", p, Files.size(p), DataFiles.shortSha256(Files.readAllBytes(p)));
        }
    }

    /** Writes the subset of the Fashion-MNIST files in {@code from} to {@code to} as the four {@code .gz} files. */
    public static void generate(Path from, Path to) throws DataException, IOException {
        List<Path> in = DataFiles.locate(FashionMnistFactory.NAME, from, "fashion-mnist", FashionMnist.FILES, true,
                "`apt-get install dataset-fashion-mnist` provides them.");
        Files.createDirectories(to);
        subset(in.get(0), in.get(1), TRAIN_PER_CLASS, to, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS);
        subset(in.get(2), in.get(3), TEST_PER_CLASS, to, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS);
    }

    private static void subset(Path images, Path labels, int perClass, Path to, String imagesOut, String labelsOut)
            throws DataException, IOException {
        int classes = FashionMnist.CLASSES.size();
        IdxFiles.Images img = IdxFiles.readImages(images.toString(), new ByteArrayInputStream(Files.readAllBytes(images)));
        int[] lab = IdxFiles.readLabels(labels.toString(), new ByteArrayInputStream(Files.readAllBytes(labels)), classes);
        IdxFiles.checkPaired(images.toString(), img.header().count(), labels.toString(), lab.length);
        int[] keep = firstPerClass(lab, classes, perClass);
        int size = FashionMnist.SHAPE.size();
        byte[] pixels = new byte[keep.length * size];
        int[] kept = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(img.pixels(), keep[i] * size, pixels, i * size, size);
            kept[i] = lab[keep[i]];
        }
        try (OutputStream out = gzip(to.resolve(imagesOut + DataFiles.GZ))) {
            IdxFiles.writeImages(out, FashionMnist.SHAPE.height(), FashionMnist.SHAPE.width(), pixels);
        }
        try (OutputStream out = gzip(to.resolve(labelsOut + DataFiles.GZ))) {
            IdxFiles.writeLabels(out, kept);
        }
    }

    /** Indices, in file order, of the first {@code perClass} images of each class. */
    static int[] firstPerClass(int[] labels, int classes, int perClass) {
        int[] taken = new int[classes];
        int[] out = new int[classes * perClass];
        int n = 0;
        for (int i = 0; i < labels.length && n < out.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                out[n++] = i;
            }
        }
        if (n < out.length) {
            throw new IllegalArgumentException("fewer than " + perClass + " images in some class: " + java.util.Arrays.toString(taken));
        }
        return out;
    }

    /** Best compression: these files live in git. Java writes gzip headers without a timestamp. */
    private static OutputStream gzip(Path file) throws IOException {
        return new GZIPOutputStream(Files.newOutputStream(file), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }
}
