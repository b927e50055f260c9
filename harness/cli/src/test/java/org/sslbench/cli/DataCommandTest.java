package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.LocalHttpServer;

/** The {@code data} verb against a local server or a dead port; never an external host. */
class DataCommandTest {
    @TempDir Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Result(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void offlineExitsWithTwoAndSaysWhichFilesToPutWhere() throws Exception {
        Path data = tmp.resolve("data");
        long t0 = System.nanoTime();
        Result r = run("data", "--dataset", "cifar10", "--data", data.toString(),
                "--mirror", "http://127.0.0.1:" + LocalHttpServer.deadPort() + "/");
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "fails fast");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("put data_batch_1.bin … test_batch.bin in " + data.toAbsolutePath()
                + "/cifar-10-batches-bin/"), r.err());
        assertTrue(!Files.exists(data.resolve("cifar-10-batches-bin")));
    }

    @Test
    void checksumMismatchExitsWithTwo() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer()) {
            server.serve("t10k-labels-idx1-ubyte.gz", new byte[] {1, 2, 3});
            server.serve("train-images-idx3-ubyte.gz", new byte[] {1, 2, 3});
            Path data = tmp.resolve("data");
            Result r = run("data", "--dataset", "fashion-mnist", "--data", data.toString(), "--mirror",
                    server.base().toString());
            assertEquals(Main.BAD_INPUT, r.code());
            assertTrue(r.err().contains("MD5 mismatch for train-images-idx3-ubyte.gz"), r.err());
            assertTrue(r.err().contains("expected 8d4fb7e6c68d591d4c3dfef9ec88bf0d, got 5289df737df57326fcdd22597afb1fac"),
                    r.err());
            assertTrue(!Files.exists(data.resolve("fashion-mnist")), "nothing left that looks valid");
        }
    }

    @Test
    void unknownDatasetExitsWithTwo() {
        Result r = run("data", "--dataset", "imagenet", "--data", tmp.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("known: cifar10, stl10, fashion-mnist"), r.err());
    }
}
