package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Checkpoint;
import org.sslbench.plugin.CodeOrigin;
import org.sslbench.results.BuildInfo;
import org.sslbench.run.Registries;
import org.sslbench.testing.FormatWriters;
import org.sslbench.testing.PluginJars;

/**
 * Which code produced each result (issue 10, case 3) and commands agreeing on plugin conflicts
 * (case 7), end to end through {@link Main}.
 */
class CodeProvenanceTest {
    private static final String SPI = "org.sslbench.method.Method";
    @TempDir
    static Path work;
    static Path data;
    static Path spec;

    @BeforeAll
    static void writeDataAndSpec() throws IOException {
        data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 8, 4, 1), true);
        spec = work.resolve("tiny.yaml");
        Files.writeString(spec, """
                name: tiny
                datasets: [fashion-mnist]
                backbone: small-cnn
                methods: [supervised, rotation]
                labels: {per_class: [1, 2]}
                seeds: [0]
                pretext: {epochs: 1, batch_size: 16}
                protocols:
                  knn: {k: 3}
                """);
    }


    private static List<CSVRecord> rows(Path cells) throws IOException {
        try (Reader r = Files.newBufferedReader(cells)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    /** Rewrites cells.csv with {@code column} of the rows {@code which} selects set to {@code value}. */
    private static void rewrite(Path cells, java.util.function.Predicate<CSVRecord> which, String column, String value)
            throws IOException {
        List<CSVRecord> records = rows(cells);
        List<String> header = records.get(0).getParser().getHeaderNames();
        StringWriter text = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(header.toArray(new String[0]))
                .setRecordSeparator("\n").build())) {
            for (CSVRecord r : records) {
                Map<String, String> m = new LinkedHashMap<>(r.toMap());
                if (which.test(r)) {
                    m.put(column, value);
                }
                List<String> values = new ArrayList<>();
                header.forEach(h -> values.add(m.get(h)));
                p.printRecord(values);
            }
        }
        Files.writeString(cells, text.toString());
    }

    private static String key(CSVRecord r) {
        return r.get("method") + "/n" + r.get("n_labels");
    }

    private static Map<String, CSVRecord> byKey(Path cells) throws IOException {
        Map<String, CSVRecord> m = new LinkedHashMap<>();
        rows(cells).forEach(r -> m.put(key(r), r));
        return m;
    }

    @Test
    void rowsAndCheckpointsRecordTheCodeAndStaleCellsAreRedoneOnlyWithTheFlag() throws IOException {
        Path out = work.resolve("out-stale");
        String[] bench = {"bench", "--spec", spec.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet"};
        assertEquals(Main.OK, CliRun.of(bench).code());
        Path cells = out.resolve("cells.csv");
        Registries registries = Registries.discover(null, Set.of());
        Map<String, CSVRecord> first = byKey(cells);
        assertEquals(4, first.size(), first.keySet().toString());
        for (CSVRecord r : first.values()) {
            CodeOrigin origin = CodeOrigin.of(registries.methodRegistry().get(r.get("method")).getClass());
            assertEquals(origin.name(), r.get("method_source"), r.toString());
            assertEquals(origin.sha256(), r.get("method_source_sha256"), r.toString());
            assertTrue(r.get("method_source_sha256").matches("[0-9a-f]{64}"), r.toString());
            assertEquals(BuildInfo.commit(), r.get("git_commit"), "the build's commit, not the working directory's");
        }
        assertNotEquals(first.get("supervised/n10").get("method_source_sha256"), first.get("rotation/n10").get("method_source_sha256"));
        Path ckpt;
        try (Stream<Path> s = Files.list(out.resolve("pretext"))) {
            ckpt = s.filter(p -> p.toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        Map<String, String> meta = Checkpoint.read(ckpt).metadata();
        assertEquals(first.get("rotation/n10").get("method_source_sha256"), meta.get("method_source_sha256"));
        assertEquals(first.get("rotation/n10").get("method_source"), meta.get("method_source"));
        assertEquals(BuildInfo.commit(), meta.get("git_commit"));
        assertEquals(first.get("rotation/n10").get("sslbench_version"), meta.get("sslbench_version"));

        // Simulate older code: another sslbench build for one supervised cell, another rotation jar
        // for both rotation cells and their checkpoint. supervised/n20 stays current.
        rewrite(cells, r -> key(r).equals("supervised/n10"), "git_commit", "000000000000");
        rewrite(cells, r -> r.get("method").equals("rotation"), "method_source_sha256", "f".repeat(64));
        Checkpoint old = Checkpoint.read(ckpt);
        Map<String, String> oldMeta = new LinkedHashMap<>(old.metadata());
        oldMeta.put("method_source_sha256", "f".repeat(64));
        new Checkpoint(oldMeta, old.tensors()).write(ckpt);
        String staleText = Files.readString(cells);

        CliRun kept = CliRun.of(bench);
        assertEquals(Main.OK, kept.code());
        assertTrue(kept.out().contains("warning: 3 of the cells already in"), kept.out());
        assertTrue(kept.out().contains("supervised fashion-mnist small-cnn knn n=10 seed=0")
                && kept.out().contains("sslbench build 000000000000 -> " + BuildInfo.commit()), kept.out());
        assertTrue(kept.out().contains("rotation fashion-mnist small-cnn knn n=20 seed=0")
                && kept.out().contains("method code " + first.get("rotation/n10").get("method_source") + " ffffffffffff -> "), kept.out());
        assertFalse(kept.out().contains("supervised fashion-mnist small-cnn knn n=20"), kept.out());
        assertTrue(kept.out().contains("--recompute-stale"), kept.out());
        assertEquals(staleText, Files.readString(cells), "without --recompute-stale the cells are kept");

        String[] recompute = java.util.Arrays.copyOf(bench, bench.length + 1);
        recompute[bench.length] = "--recompute-stale";
        CliRun redone = CliRun.of(recompute);
        assertEquals(Main.OK, redone.code());
        assertTrue(redone.out().contains("was trained by other code") && redone.out().contains("retraining"), redone.out());
        Map<String, CSVRecord> after = byKey(cells);
        assertEquals(4, after.size());
        for (String k : List.of("supervised/n10", "rotation/n10", "rotation/n20")) {
            assertEquals(first.get(k).get("method_source_sha256"), after.get(k).get("method_source_sha256"), k);
            assertEquals(BuildInfo.commit(), after.get(k).get("git_commit"), k);
            assertNotEquals(first.get(k).get("timestamp"), after.get(k).get("timestamp"), k + " recomputed");
        }
        assertEquals(first.get("supervised/n20").toMap(), after.get("supervised/n20").toMap(), "the current cell is untouched");
        assertEquals(first.get("rotation/n10").get("method_source_sha256"), Checkpoint.read(ckpt).metadata().get("method_source_sha256"),
                "the stale checkpoint was retrained");

        CliRun clean = CliRun.of(bench);
        assertFalse(clean.out().contains("other code"), clean.out());
    }

    private static Path conflictingPlugins(String dirName, String firstJar, String secondJar, String name) throws IOException {
        Path plugins = Files.createDirectory(work.resolve(dirName));
        PluginJars.build(plugins, firstJar, Map.of("ext.a.M", PluginJars.methodSource("ext.a.M", name, false)), SPI, "ext.a.M");
        if (secondJar != null) {
            PluginJars.build(plugins, secondJar, Map.of("ext.b.M", PluginJars.methodSource("ext.b.M", name, false)), SPI, "ext.b.M");
        }
        return plugins;
    }

    /** The case: validate said ok where bench warned; now every command refuses alike. */
    @Test
    void everyCommandRefusesTwoJarsProvidingOneMethodWithTheSameMessage() throws IOException {
        Path plugins = conflictingPlugins("plugins-two", "my-method-1.0.0.jar", "my-method-1.0.1.jar", "mine");
        Path out = work.resolve("never-conflict");
        String[] common = {"--spec", spec.toString(), "--data", data.toString(), "--plugins", plugins.toString(), "--out", out.toString()};
        CliRun validate = CliRun.of(concat("validate", common));
        CliRun bench = CliRun.of(concat("bench", common));
        CliRun slurm = CliRun.of(concat(new String[] {"slurm", "--shards", "2"}, common));
        CliRun list = CliRun.of("list", "--plugins", plugins.toString());
        String message = validate.err();
        assertTrue(message.contains("my-method-1.0.0.jar") && message.contains("my-method-1.0.1.jar")
                && message.contains("method 'mine'") && message.contains("remove the jar"), message);
        for (CliRun r : List.of(validate, bench, slurm, list)) {
            assertEquals(Main.BAD_INPUT, r.code(), r.err());
            assertEquals(message, r.err(), "one message for every command");
        }
        assertFalse(validate.out().contains(": ok"), validate.out());
        assertFalse(Files.exists(out), "nothing run");
    }

    @Test
    void aPluginCannotReplaceABuiltInMethod() throws IOException {
        Path plugins = conflictingPlugins("plugins-builtin", "my-rotation.jar", null, "rotation");
        String[] common = {"--spec", spec.toString(), "--data", data.toString(), "--plugins", plugins.toString()};
        CliRun validate = CliRun.of(concat("validate", common));
        CliRun bench = CliRun.of(concat("bench", common));
        assertEquals(Main.BAD_INPUT, validate.code());
        assertEquals(Main.BAD_INPUT, bench.code());
        assertEquals(validate.err(), bench.err());
        assertTrue(validate.err().contains("built-in") && validate.err().contains("my-rotation.jar")
                && validate.err().contains("cannot replace a built-in method"), validate.err());
    }

    @Test
    void listShowsWhereEachMethodComesFromWithItsContentHash() throws IOException {
        Path plugins = conflictingPlugins("plugins-one", "echo-2.0.jar", null, "echo");
        CliRun list = CliRun.of("list", "--plugins", plugins.toString());
        assertEquals(Main.OK, list.code(), list.err());
        Registries registries = Registries.discover(plugins, Set.of());
        for (String method : List.of("rotation", "echo")) {
            var entry = registries.methodRegistry().entries().stream().filter(e -> e.name().equals(method)).findFirst().orElseThrow();
            String line = "from " + entry.source() + " (sha256 " + CodeOrigin.of(entry.value().getClass()).shortHash() + ")";
            assertTrue(list.out().contains(line), line + " not in:\n" + list.out());
        }
        assertTrue(list.out().contains("echo-2.0.jar"), list.out());
    }

    private static String[] concat(String first, String[] rest) {
        return concat(new String[] {first}, rest);
    }

    private static String[] concat(String[] first, String[] rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
