package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The presets.yaml shipped with every built-in pretraining method (issue 14): each loads (every
 * value covered by a source or a deviation, every param listed; a broken file would skip the
 * plugin) and each preset's values are accepted by the spec reader (ranges, augmentation keys,
 * optimizer keys) when a spec names it.
 */
class BuiltInPresetsTest {
    @TempDir
    Path tmp;

    private Path spec(String method, String preset) throws IOException {
        return Files.writeString(tmp.resolve(method + "-" + preset + ".yaml"), """
                name: presets
                datasets: [fashion-mnist-embedded]
                backbone: small-cnn
                labels: [100]
                protocols: {knn: {k: 5}}
                methods:
                  - {name: %s, preset: %s}
                """.formatted(method, preset));
    }

    @Test
    void everyBuiltInPresetsFileLoads() {
        CliRun r = CliRun.of("list");
        assertEquals(Main.OK, r.code(), r.err());
        assertFalse(r.out().contains("skipped") || r.err().contains("skipped"), r.out() + r.err());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            simclr   | small
            byol     | small
            moco     | small
            nnclr    | small
            simsiam  | small
            barlow   | small
            vicreg   | small
            swav     | small
            rotation | small
            dino     | small
            simclr   | imagenet
            byol     | imagenet
            moco     | imagenet
            nnclr    | imagenet
            simsiam  | imagenet
            barlow   | imagenet
            vicreg   | imagenet
            swav     | imagenet
            rotation | imagenet
            dino     | imagenet
            """)
    void eachPresetValidates(String method, String preset) throws IOException {
        CliRun r = CliRun.of("validate", "--spec", spec(method, preset).toString());
        assertEquals(Main.OK, r.code(), r.err());
    }

    /**
     * The README's preset tables are what the presets files say: regenerate them with
     * {@code ./sslbench list --presets-markdown} and paste between the markers when a file changes.
     */
    @Test
    void theReadmeTablesAreThePresetsFiles() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        String begin = "<!-- presets:begin -->\n";
        String end = "<!-- presets:end -->";
        int a = readme.indexOf(begin);
        int b = readme.indexOf(end);
        org.junit.jupiter.api.Assertions.assertTrue(a >= 0 && b > a, "README has no presets block");
        CliRun r = CliRun.of("list", "--presets-markdown");
        assertEquals(Main.OK, r.code(), r.err());
        assertEquals(r.out(), readme.substring(a + begin.length(), b),
                "README's preset tables differ from the presets files: run ./sslbench list --presets-markdown and paste"
                        + " the output between the presets markers");
    }
}
