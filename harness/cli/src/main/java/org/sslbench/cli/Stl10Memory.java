package org.sslbench.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.Stl10Factory;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;

/**
 * The {@code stl10-memory} perf case: writes an STL-10-shaped data directory (100,000 unlabeled
 * 96×96×3 uint8 images, 2.76 GB, random pixels) and reads every unlabeled image through the real
 * memory-mapped loader in a shuffled epoch order, in a fresh JVM so its peak RSS is the loader's
 * alone. Mapped file pages count in RSS (they are reclaimable page cache), so the anonymous part
 * is reported too.
 */
final class Stl10Memory {
    static final int UNLABELED = 100_000;
    private static final int IMAGE_BYTES = 96 * 96 * 3;
    private static final int LABELLED = 100;
    private static final String RESULT_PREFIX = "stl10-stream ";

    record Result(double peakRssMb, double anonRssMb, double imagesPerSecond) {
    }

    private Stl10Memory() {
    }

    /** Generates the files under {@code scratch}, streams them in a child JVM, deletes them; null when skipped. */
    static Result measure(Path scratch, PrintStream out) throws IOException, InterruptedException {
        long need = (long) (UNLABELED + 2 * LABELLED) * IMAGE_BYTES + (64L << 20);
        Files.createDirectories(scratch);
        long free = Files.getFileStore(scratch).getUsableSpace();
        if (free < need) {
            out.printf(Locale.ROOT, "  stl10-memory skipped: needs %.1f GB free in %s, has %.1f GB (--scratch DIR)%n",
                    need / 1e9, scratch, free / 1e9);
            return null;
        }
        Path root = Files.createTempDirectory(scratch, "sslbench-stl10-");
        try {
            writeData(root.resolve(Stl10Factory.SUBDIR), UNLABELED);
            Process p = new ProcessBuilder(PerfCommand.childJvm(List.of("perf", "--stream-stl10", root.toString())))
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("stl10-memory child failed (exit " + p.exitValue() + "):\n" + text);
            }
            return parse(text);
        } finally {
            PerfCommand.deleteTree(root);
        }
    }

    /** The child's result line, {@code stl10-stream <peak MB> <anon MB> <img/s>}. */
    static Result parse(String childOutput) throws IOException {
        String line = childOutput.lines().filter(l -> l.startsWith(RESULT_PREFIX)).findFirst()
                .orElseThrow(() -> new IOException("stl10-memory child printed no result:\n" + childOutput));
        String[] v = line.split("\\s+");
        return new Result(Double.parseDouble(v[1]), Double.parseDouble(v[2]), Double.parseDouble(v[3]));
    }

    /** The child: every unlabeled image in a shuffled order through {@link Batches}, then the RSS figures. */
    static int stream(Path dataDir, PrintStream out) throws Exception {
        Dataset d = new Stl10Factory().load(dataDir, 0);
        ImageSet pool = d.unlabeled();
        Batches batches = new Batches(pool, Normalizer.fit("none", pool), 0);
        int batch = 256;
        float[] dst = new float[batch * pool.shape().size()];
        int[] order = batches.order(0);
        long t0 = System.nanoTime();
        for (int start = 0; start < order.length; start += batch) {
            int n = Math.min(batch, order.length - start);
            batches.fill(order, start, n, dst, null, batches.random(0, start));
        }
        double rate = order.length * 1e9 / (System.nanoTime() - t0);
        out.printf(Locale.ROOT, RESULT_PREFIX + "%.1f %.1f %.1f%n", PerfCommand.peakRssMb(), statusMb("RssAnon:"), rate);
        return Main.OK;
    }

    private static double statusMb(String key) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0).orElse(Double.NaN);
    }

    /** The six files the loader needs, in STL-10's binary layout, random pixels. */
    static void writeData(Path dir, int unlabeled) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(5);
        writeImages(dir.resolve(Stl10Factory.TRAIN_X), LABELLED, r);
        writeImages(dir.resolve(Stl10Factory.TEST_X), LABELLED, r);
        writeImages(dir.resolve(Stl10Factory.UNLABELED_X), unlabeled, r);
        byte[] labels = new byte[LABELLED];
        for (int i = 0; i < LABELLED; i++) {
            labels[i] = (byte) (i % 10 + 1);
        }
        Files.write(dir.resolve(Stl10Factory.TRAIN_Y), labels);
        Files.write(dir.resolve(Stl10Factory.TEST_Y), labels);
        String folds = IntStream.range(0, 10).mapToObj(f -> IntStream.range(0, LABELLED / 10).map(i -> f * 10 + i)
                .mapToObj(Integer::toString).collect(Collectors.joining(" "))).collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve(Stl10Factory.FOLDS), folds + "\n");
    }

    private static void writeImages(Path file, int count, SplittableRandom r) throws IOException {
        byte[] chunk = new byte[1000 * IMAGE_BYTES];
        try (OutputStream os = Files.newOutputStream(file)) {
            for (int done = 0; done < count; done += 1000) {
                r.nextBytes(chunk);
                os.write(chunk, 0, Math.min(1000, count - done) * IMAGE_BYTES);
            }
        }
    }
}
