package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.run.TimeSplit;

/**
 * The "matrix" perf case: a spec run through bench, its wall time split into pretext, downstream
 * training, evaluation and I/O (no timing assertions: only that every part was measured and that
 * the parts add up to the total); bench prints the split and appends it to timings.csv.
 */
class MatrixPerfTest {
    @TempDir
    Path work;

    /** The shape of specs/perf/matrix-small.yaml at a tenth of its budget. */
    private static final String TINY = """
            name: perf-matrix-tiny
            datasets:
              - {name: fashion-mnist-embedded, unlabeled_limit: 200}
            backbone: small-cnn
            methods:
              - supervised
              - name: rotation
                params: {all_four: false}
            preset: none
            labels: {per_class: [2]}
            seeds: [0]
            pretext: {epochs: 1, batch_size: 64}
            selection: fixed
            protocols:
              finetune: {epochs: 2, batch_size: 16, eval_every: 1}
              linear: {epochs: 2, batch_size: 16}
            """;

    @Test
    void everyPartIsMeasuredAndThePartsAddUpToTheTotal() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = work.resolve("results");
        MatrixPerf.Result r = MatrixPerf.run("tiny", TINY, out, new PrintStream(log, true));
        assertEquals(4, r.cells(), "supervised and rotation x finetune and linear");
        for (double part : new double[] {r.pretext(), r.downstreamTraining(), r.evaluation(), r.io()}) {
            assertTrue(part > 0, r.toString());
        }
        double sum = r.pretext() + r.downstreamTraining() + r.evaluation() + r.io() + r.other();
        assertEquals(r.total(), sum, 1e-9, r.toString());
        assertTrue(r.other() >= 0, r.toString());
        String printed = log.toString();
        assertTrue(printed.lines().anyMatch(l -> l.matches("time: pretext \\d+\\.\\d s, downstream training \\d+\\.\\d s,"
                + " evaluation \\d+\\.\\d s, I/O \\d+\\.\\d s, other \\d+\\.\\d s, total \\d+\\.\\d s")), printed);
        List<CSVRecord> rows;
        try (Reader reader = Files.newBufferedReader(out.resolve(TimeSplit.FILE))) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader).getRecords();
        }
        assertEquals(1, rows.size());
        assertEquals("perf-matrix-tiny", rows.get(0).get("spec"));
        assertEquals("4", rows.get(0).get("cells_run"));
        assertEquals(r.total(), Double.parseDouble(rows.get(0).get("total_seconds")), 0.0005);
    }

    @Test
    void theFixedPerfSpecValidates() {
        assertEquals(Main.OK, Main.run("validate", "--spec", Path.of("../../specs/perf/matrix-small.yaml").toString()));
    }
}
