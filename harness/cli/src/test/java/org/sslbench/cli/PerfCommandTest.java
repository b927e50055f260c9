package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `perf` writes its CSV with the machine recorded (benchmarks themselves are not tests: no speed asserted). */
class PerfCommandTest {
    @Test
    void writesTheCsvWithMachineAndThreadSettings(@TempDir Path out) throws Exception {
        assertEquals(Main.OK, Main.run("perf", "--case", "graph-build", "--repeats", "1", "--warmup", "0",
                "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("perf.csv"));
        assertTrue(lines.get(0).startsWith("case,value,unit,repeats,warmup,steps,threads,xla,cores,cpu,tf_version"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("graph-build-resnet20-train,") && l.contains(",ms,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("peak-rss,") && l.contains(",MB,")), lines.toString());
    }
}
