package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        assertTrue(lines.get(0).startsWith("case,value,unit,precision,gflop_per_image,gflops,utilisation_percent,repeats,warmup,"
                + "steps,cpu_kernels,threads,inter_threads,xla,grappler,reuse_feeds,cores,cpu,tf_version"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("graph-build-resnet20-train,") && l.contains(",ms,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("peak-rss,") && l.contains(",MB,")), lines.toString());
    }

    /** The step under non-default levers runs, is recorded with them, and prints what `perf --levers` parses. */
    @Test
    void trainStepUnderLeversIsRecordedAndParsable(@TempDir Path out) throws Exception {
        String printed = captured(() -> Main.run("perf", "--case", "train-resnet20", "--batch", "4", "--steps", "1",
                "--repeats", "1", "--warmup", "0", "--reuse-feeds", "--inter-threads", "1", "--grappler", "no-remap",
                "--precision", "fp32", "--gemm-size", "32", "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("perf.csv"));
        String row = lines.stream().filter(l -> l.startsWith("train-resnet20-b4-supervised,")).findFirst().orElseThrow();
        String[] v = row.split(",");
        assertEquals(List.of("default", "1", "false", "no-remap", "true"), List.of(v[11], v[12], v[13], v[14], v[15]), row);
        double rate = Double.parseDouble(v[1]);
        assertTrue(rate > 0, row);
        assertEquals(rate, PerfLevers.trainRate(printed).orElseThrow(), 0.01, printed);
        // model FLOPs of the step's own graph (FlopsTest pins 243,994,368 per image), achieved
        // GFLOP/s = img/s × GFLOP/img, utilisation against the fp32 GEMM rate of the same run
        assertEquals("fp32", v[3], row);
        assertEquals("0.2440", v[4], row);
        assertEquals(rate * 0.2440, Double.parseDouble(v[5]), 0.01 + rate * 1e-4, row);
        String gemm = lines.stream().filter(l -> l.startsWith("gemm-fp32-32,")).findFirst().orElseThrow();
        double gemmRate = Double.parseDouble(gemm.split(",")[1]);
        assertEquals(100 * Double.parseDouble(v[5]) / gemmRate, Double.parseDouble(v[6]), 0.01 * Double.parseDouble(v[6]) + 0.01, row);
        assertTrue(printed.contains(PerfCommand.UTILISATION_TARGET), printed);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("train-") && l.contains("bf16")),
                "--precision fp32 runs the step in fp32 only: " + lines);
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

    @Test
    void unknownPrecisionIsBadInput() {
        assertEquals(Main.BAD_INPUT, Main.run("perf", "--precision", "fp8"));
    }

    /** A --case that names no case, and a negative GEMM size, are bad input (tester LOW 2), not an empty run. */
    @Test
    void unknownCaseAndNegativeGemmSizeAreBadInput(@TempDir Path out) {
        assertEquals(Main.BAD_INPUT, Main.run("perf", "--case", "nosuchcase", "--out", out.toString()));
        assertEquals(Main.BAD_INPUT, Main.run("perf", "--case", "inference-resnet20-b256", "--out", out.toString()),
                "a row name is not a case name");
        assertEquals(Main.BAD_INPUT, Main.run("perf", "--case", "gemm", "--gemm-size", "-5", "--out", out.toString()));
        assertTrue(!Files.exists(out.resolve("perf.csv")), "nothing measured, nothing written");
    }

    /** The roofline case alone: an fp32 GEMM rate, and a bf16 one exactly where Precision allows bf16. */
    @Test
    void gemmCaseRecordsBothPrecisionsOrWhyNot(@TempDir Path out) throws Exception {
        assertEquals(Main.OK, Main.run("perf", "--case", "gemm", "--gemm-size", "32", "--repeats", "1", "--warmup", "0",
                "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("perf.csv"));
        String[] fp32 = lines.stream().filter(l -> l.startsWith("gemm-fp32-32,")).findFirst().orElseThrow().split(",");
        assertTrue(Double.parseDouble(fp32[1]) > 0 && fp32[2].equals("GFLOP/s") && fp32[3].equals("fp32"), String.join(",", fp32));
        String bf16 = lines.stream().filter(l -> l.startsWith("gemm-bf16-32,")).findFirst().orElseThrow();
        var resolved = org.sslbench.engine.Precision.effective(org.sslbench.engine.Precision.BF16,
                org.sslbench.engine.Devices.detect(new PrintStream(java.io.OutputStream.nullOutputStream())));
        if (resolved.fellBack()) {
            assertTrue(bf16.startsWith("gemm-bf16-32,unsupported,") && bf16.contains("bf16"), bf16);
        } else {
            assertTrue(Double.parseDouble(bf16.split(",")[1]) > 0, bf16);
        }
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("train-") || l.startsWith("inference-")), lines.toString());
    }

    /** GFLOP/s of a timed GEMM and utilisation, as pure functions. */
    @Test
    void gemmRateAndUtilisationArithmetic() {
        assertEquals(2.0 * 2048 * 2048 * 2048 / 0.5 / 1e9, GemmRoofline.gflops(2048, 2048, 2048, 1, 0.5), 1e-9);
        assertEquals(34.359738368, GemmRoofline.gflops(2048, 2048, 2048, 1, 0.5), 1e-9);
        assertEquals(3 * 2.0 * 2 * 3 * 4 / 1e-6 / 1e9, GemmRoofline.gflops(2, 3, 4, 3, 1e-6), 1e-9);
        assertEquals(25.0, GemmRoofline.utilisationPercent(100, 400), 1e-12);
        assertTrue(Double.isNaN(GemmRoofline.utilisationPercent(100, Double.NaN)));
        assertTrue(Double.isNaN(GemmRoofline.utilisationPercent(100, 0)));
        assertThrows(IllegalArgumentException.class, () -> GemmRoofline.gflops(1, 1, 1, 1, 0));
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
        // a bf16 child prints its own row; an unsupported row or the speed-up row is no rate
        assertEquals(400.0, PerfLevers.trainRate("  train-resnet20-b256-supervised-bf16  400.00 img/s   0.2440 GFLOP/img\n")
                .orElseThrow());
        assertTrue(PerfLevers.trainRate("  train-resnet20-b256-supervised-bf16  unsupported precision bf16 needs\n"
                + "  train-resnet20-b256-bf16-speedup  1.50 x\n").isEmpty());
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
