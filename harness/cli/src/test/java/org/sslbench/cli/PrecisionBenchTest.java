package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sslbench.engine.Checkpoint;
import org.sslbench.engine.Devices;
import org.sslbench.engine.Precision;

/**
 * {@code precision: bf16} end to end (issue 16): a tiny bench whose pretext and fine-tune run in bf16
 * and whose kNN block stays fp32 records each cell's effective precision in cells.csv and the
 * pretext's in its checkpoint metadata, with finite accuracies. Runs where the CPU has bf16
 * ({@link Precision#effective}); elsewhere the same spec must say it falls back.
 */
class PrecisionBenchTest {
    static final String SPEC = """
            name: precision
            datasets: [fashion-mnist]
            backbone: small-cnn
            methods: [supervised, rotation]
            labels: {per_class: [2]}
            seeds: [0]
            precision: bf16
            pretext: {epochs: 1, batch_size: 16}
            protocols:
              finetune: {epochs: 1, batch_size: 8}
              knn: {k: 3, precision: fp32}
            """;

    @BeforeAll
    static void data() throws IOException {
        RobustnessTest.writeDataIfNeeded();
    }

    private static String run(Path out) throws IOException {
        Path spec = RobustnessTest.work.resolve("precision.yaml");
        Files.writeString(spec, SPEC);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Main.OK, Main.run(new String[] {"bench", "--spec", spec.toString(), "--data",
                    RobustnessTest.data.toString(), "--out", out.toString(), "--quiet"}));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** validate says what bench will: fp16 on this CPU-only process falls back to fp32, once per reason. */
    @Test
    void validateSaysWhenTheHardwareFallsBack() throws IOException {
        Path spec = RobustnessTest.work.resolve("precision-fp16.yaml");
        Files.writeString(spec, SPEC.replace("precision: bf16", "precision: fp16"));
        CliRun validate = CliRun.of("validate", "--spec", spec.toString(), "--data", RobustnessTest.data.toString());
        assertEquals(Main.OK, validate.code(), validate.err());
        String device = Devices.detect(new PrintStream(OutputStream.nullOutputStream()));
        Precision.Resolved fp16 = Precision.effective(Precision.FP16, device);
        assumeTrue(fp16.fellBack(), "a GPU: fp16 runs as asked");
        String note = "note: " + fp16.reason();
        assertEquals(validate.out().indexOf(note), validate.out().lastIndexOf(note), "one note per reason: " + validate.out());
        assertTrue(validate.out().contains(note), validate.out());
        // a spec without mixed precision says nothing about it (and does not load TensorFlow for it)
        Path plain = RobustnessTest.work.resolve("precision-fp32.yaml");
        Files.writeString(plain, SPEC.replace("precision: bf16\n", "").replace(", precision: fp32", ""));
        CliRun quiet = CliRun.of("validate", "--spec", plain.toString(), "--data", RobustnessTest.data.toString());
        assertEquals(Main.OK, quiet.code(), quiet.err());
        assertTrue(!quiet.out().contains("note: precision"), quiet.out());
    }

    @Test
    void bf16CellsAndPretextRecordTheirPrecision() throws IOException {
        Precision.Resolved here = Precision.effective(Precision.BF16,
                Devices.detect(new PrintStream(OutputStream.nullOutputStream())));
        Path out = RobustnessTest.work.resolve("bf16");
        String log = run(out);
        List<CSVRecord> rows = RobustnessTest.rows(out);
        assertEquals(4, rows.size(), "2 methods x (finetune, knn)");
        String effective = here.precision().key();
        for (CSVRecord r : rows) {
            // computed (a 1-epoch rotation encoder may be marked collapsed, still with an accuracy)
            assertTrue(List.of("ok", "collapsed").contains(r.get("status")), r.toString());
            double accuracy = Double.parseDouble(r.get("test_accuracy"));
            assertTrue(accuracy >= 0 && accuracy <= 1, r.toString());
            assertEquals(r.get("protocol").equals("knn") ? "fp32" : effective, r.get("precision"), r.toString());
        }
        Path pretext = Files.list(out.resolve("pretext")).filter(p -> p.toString().endsWith(".ckpt")).findFirst()
                .orElseThrow();
        assertEquals(effective, Checkpoint.readMetadata(pretext).get("precision"));
        if (here.fellBack()) {
            assertTrue(log.contains("note: " + here.reason()), log);
        } else {
            // no fallback note, only the caveat that bf16 is experimental (RunPrecision.BF16_EXPERIMENTAL)
            assertTrue(log.contains("note: precision bf16 is experimental"), log);
            assertTrue(!log.contains("running fp32"), log);
        }
        assumeTrue(!here.fellBack(), "no bf16 on this CPU: the fallback was checked instead");
        assertEquals("bf16", rows.stream().filter(r -> r.get("protocol").equals("finetune")).findFirst().orElseThrow()
                .get("precision"));
    }
}
