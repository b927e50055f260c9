package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TensorBoard event files written by TF's summary ops, read back by {@link TensorBoardScalars}. */
class TensorBoardTest {
    @TempDir
    Path tmp;

    @Test
    void scalarsReadBackWithTheirTagsStepsAndValues() throws IOException {
        Path dir = tmp.resolve("tb/run");
        try (TensorBoard tb = TensorBoard.open(dir)) {
            tb.scalar("pretext/loss", 1, 1.5);
            tb.scalar("pretext/loss", 2, 0.75);
            tb.scalar("pretext/rankme", 2, 12.25);
            tb.scalar("pretext/collapse_std", 2, Double.NaN); // not measured: left out
        }
        Map<String, List<String>> s = TensorBoardScalars.read(dir);
        assertEquals(List.of("1=1.5", "2=0.75"), s.get("pretext/loss"));
        assertEquals(List.of("2=12.25"), s.get("pretext/rankme"));
        assertFalse(s.containsKey("pretext/collapse_std"));
    }
}
