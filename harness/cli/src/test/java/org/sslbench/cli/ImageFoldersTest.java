package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's own images through the CLI: a folder spec runs, bad folders exit 2 naming the file. */
class ImageFoldersTest {
    @TempDir
    Path work;

    /** {@code root/<class>/<i>.png|jpg}: 12×10 RGB noise around a class colour, JPEG for odd images. */
    static void folders(Path root, int perClass, String... classes) throws IOException {
        Random rnd = new Random(root.toString().length());
        for (int c = 0; c < classes.length; c++) {
            Path dir = Files.createDirectories(root.resolve(classes[c]));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 12; x++) {
                        int v = 60 * c + rnd.nextInt(40);
                        img.setRGB(x, y, v << 16 | (255 - v) << 8 | rnd.nextInt(256));
                    }
                }
                String format = i % 2 == 0 ? "png" : "jpg";
                ImageIO.write(img, format, dir.resolve(i + "." + format).toFile());
            }
        }
    }

    private Path spec(String folderBlock) throws IOException {
        Path spec = work.resolve("mine.yaml");
        Files.writeString(spec, """
                name: mine
                datasets:
                  - name: my-images
                    folder: %s
                backbone: small-cnn
                methods: [supervised, rotation]
                preset: none
                labels: {per_class: [1, 2]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 4}
                protocols:
                  linear: {}
                  knn: {k: 1}
                """.formatted(folderBlock));
        return spec;
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    @Test
    void aFolderSpecRunsWritesClassNamesAndReusesTheDecodedImages() throws IOException {
        folders(work.resolve("data/shots/train"), 4, "cat", "dog", "owl");
        folders(work.resolve("data/shots/test"), 2, "cat", "dog", "owl");
        Path spec = spec("{train: shots/train, test: shots/test, image_size: [8, 8]}");
        Path out = work.resolve("out");
        String[] args = {"bench", "--spec", spec.toString(), "--data", work.resolve("data").toString(), "--out",
                out.toString(), "--quiet"};
        CliRun first = CliRun.of(args);
        assertEquals(Main.OK, first.code(), first.out() + first.err());
        assertTrue(first.out().contains("my-images: decoding 18 images"), first.out());
        assertTrue(first.out().contains("my-images: 3 classes; train 12, test 6"), first.out());
        List<CSVRecord> rows = csv(out.resolve("cells.csv"));
        assertEquals(8, rows.size()); // 2 methods × 2 label counts × 2 protocols
        assertTrue(rows.stream().allMatch(r -> r.get("dataset").equals("my-images") && r.get("status").equals("ok")));
        List<CSVRecord> classes = csv(out.resolve("datasets/my-images-classes.csv"));
        assertEquals(List.of("cat", "dog", "owl"), classes.stream().map(r -> r.get("class")).toList());
        assertEquals("4", classes.get(0).get("train_images"));
        assertEquals("2", classes.get(2).get("test_images"));
        assertTrue(Files.isDirectory(work.resolve("data/cache")), "the cache sits in the data directory by default");
        // The pretext log has the embedding's effective rank (RankMe) per epoch, at most the batch size (4).
        try (var logs = Files.list(out.resolve("pretext"))) {
            Path log = logs.filter(p -> p.toString().endsWith(".log.csv")).findFirst().orElseThrow();
            List<CSVRecord> epochs = csv(log);
            double rank = Double.parseDouble(epochs.get(0).get("rankme"));
            assertTrue(rank >= 1 && rank <= 4, "rankme " + rank);
        }
        // ... and as TensorBoard event files (TensorFlow's summary ops), one run directory per pretext run.
        var events = org.sslbench.results.TensorBoardScalars.read(out.resolve("tensorboard"));
        assertEquals(1, events.get("pretext/loss").size(), events.toString());
        assertTrue(events.containsKey("pretext/rankme") && events.containsKey("pretext/rotation_acc"), events.toString());
        String source = Files.readString(out.resolve("datasets/my-images-source.txt"));
        assertTrue(source.startsWith("image folder train " + work.resolve("data/shots/train")), source);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Datasets") && report.contains("| 2 | owl | 4 | 2 |"), report);

        // The encoder pretrained on the folder goes out as a SavedModel like any other.
        CliRun export = CliRun.of("export", "--spec", spec.toString(), "--data", work.resolve("data").toString(), "--out",
                out.toString(), "--method", "rotation", "--to", work.resolve("exported").toString());
        assertEquals(Main.OK, export.code(), export.out() + export.err());
        assertTrue(Files.readString(work.resolve("exported/model-card.md")).contains("my-images"));

        CliRun again = CliRun.of("bench", "--spec", spec.toString(), "--data", work.resolve("data").toString(), "--out",
                work.resolve("out2").toString(), "--quiet");
        assertEquals(Main.OK, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("my-images: decoded images reused from"), again.out());
        // Same images (copied keeping times), another place: same hashes, so results are reused.
        copyTree(work.resolve("data/shots"), work.resolve("elsewhere/shots"));
        CliRun moved = CliRun.of("bench", "--spec", spec.toString(), "--data", work.resolve("elsewhere").toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, moved.code(), moved.out() + moved.err());
        assertTrue(moved.out().contains("8 already in"), moved.out());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // as cp -a
                }
            }
        }
    }

    @Test
    void aCorruptImageExitsTwoNamingItAndNothingIsComputedOrCached() throws IOException {
        folders(work.resolve("data/shots/train"), 3, "cat", "dog");
        Path bad = work.resolve("data/shots/train/dog/broken.jpg");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3});
        Path spec = spec("{train: shots/train, image_size: 8, test_fraction: 0.34}");
        Path out = work.resolve("out");
        CliRun run = CliRun.of("bench", "--spec", spec.toString(), "--data", work.resolve("data").toString(), "--out",
                out.toString(), "--quiet");
        assertEquals(Main.BAD_INPUT, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(bad.toString()), run.err());
        assertFalse(Files.exists(out), "nothing is written (not even the results directory) before the data is known good");
        try (var s = Files.list(work.resolve("data/cache"))) {
            assertEquals(List.of(), s.toList(), "nothing half-cached");
        }
        // The same folder with skip_unreadable: a warning and the list in the results directory.
        Path lenient = spec("{train: shots/train, image_size: 8, test_fraction: 0.34, skip_unreadable: true}");
        CliRun ok = CliRun.of("bench", "--spec", lenient.toString(), "--data", work.resolve("data").toString(), "--out",
                out.toString(), "--quiet");
        assertEquals(Main.OK, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("1 unreadable images were left out"), ok.out());
        String listed = Files.readString(out.resolve("datasets/my-images-unreadable.txt"));
        assertTrue(listed.startsWith(bad + ": "), listed);
    }

    @Test
    void imagesLeftOutAsUnreadableCannotEmptyATestClassOrStarveALabelCount() throws IOException {
        folders(work.resolve("data/shots/train"), 3, "cat", "dog");
        folders(work.resolve("data/shots/test"), 1, "cat", "dog");
        Path data = work.resolve("data");
        Files.writeString(work.resolve("data/shots/test/dog/0.png"), "not a png any more");
        CliRun emptyTest = CliRun.of("bench", "--spec", spec("{train: shots/train, test: shots/test, image_size: 8,"
                + " skip_unreadable: true}").toString(), "--data", data.toString(), "--out", work.resolve("o1").toString(),
                "--quiet");
        assertEquals(Main.BAD_INPUT, emptyTest.code(), emptyTest.out() + emptyTest.err());
        assertTrue(emptyTest.err().contains("class 'dog' has no test images left"), emptyTest.err());
        folders(work.resolve("data/shots/test"), 1, "dog"); // repaired
        Files.writeString(work.resolve("data/shots/train/cat/1.jpg"), "not a jpeg");
        CliRun starved = CliRun.of("bench", "--spec", spec("{train: shots/train, test: shots/test, image_size: 8,"
                + " skip_unreadable: true}").toString(), "--data", data.toString(), "--out",
                work.resolve("o2").toString(), "--quiet");
        // per_class [1, 2] passed validation (3 cats listed); only 2 cats decode: 2 per class still fit.
        assertEquals(Main.OK, starved.code(), starved.out() + starved.err());
        Files.writeString(work.resolve("data/shots/train/cat/2.png"), "not a png");
        CliRun short1 = CliRun.of("bench", "--spec", spec("{train: shots/train, test: shots/test, image_size: 8,"
                + " skip_unreadable: true}").toString(), "--data", data.toString(), "--out", work.resolve("o3").toString(),
                "--quiet");
        assertEquals(Main.BAD_INPUT, short1.code(), short1.out() + short1.err());
        assertTrue(short1.err().contains("class 'cat' has 1 labelled training images, but the label count 4 needs 2 per"
                + " class (2 unreadable images were left out"), short1.err());
    }

    @Test
    void anUnlabeledDirectoryChangesThePretrainingCellsOnlyNotTheBaselines() throws IOException {
        folders(work.resolve("data/shots/train"), 3, "cat", "dog");
        folders(work.resolve("data/shots/test"), 1, "cat", "dog");
        folders(work.resolve("data/extra"), 4, "any");
        Path data = work.resolve("data");
        Path out = work.resolve("out");
        CliRun first = CliRun.of("bench", "--spec", spec("{train: shots/train, test: shots/test, image_size: 8}").toString(),
                "--data", data.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, first.code(), first.out() + first.err());
        CliRun withPool = CliRun.of("bench", "--spec", spec("{train: shots/train, test: shots/test, unlabeled: extra,"
                + " image_size: 8}").toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, withPool.code(), withPool.out() + withPool.err());
        // 4 supervised cells (2 label counts × 2 protocols) are the same; rotation pretrains on another pool.
        assertTrue(withPool.out().contains("8 cells in 2 pretext groups, 4 already in"), withPool.out());
    }

    /** Under LC_ALL=C Java cannot name a non-ASCII file at all: exit 2 saying which locale to use, not a crash. */
    @Test
    void aNonAsciiClassNameUnderTheCLocaleIsBadInputWithTheFix() throws Exception {
        folders(work.resolve("data/shots/train"), 3, "cat", "\u8239");
        Path spec = spec("{train: shots/train, image_size: 8}");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "org.sslbench.cli.Main",
                "validate", "--spec", spec.toString(), "--data", work.resolve("data").toString()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        pb.environment().put("SSLBENCH_LOCALE", "keep");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Main.BAD_INPUT, p.waitFor(), out);
        assertTrue(out.contains("cannot be read in this locale") && out.contains("LC_ALL=C.UTF-8"), out);
        // The same for a folder used only as a pretext pool, whose tree is walked, not listed by class.
        folders(work.resolve("data/pool"), 2, "caf\u00e9", "plain");
        pb.command().set(pb.command().indexOf(spec.toString()), poolSpec("{unlabeled: pool}").toString());
        Process pool = pb.start();
        String poolOut = new String(pool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Main.BAD_INPUT, pool.waitFor(), poolOut);
        assertTrue(poolOut.contains("pool.yaml:6") && poolOut.contains("LC_ALL=C.UTF-8"), poolOut);
    }

    private Path poolSpec(String folder) throws IOException {
        Path spec = work.resolve("pool.yaml");
        Files.writeString(spec, """
                name: pool
                datasets: [fashion-mnist-embedded]
                backbone: small-cnn
                methods:
                  - name: rotation
                    pretext: {dataset: {name: my-pool, folder: %s}}
                labels: {per_class: [1]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 4}
                protocols:
                  knn: {k: 1}
                """.formatted(folder));
        return spec;
    }

    @Test
    void aPretextFolderIsDecodedAndCheckedBeforeAnyWorkAndListsWhatItLeftOut() throws IOException {
        folders(work.resolve("data/pool"), 4, "x", "y");
        Path bad = work.resolve("data/pool/y/broken.png");
        Files.writeString(bad, "not a png");
        Path data = work.resolve("data");
        Path out = work.resolve("deep/out");
        CliRun strict = CliRun.of("bench", "--spec", poolSpec("{unlabeled: pool}").toString(), "--data", data.toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(Main.BAD_INPUT, strict.code(), strict.out() + strict.err());
        assertTrue(strict.err().contains(bad.toString()), strict.err());
        assertFalse(Files.exists(work.resolve("deep")), "no cell ran and nothing was written");
        CliRun lenient = CliRun.of("bench", "--spec", poolSpec("{unlabeled: pool, skip_unreadable: true}").toString(),
                "--data", data.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, lenient.code(), lenient.out() + lenient.err());
        assertTrue(lenient.out().contains("my-pool: 1 unreadable images were left out"), lenient.out());
        assertTrue(Files.readString(out.resolve("datasets/my-pool-unreadable.txt")).startsWith(bad + ": "));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("### my-pool (pretext pool)\n\nmy-pool (image folder unlabeled " + work.resolve("data/pool"))
                && report.contains("1 unreadable images left out"), report);
    }

    /**
     * A global pretext batch_size acts when it fits the pool of one method that takes it: rotation on
     * the folder's own 6 images, simclr on 450 embedded images; 420 acts on simclr's and is kept,
     * 451 fits neither and is refused.
     */
    @Test
    void aGlobalPretextBatchThatActsOnOneMethodsPoolIsKept() throws IOException {
        folders(work.resolve("data/shots/train"), 4, "cat", "dog");
        Path data = work.resolve("data");
        Path mixed = work.resolve("mixed.yaml");
        String text = Files.readString(spec("{train: shots/train, image_size: 8, test_fraction: 0.25}"))
                .replace("methods: [supervised, rotation]", "methods: [rotation, {name: simclr, pretext: {dataset:"
                        + " {name: fashion-mnist-embedded, unlabeled_limit: 450}}}]");
        Files.writeString(mixed, text.replace("pretext: {epochs: 1, batch_size: 4}", "pretext: {epochs: 1, batch_size: 420}"));
        CliRun kept = CliRun.of("validate", "--spec", mixed.toString(), "--data", data.toString());
        assertEquals(Main.OK, kept.code(), kept.out() + kept.err());
        Files.writeString(mixed, text.replace("pretext: {epochs: 1, batch_size: 4}", "pretext: {epochs: 1, batch_size: 451}"));
        CliRun refused = CliRun.of("validate", "--spec", mixed.toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("batch_size 451 is larger than the pretext pool of every method that takes it"
                + " (at most 450 images"), refused.err());
    }

    /** views draws what the pretext trains on: a pretext folder's images (red), not the evaluation folder's (green). */
    @Test
    void viewsDrawThePretextDatasetsPoolWhenAMethodNamesOne() throws IOException {
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 4; i++) {
                write(solid(0x00FF00), work.resolve("data/shots/train/c" + c + "/" + i + ".png"));
                write(solid(0xFF0000), work.resolve("data/pool/" + c + "-" + i + ".png"));
            }
        }
        Path spec = work.resolve("views.yaml");
        Files.writeString(spec, """
                name: views
                datasets:
                  - name: my-images
                    folder: {train: shots/train, image_size: 8, test_fraction: 0.25}
                backbone: small-cnn
                methods:
                  - name: rotation
                    pretext: {dataset: {name: my-pool, folder: {unlabeled: pool}}}
                labels: {per_class: [1]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 4}
                protocols:
                  knn: {k: 1}
                """);
        Path png = work.resolve("views.png");
        CliRun run = CliRun.of("views", "--spec", spec.toString(), "--data", work.resolve("data").toString(), "--out",
                png.toString(), "--images", "2");
        assertEquals(Main.OK, run.code(), run.out() + run.err());
        BufferedImage img = ImageIO.read(png.toFile());
        int red = 0;
        int green = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                red += r > 200 && g < 60 ? 1 : 0;
                green += g > 200 && r < 60 ? 1 : 0;
            }
        }
        assertTrue(red > 0 && green == 0, "red " + red + ", green " + green);
    }

    private static BufferedImage solid(int rgb) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static int csvRows(Path out) throws IOException {
        Path f = out.resolve("cells.csv");
        return Files.exists(f) ? csv(f).size() : 0;
    }

    @Test
    void layoutAndSpecMistakesExitTwoAtTheLineBeforeAnyWork() throws IOException {
        folders(work.resolve("data/shots/train"), 2, "cat", "dog");
        folders(work.resolve("data/shots/test"), 1, "cat", "cow");
        Path data = work.resolve("data");
        CliRun classes = CliRun.of("validate", "--spec", spec("{train: shots/train, test: shots/test, image_size: 8}")
                .toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, classes.code());
        assertTrue(classes.err().contains("mine.yaml:4") && classes.err().contains("missing in test: dog; only in test: cow"),
                classes.err());
        CliRun size = CliRun.of("validate", "--spec", spec("{train: shots/train}").toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, size.code());
        assertTrue(size.err().contains("image_size is required"), size.err());
        CliRun fraction = CliRun.of("validate", "--spec", spec("{train: shots/train, test: shots/test, image_size: 8,"
                + " test_fraction: 0.3}").toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, fraction.code());
        assertTrue(fraction.err().contains("test_fraction has no effect"), fraction.err());
        CliRun tooMany = CliRun.of("validate", "--spec", spec("{train: shots/train, image_size: 8, test_fraction: 0.5}")
                .toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, tooMany.code(), "per_class 2 needs 2 train images per class, 1 is left after the hold-out");
        assertTrue(tooMany.err().contains("needs 2 per class") && tooMany.err().contains("has only 1 labelled images in its smallest class ('cat')"), tooMany.err());
        // The limit in the unit the spec wrote (per_class), not as a total.
        assertTrue(tooMany.err().contains("use at most 1 per class"), tooMany.err());
        Files.createDirectories(work.resolve("data/more"));
        folders(work.resolve("data/more"), 2, "x");
        folders(work.resolve("data/four/train"), 4, "cat", "dog");
        Path onlyScratch = work.resolve("scratch.yaml");
        Files.writeString(onlyScratch, Files.readString(spec("{train: four/train, image_size: 8, unlabeled: more}"))
                .replace("methods: [supervised, rotation]", "methods: [supervised]").replace("pretext: {epochs: 1, batch_size: 4}\n", "")
                .replace("preset: none\n", ""));
        CliRun pool = CliRun.of("validate", "--spec", onlyScratch.toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, pool.code(), pool.out() + pool.err());
        assertTrue(pool.err().contains("unlabeled has no effect: no method of this spec pretrains"), pool.err());
        Files.writeString(work.resolve("afile"), "x");
        CliRun cache = CliRun.of("validate", "--spec", spec("{train: four/train, image_size: 8, cache: "
                + work.resolve("afile/cache") + "}").toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, cache.code(), cache.out() + cache.err());
        assertTrue(cache.err().contains("the decode cache " + work.resolve("afile/cache") + " cannot be written ("
                + work.resolve("afile") + " is not a directory)"), cache.err());
        Path clash = work.resolve("clash.yaml");
        Files.writeString(clash, Files.readString(spec("{train: shots/train, image_size: 8}")).replace("my-images", "cifar10"));
        CliRun name = CliRun.of("validate", "--spec", clash.toString(), "--data", data.toString());
        assertEquals(Main.BAD_INPUT, name.code());
        assertTrue(name.err().contains("'cifar10' is the name of a registered dataset"), name.err());
    }

    @Test
    void aNonSquareImageSizeWithRotationIsRefusedAtItsLineBeforeAnyTraining() throws IOException {
        folders(work.resolve("data/shots/train"), 3, "cat", "dog");
        Path data = work.resolve("data");
        Path out = work.resolve("out");
        // methods: [supervised, rotation]: rotation declares squareImages(), supervised would train first.
        Path spec = spec("{train: shots/train, test_fraction: 0.34,\n" + "            image_size: [24, 40], channels: 1}");
        for (String command : List.of("validate", "bench")) {
            CliRun run = CliRun.of(command, "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString());
            assertEquals(Main.BAD_INPUT, run.code(), run.out() + run.err());
            assertTrue(run.err().contains("mine.yaml:5") && run.err().contains("datasets[0].folder.image_size"), run.err());
            assertTrue(run.err().contains("image_size [24, 40] is not square, and method 'rotation' needs square images"),
                    run.err());
            assertTrue(run.err().contains("image_size: 40 or [40, 40]"), run.err());
        }
        assertEquals(0, csvRows(out), "no supervised cell trained before the refusal");
        // Only the methods that declare it: the same images without rotation are fine.
        Files.writeString(spec, Files.readString(spec).replace("[supervised, rotation]", "[supervised]")
                .replace("pretext: {epochs: 1, batch_size: 4}\n", ""));
        CliRun ok = CliRun.of("validate", "--spec", spec.toString(), "--data", data.toString());
        assertEquals(Main.OK, ok.code(), ok.out() + ok.err());
        var registries = org.sslbench.run.Registries.discover(null, java.util.Set.of("linear", "knn"));
        assertEquals(List.of("rotation"), registries.methods().keySet().stream().filter(registries::squareImages).toList(),
                "the built-in methods that declare square images");
    }

    @Test
    void exampleFolderWritesTheEmbeddedSubsetAsPngClassFolders() throws IOException {
        Path data = work.resolve("d");
        CliRun run = CliRun.of("example-folder", "--data", data.toString());
        assertEquals(Main.OK, run.code(), run.err());
        Path tree = data.resolve("fashion-mnist-folder");
        try (var s = Files.list(tree.resolve("train"))) {
            assertEquals(10, s.count());
        }
        try (var s = Files.list(tree.resolve("test/Trouser"))) {
            assertEquals(200, s.count());
        }
        assertTrue(Files.exists(tree.resolve("train/T-shirt_top/00000.png")) || Files.exists(tree.resolve("train/Ankle boot/00000.png")));
        CliRun validate = CliRun.of("validate", "--spec", Path.of("../../specs/folder-example.yaml").toString(), "--data",
                data.toString());
        assertEquals(Main.OK, validate.code(), validate.err());
        assertTrue(validate.out().contains("fashion-folder: 10 classes; train 10000, test 2000"), validate.out());
        CliRun twice = CliRun.of("example-folder", "--data", data.toString());
        assertEquals(Main.OK, twice.code());
        assertTrue(twice.out().contains("already there"), twice.out());
    }
}
