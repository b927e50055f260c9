package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/repro/cifar10-val-split.sh: the validation layout (train = data_batch_1..4, test =
 * data_batch_5) and its refusals, on generated CIFAR-format files; the source is never written.
 */
class ValSplitScriptTest {
    private static final int RECORD = 3073;
    private static final Path SCRIPT = MakeTargetsTest.ROOT.resolve("bench/repro/cifar10-val-split.sh");

    @TempDir
    Path tmp;

    private Path source(int recordsPerFile) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 1; i <= 5; i++) {
            byte[] b = new byte[recordsPerFile * RECORD];
            b[0] = (byte) i;
            Files.write(src.resolve("data_batch_" + i + ".bin"), b);
        }
        return src;
    }

    private record Run(int code, String output) { }

    private Run run(Path src, Path dst) throws Exception {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), src.toString(), dst.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void makesTheLayoutWithoutWritingTheSource() throws Exception {
        Path src = source(2);
        Path dst = tmp.resolve("val split");
        Run r = run(src, dst);
        assertEquals(0, r.code(), r.output());
        for (int i = 1; i <= 4; i++) {
            assertEquals(src.resolve("data_batch_" + i + ".bin").toRealPath(),
                    dst.resolve("data_batch_" + i + ".bin").toRealPath());
        }
        assertEquals(0, Files.size(dst.resolve("data_batch_5.bin")));
        assertEquals(src.resolve("data_batch_5.bin").toRealPath(), dst.resolve("test_batch.bin").toRealPath());
        assertTrue(r.output().contains("(8 images)") && r.output().contains("(2 training images)"), r.output());
        assertEquals(2 * RECORD, Files.size(src.resolve("data_batch_5.bin")));
    }

    /** A data_batch_5.bin symlink already in the target is replaced, never written through. */
    @Test
    void aSymlinkInTheTargetIsReplacedNotTruncated() throws Exception {
        Path src = source(1);
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        for (int i = 1; i <= 5; i++) {
            Files.createSymbolicLink(dst.resolve("data_batch_" + i + ".bin"), src.resolve("data_batch_" + i + ".bin"));
        }
        Run r = run(src, dst);
        assertEquals(0, r.code(), r.output());
        assertEquals(RECORD, Files.size(src.resolve("data_batch_5.bin")));
        assertTrue(!Files.isSymbolicLink(dst.resolve("data_batch_5.bin")));
        assertEquals(0, Files.size(dst.resolve("data_batch_5.bin")));
    }

    @Test
    void refusesWithExit2() throws Exception {
        Path src = source(1);
        Path layout = tmp.resolve("layout");
        assertEquals(0, run(src, layout).code());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        for (List<Path> args : List.of(List.of(tmp.resolve("missing"), tmp.resolve("x")),
                List.of(layout, tmp.resolve("again")),       // a validation layout as source: empty data_batch_5
                List.of(src, src),
                List.of(src, file))) {
            Run r = run(args.get(0), args.get(1));
            assertEquals(2, r.code(), args + ": " + r.output());
            assertTrue(r.output().contains("cifar10-val-split.sh: "), r.output());
        }
        assertEquals(RECORD, Files.size(src.resolve("data_batch_5.bin")));
    }
}
