package org.sslbench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bench run's time split: the printed line, "other" as the rest of the total, timings.csv rows. */
class TimeSplitTest {
    @TempDir
    Path dir;

    @Test
    void theLineNamesEveryPartAndOtherIsTheRestOfTheTotal() {
        TimeSplit t = TimeSplit.of(12.0, 30.5, 7.25, 1.0, 60.0);
        assertEquals(60.0 - 12.0 - 30.5 - 7.25 - 1.0, t.other(), 1e-12);
        assertEquals("time: pretext 12.0 s, downstream training 30.5 s, evaluation 7.3 s, I/O 1.0 s, other 9.3 s,"
                + " total 60.0 s", t.line());
        // parts that overrun the total (clock granularity) leave other at 0, never negative
        assertEquals(0, TimeSplit.of(10, 0, 0, 0, 9.5).other());
    }

    @Test
    void addIgnoresNotMeasuredAndNegativeTimes() {
        TimeSplit t = new TimeSplit();
        t.add(TimeSplit.Part.EVALUATION, 2.5);
        t.add(TimeSplit.Part.EVALUATION, Double.NaN);
        t.add(TimeSplit.Part.EVALUATION, -1);
        assertEquals(2.5, t.seconds(TimeSplit.Part.EVALUATION));
        t.addSince(TimeSplit.Part.IO, System.nanoTime() - 1_000_000_000L);
        assertTrue(t.seconds(TimeSplit.Part.IO) >= 1.0, "at least the second since the start given");
        double total = t.finish().total();
        assertEquals(total, t.finish().total(), "finish keeps the first total");
    }

    private List<CSVRecord> rows() throws IOException {
        try (Reader r = Files.newBufferedReader(dir.resolve(TimeSplit.FILE))) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    @Test
    void everyRunAppendsOneRowWithItsCommitAndTimestamp() throws IOException {
        TimeSplit.of(1, 2, 3, 4, 11).append(dir, Instant.parse("2026-01-01T00:00:00Z"), "abc123def456", "quick");
        TimeSplit.of(5, 6, 7, 8, 30).append(dir, Instant.parse("2026-01-02T00:00:00Z"), "abc123def456-dirty", "quick");
        List<CSVRecord> rows = rows();
        assertEquals(2, rows.size());
        assertEquals(TimeSplit.COLUMNS, rows.get(0).getParser().getHeaderNames());
        assertEquals("2026-01-01T00:00:00Z", rows.get(0).get("timestamp"));
        assertEquals("abc123def456", rows.get(0).get("git_commit"));
        assertEquals("1.000", rows.get(0).get("pretext_seconds"));
        assertEquals("1.000", rows.get(0).get("other_seconds"));
        assertEquals("abc123def456-dirty", rows.get(1).get("git_commit"));
        assertEquals("7.000", rows.get(1).get("evaluation_seconds"));
        assertEquals("8.000", rows.get(1).get("io_seconds"));
        assertEquals("30.000", rows.get(1).get("total_seconds"));
    }
}
