package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.PluginJars;

/** {@code sslbench views} on the embedded data: file naming, one grid per method, bad input. */
class ViewsCommandTest {
    /** Fashion-MNIST's 28 px enlarged 4× to reach the 96 px the grid aims for. */
    private static final int CELL = 4 * 28;

    @TempDir
    static Path work;
    static Path plugins;
    static Path spec;

    /** A two-view method: what an asymmetric pipeline needs. The views verb never builds it. */
    private static final String PAIR = """
            package ext;
            import java.util.List;
            import org.sslbench.method.*;
            public final class Pair implements Method {
              public String name() { return "pair"; }
              public String description() { return "two views"; }
              public List<Param> params() { return List.of(); }
              public int views(Params p) { return 2; }
              public Objective build(PretextContext ctx) { throw new UnsupportedOperationException(); }
            }
            """;

    @BeforeAll
    static void pluginAndSpec() throws IOException {
        plugins = Files.createDirectory(work.resolve("plugins"));
        PluginJars.build(plugins, "pair.jar", Map.of("ext.Pair", PAIR), "org.sslbench.method.Method", "ext.Pair");
        spec = work.resolve("asym.yaml");
        Files.writeString(spec, """
                name: asym
                datasets: [{name: fashion-mnist-embedded, unlabeled_limit: 200}]
                backbone: small-cnn
                methods:
                  - supervised
                  - rotation
                  - name: pair
                    pretext:
                      augment_views: [{crop: 0.2, blur: 1.0}, {solarize: 1.0}]
                labels: [100]
                protocols: {knn: {}}
                """);
    }

    /** Runs the command line; returns exit code and stdout. */
    private static Map.Entry<Integer, String> run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(captured, true));
        try {
            return Map.entry(Main.run(args), captured.toString());
        } finally {
            System.setOut(previous);
        }
    }

    private static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.exists(file), file + " missing");
        return ImageIO.read(file.toFile());
    }

    /** Cell sizes plus at most a few pixels of spacing per cell and a header. */
    private static void assertGrid(BufferedImage img, int rows, int columns) {
        assertTrue(img.getWidth() >= columns * CELL && img.getWidth() <= columns * (CELL + 10), "width " + img.getWidth());
        assertTrue(img.getHeight() >= rows * CELL + 20 && img.getHeight() <= rows * (CELL + 10) + 40, "height " + img.getHeight());
    }

    @Test
    void embeddedDefaultSpecDrawsItsRotationMethod() throws IOException {
        Path out = work.resolve("default/views.png"); // a directory that does not exist yet
        var result = run("views", "--out", out.toString(), "--images", "3");
        assertEquals(Main.OK, result.getKey());
        assertTrue(result.getValue().contains(out.toString()), result.getValue());
        assertGrid(png(out), 3, 2);
    }

    @Test
    void severalMethodsGiveOnePngEachNamedAfterTheMethod() throws IOException {
        Path out = work.resolve("many/grid.png");
        var result = run("views", "--spec", spec.toString(), "--plugins", plugins.toString(), "--out", out.toString(), "-n", "2");
        assertEquals(Main.OK, result.getKey());
        BufferedImage rotation = png(work.resolve("many/grid-rotation.png"));
        BufferedImage pair = png(work.resolve("many/grid-pair.png"));
        assertFalse(Files.exists(out), "with several methods OUT only names the stem");
        assertFalse(Files.exists(work.resolve("many/grid-supervised.png")), "supervised has no views");
        assertGrid(rotation, 2, 2);
        assertGrid(pair, 2, 3);
        assertTrue(result.getValue().contains("view 2: {") && result.getValue().contains("solarize=1.0"), result.getValue());
    }

    @Test
    void methodOptionDrawsOnlyThatMethodIntoOut() throws IOException {
        Path out = work.resolve("one/pair.png");
        var result = run("views", "--spec", spec.toString(), "--plugins", plugins.toString(), "--out", out.toString(),
                "--method", "pair", "-n", "1");
        assertEquals(Main.OK, result.getKey());
        assertGrid(png(out), 1, 3);
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void methodsWithoutViewsAndBadCountsAreBadInput() {
        Path out = work.resolve("never/v.png");
        String[] base = {"views", "--spec", spec.toString(), "--plugins", plugins.toString(), "--out", out.toString()};
        for (String[] extra : new String[][] {{"--method", "supervised"}, {"--method", "simclr-typo"}, {"-n", "0"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                    .toArray(String[]::new);
            assertEquals(Main.BAD_INPUT, run(args).getKey(), String.join(" ", extra));
        }
        assertFalse(Files.exists(out.getParent()));
    }

    @Test
    void missingPluginsDirectoryIsBadInputForEveryCommandThatReadsASpec() {
        String missing = work.resolve("no-such-plugins").toString();
        for (String command : new String[] {"views", "validate", "bench"}) {
            assertEquals(Main.BAD_INPUT, run(command, "--plugins", missing).getKey(), command);
        }
    }
}
