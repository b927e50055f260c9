package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every built-in method's params have a declared range, which {@code validate} and {@code bench}
 * enforce before any work (file:line:field, exit 2) and {@code list} shows (issue 10, case 5).
 */
class MethodParamRangesTest {
    @TempDir
    Path tmp;

    /** The embedded dataset needs no files, so nothing but the param can be wrong; the param is on line 7. */
    private Path spec(String method, String param) throws IOException {
        return Files.writeString(tmp.resolve(method + ".yaml"), """
                name: ranges
                datasets: [fashion-mnist-embedded]
                backbone: small-cnn
                labels: [100]
                protocols: {knn: {k: 5}}
                methods:
                  - {name: %s, params: {%s}}
                """.formatted(method, param));
    }


    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            simclr  | temperature: 0        | simclr param 'temperature' must be > 0, got 0
            simclr  | proj_output_dim: 0    | simclr param 'proj_output_dim' must be >= 1, got 0
            moco    | momentum: 1.5         | moco param 'momentum' must be in [0, 1], got 1.5
            moco    | queue_size: 0         | moco param 'queue_size' must be >= 1, got 0
            moco    | temperature: -0.2     | moco param 'temperature' must be > 0, got -0.2
            byol    | tau: 1.01             | byol param 'tau' must be in [0, 1], got 1.01
            byol    | projector_dim: 0      | byol param 'projector_dim' must be >= 1, got 0
            simsiam | predictor_hidden: 0   | simsiam param 'predictor_hidden' must be >= 1, got 0
            barlow  | lambda: -0.005        | barlow param 'lambda' must be >= 0, got -0.005
            vicreg  | nu: -1                | vicreg param 'nu' must be >= 0, got -1
            nnclr   | temperature: 0        | nnclr param 'temperature' must be > 0, got 0
            nnclr   | queue_size: -4        | nnclr param 'queue_size' must be >= 1, got -4
            """)
    void validateAndBenchRefuseAnOutOfRangeParamBeforeAnyWork(String method, String param, String message)
            throws IOException {
        Path spec = spec(method, param);
        String field = "methods[0].params." + param.substring(0, param.indexOf(':'));
        CliRun validate = CliRun.of("validate", "--spec", spec.toString());
        assertEquals(Main.BAD_INPUT, validate.code(), validate.err());
        assertTrue(validate.err().contains(spec + ":7: " + field + ": " + message), validate.err());
        Path out = tmp.resolve("out-" + method);
        CliRun bench = CliRun.of("bench", "--spec", spec.toString(), "--out", out.toString(), "--quiet");
        assertEquals(Main.BAD_INPUT, bench.code(), bench.err());
        assertTrue(bench.err().contains(spec + ":7: " + field + ": " + message), bench.err());
        assertFalse(Files.exists(out.resolve("cells.csv")), "no work may start");
    }

    @Test
    void inRangeValuesValidate() throws IOException {
        CliRun r = CliRun.of("validate", "--spec", spec("moco", "momentum: 1, temperature: 0.07, queue_size: 1").toString());
        assertEquals(Main.OK, r.code(), r.err());
    }

    @Test
    void listShowsEachParamsRange() {
        CliRun r = CliRun.of("list");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("temperature = 0.1 (> 0): softmax temperature tau of NT-Xent"), r.out());
        assertTrue(r.out().contains("momentum = 0.99 (in [0, 1]): EMA momentum m"), r.out());
        assertTrue(r.out().contains("queue_size = 4096 (>= 1): negative keys kept"), r.out());
        assertTrue(r.out().contains("all_four = false: train on all four rotations"), r.out());
    }
}
