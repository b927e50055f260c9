package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

/**
 * The supcon and fixmatch protocols end to end through bench (BenchRunner): their cells next to finetune's in one
 * leaderboard, for the from-scratch {@code supervised} row and an SSL method's row; none for the
 * pixels baseline (no encoder to train), with the note; the answer compares supcon's rows with
 * supervised as finetune's are (no "frozen random encoder" remark); list shows its params.
 */
class SupConBenchTest {
    @TempDir
    static Path work;
    static Path results;
    static CliRun run;

    private static final String SPEC = """
            name: supcon-e2e
            datasets: [fashion-mnist]
            backbone: small-cnn
            methods: [supervised, rotation, pixels]
            preset: none
            labels: {per_class: [2]}
            seeds: [0]
            pretext: {epochs: 1, batch_size: 16}
            protocols:
              finetune: {epochs: 1, batch_size: 8}
              supcon: {epochs: 2, batch_size: 10, proj_hidden_dim: 16, proj_output_dim: 16, temperature: 0.2, augment: {shift: 0.1, hflip: true}}
              fixmatch: {epochs: 1, batch_size: 4, mu: 2, threshold: 0.5}
              linear: {}
            """;

    @BeforeAll
    static void bench() throws IOException {
        Path data = Files.createDirectory(work.resolve("data"));
        FormatWriters.writeFashionMnist(data, FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 3, 2, 4), true);
        Path spec = work.resolve("supcon.yaml");
        Files.writeString(spec, SPEC);
        results = work.resolve("out");
        run = CliRun.of("bench", "--spec", spec.toString(), "--data", data.toString(), "--out", results.toString(), "--quiet");
        assertEquals(Main.OK, run.code(), run.out() + run.err());
    }

    private static List<CSVRecord> csv(String file) throws IOException {
        try (Reader r = Files.newBufferedReader(results.resolve(file))) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    @Test
    void supConCellsRunNextToFinetuneForScratchAndSslRowsButNotForPixels() throws IOException {
        List<CSVRecord> cells = csv("cells.csv");
        for (String method : List.of("supervised", "rotation")) {
            for (String protocol : List.of("finetune", "supcon", "fixmatch", "linear")) {
                List<CSVRecord> rows = cells.stream().filter(r -> r.get("method").equals(method)
                        && r.get("protocol").equals(protocol)).toList();
                assertEquals(1, rows.size(), method + "/" + protocol + ": " + cells);
                assertEquals("ok", rows.get(0).get("status"), rows.get(0).toString());
            }
        }
        CSVRecord supcon = cells.stream().filter(r -> r.get("protocol").equals("supcon")).findFirst().orElseThrow();
        assertTrue(supcon.get("selection").startsWith("fixed epochs; probe "), supcon.toString());
        assertTrue(supcon.get("selected").startsWith("epochs=2;l2="), supcon.toString());
        double acc = Double.parseDouble(supcon.get("test_accuracy"));
        assertTrue(acc >= 0 && acc <= 1, supcon.toString());
        assertFalse(cells.stream().anyMatch(r -> r.get("method").equals("pixels") && !r.get("protocol").equals("linear")),
                cells.toString());
        assertTrue(run.out().contains("note: pixels: linear only, no finetune, supcon, fixmatch cells (its features are the raw"
                + " normalised pixels; there is no encoder to train)"), run.out());
        // fixmatch: held-out selection (2 labels per class: 1 held out) and the last epoch's mask rate
        CSVRecord fixmatch = cells.stream().filter(r -> r.get("protocol").equals("fixmatch")
                && r.get("method").equals("rotation")).findFirst().orElseThrow();
        assertEquals("holdout 20%", fixmatch.get("selection"), fixmatch.toString());
        assertTrue(fixmatch.get("selected").matches("epochs=1;holdout_accuracy=[0-9.]+;mask_rate=[0-9.]+;unlabeled=[0-9]+"), fixmatch.toString());
        double mask = Double.parseDouble(fixmatch.get("selected").replaceAll(".*mask_rate=", "").replaceAll(";.*", ""));
        assertTrue(mask >= 0 && mask <= 1, fixmatch.toString());
        List<CSVRecord> board = csv("leaderboard.csv");
        assertTrue(board.stream().anyMatch(r -> r.get("protocol").equals("fixmatch") && r.get("method").equals("supervised")), board.toString());
        assertTrue(board.stream().anyMatch(r -> r.get("protocol").equals("supcon") && r.get("method").equals("rotation")), board.toString());
        assertTrue(board.stream().anyMatch(r -> r.get("protocol").equals("finetune") && r.get("method").equals("rotation")), board.toString());
    }

    @Test
    void theAnswerTreatsSupConsSupervisedRowAsTrainedFromScratch() throws IOException {
        String report = Files.readString(results.resolve("report.md"));
        int answer = report.indexOf("## Answer");
        String section = report.substring(answer, report.indexOf("\n## ", answer + 3));
        // one remark per frozen-feature block (linear), none for finetune, supcon and fixmatch
        assertEquals(1, section.split("trains no encoder", -1).length - 1, section);
        assertTrue(section.contains("linear trains no encoder"), section);
    }

    @Test
    void listShowsSupConWithItsParamsAndRanges() {
        CliRun list = CliRun.of("list");
        assertEquals(Main.OK, list.code(), list.err());
        String out = list.out();
        String protocols = out.substring(out.indexOf("\nprotocols\n"));
        assertTrue(protocols.contains("supcon"), protocols);
        assertTrue(protocols.contains("temperature = 0.1 (≥ 0.0001)") || protocols.contains("temperature = 0.1 (>= 0.0001)"),
                protocols);
        assertTrue(protocols.contains("proj_output_dim = 128 (") && protocols.contains("proj_hidden_dim = 0 ("), protocols);
        assertTrue(protocols.contains("fixmatch") && protocols.contains("threshold = 0.95") && protocols.contains("lambda_u = 1"),
                protocols);
        // the training keys a block gets when it writes none, and FixMatch's two views
        assertTrue(protocols.contains("training defaults: epochs 5, batch_size 64, optimizer sgd lr 0.03 weight_decay 0.0005"
                + " nesterov, schedule fixmatch_cosine"), protocols);
        assertTrue(protocols.contains("training defaults: epochs 20, batch_size 128, optimizer sgd lr 0.05"), protocols);
        assertTrue(protocols.contains("strong = weak + randaugment: 2, cutout: 0.5"), protocols);
        // validate says how supcon chooses its settings (it has no selection key)
        CliRun validate = CliRun.of("validate", "--spec", work.resolve("supcon.yaml").toString(), "--data",
                work.resolve("data").toString());
        assertEquals(Main.OK, validate.code(), validate.err());
        assertTrue(validate.out().contains("supcon (fixed epochs, then the probe's L2 by k-fold on the labelled subset)")
                && validate.out().contains("fixmatch (selection labelled)"), validate.out());
        // a protocol asked for as a method is pointed to where it is listed
        CliRun asMethod = CliRun.of("list", "--method", "supcon");
        assertEquals(Main.BAD_INPUT, asMethod.code());
        assertTrue(asMethod.err().contains("'supcon' is a protocol, not a method"), asMethod.err());
    }
}
