package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.PluginJars;

/**
 * examples/plugin-template works as a third party would use it: its sources, compiled into a jar
 * in a plugins directory, are listed and benchmarked with the template's own spec.
 */
class PluginTemplateTest {
    /** Surefire runs in the module directory, harness/cli. */
    private static final Path TEMPLATE = Path.of("../../examples/plugin-template");
    private static final String SERVICE = "org.sslbench.method.Method";

    /** The template's main sources: class name → source text. */
    private static Map<String, String> sources() throws IOException {
        Path root = TEMPLATE.resolve("src/main/java");
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                out.put(rel.substring(0, rel.length() - ".java".length()).replace('/', '.'), Files.readString(f));
            }
        }
        return out;
    }

    /** The providers the template's ServiceLoader file lists. */
    private static String[] providers() throws IOException {
        return Files.readAllLines(TEMPLATE.resolve("src/main/resources/META-INF/services/" + SERVICE)).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toArray(String[]::new);
    }

    private static String stdoutOf(Runnable r) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(captured, true));
        try {
            r.run();
        } finally {
            System.setOut(previous);
        }
        return captured.toString();
    }

    @Test
    void templateJarIsListedAndBenchmarksWithItsOwnSpec(@TempDir Path work) throws IOException {
        Path plugins = Files.createDirectory(work.resolve("plugins"));
        Path jar = PluginJars.build(work, "flip-method.jar", sources(), SERVICE, providers());
        Files.move(jar, plugins.resolve("flip-method.jar"));

        int[] code = new int[1];
        String listing = stdoutOf(() -> code[0] = Main.run("list", "--plugins", plugins.toString()));
        assertEquals(Main.OK, code[0]);
        String flipLines = listing.lines().dropWhile(l -> !l.strip().startsWith("flip ")).limit(2)
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(flipLines.contains("mirrored"), "flip missing from:\n" + listing);
        assertTrue(flipLines.contains(plugins.resolve("flip-method.jar").toString()), "flip's jar not named:\n" + listing);

        Path out = work.resolve("out");
        code[0] = Main.run("bench", "--spec", TEMPLATE.resolve("spec.yaml").toString(), "--plugins", plugins.toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(Main.OK, code[0]);
        List<CSVRecord> flipRows;
        try (Reader r = Files.newBufferedReader(out.resolve("cells.csv"))) {
            flipRows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords()
                    .stream().filter(row -> row.get("method").equals("flip")).toList();
        }
        assertFalse(flipRows.isEmpty(), "no flip rows in cells.csv");
        for (CSVRecord row : flipRows) {
            assertEquals("ok", row.get("status"), row.toString());
            assertFalse(row.get("pretext_loss").isEmpty(), "flip pretrains: " + row);
        }
    }
}
