package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Sessions;

/** `perf` writes its CSV with the machine and every lever's setting recorded (no speed is asserted). */
class PerfCommandTest {
    @Test
    void writesTheCsvWithMachineAndThreadSettings(@TempDir Path out) throws Exception {
        assertEquals(Main.OK, Main.run("perf", "--case", "graph-build", "--repeats", "1", "--warmup", "0",
                "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("perf.csv"));
        assertTrue(lines.get(0).startsWith("case,value,unit,repeats,warmup,steps,cpu_kernels,threads,inter_threads,xla,grappler,"
                + "reuse_feeds,cores,cpu,tf_version"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("graph-build-resnet20-train,") && l.contains(",ms,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("peak-rss,") && l.contains(",MB,")), lines.toString());
    }

    /** The step under non-default levers runs, is recorded with them, and prints what `perf --levers` parses. */
    @Test
    void trainStepUnderLeversIsRecordedAndParsable(@TempDir Path out) throws Exception {
        String printed = captured(() -> Main.run("perf", "--case", "train-resnet20", "--batch", "4", "--steps", "1",
                "--repeats", "1", "--warmup", "0", "--reuse-feeds", "--inter-threads", "1", "--grappler", "no-remap",
                "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("perf.csv"));
        String row = lines.stream().filter(l -> l.startsWith("train-resnet20-b4-supervised,")).findFirst().orElseThrow();
        String[] v = row.split(",");
        assertEquals(List.of("default", "1", "false", "no-remap", "true"), List.of(v[7], v[8], v[9], v[10], v[11]), row);
        double rate = Double.parseDouble(v[1]);
        assertTrue(rate > 0, row);
        assertEquals(rate, PerfLevers.trainRate(printed).orElseThrow(), 0.01, printed);
        // the levers are process-wide: perf hands the defaults back
        assertEquals(Sessions.config(), org.tensorflow.proto.ConfigProto.newBuilder()
                .setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder()).build());
    }

    /** The folder-decode case on a small generated folder: both loads recorded, the decoded count right. */
    @Test
    void folderDecodeCaseRecordsDecodeAndReuse(@TempDir Path dir) throws Exception {
        ImageFoldersTest.folders(dir.resolve("imgs/train"), 3, "a", "b");
        ImageFoldersTest.folders(dir.resolve("imgs/test"), 2, "a", "b");
        assertEquals(Main.OK, Main.run("perf", "--case", "folder-decode", "--folder", dir.resolve("imgs").toString(),
                "--out", dir.resolve("out").toString()));
        List<String> lines = Files.readAllLines(dir.resolve("out/perf.csv"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("folder-decode-10-images,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("folder-reuse-10-images,")), lines.toString());
    }

    @Test
    void unknownGrapplerSettingIsBadInput() {
        assertEquals(Main.BAD_INPUT, Main.run("perf", "--grappler", "fast"));
    }

    /** The stl10-memory child on a small generated directory: the real loader, then the RSS line it prints. */
    @Test
    void stl10StreamChildReadsTheLoaderAndReportsRss(@TempDir Path dir) throws Exception {
        Stl10Memory.writeData(dir.resolve("stl10_binary"), 300);
        String printed = captured(() -> Main.run("perf", "--stream-stl10", dir.toString()));
        Stl10Memory.Result r = Stl10Memory.parse(printed);
        assertTrue(r.peakRssMb() > 0 && r.anonRssMb() > 0 && r.anonRssMb() <= r.peakRssMb(), printed);
        assertTrue(r.imagesPerSecond() > 0, printed);
    }

    @Test
    void leverMedianAndRateParsing() {
        assertEquals(3.0, PerfCommand.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, PerfCommand.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertTrue(PerfLevers.trainRate("perf: x\n  peak-rss  12.00 MB\n").isEmpty());
        assertEquals(321.5, PerfLevers.trainRate("  train-resnet20-b512-supervised     321.50 img/s\n").orElseThrow());
    }

    private static String captured(java.util.function.IntSupplier run) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Main.OK, run.getAsInt());
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
