package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.LocalHttpServer;

/** The {@code data} verb against a local server or a dead port; never an external host. */
class DataCommandTest {
    @TempDir Path tmp;


    @Test
    void offlineExitsWithTwoAndSaysWhichFilesToPutWhere() throws Exception {
        Path data = tmp.resolve("data");
        long t0 = System.nanoTime();
        CliRun r = CliRun.of("data", "--dataset", "cifar10", "--data", data.toString(),
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
            CliRun r = CliRun.of("data", "--dataset", "fashion-mnist", "--data", data.toString(), "--mirror",
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
        CliRun r = CliRun.of("data", "--dataset", "imagenet", "--data", tmp.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("known: cifar10, stl10, fashion-mnist"), r.err());
    }
    @Test
    void anInstalledStl10WhoseLabelsAreNotTheOfficialOnesExitsWithTwoNamingFileAndBothMd5s() throws Exception {
        Path data = tmp.resolve("data");
        Path dir = data.toAbsolutePath().resolve("stl10_binary");
        org.sslbench.testing.FormatWriters.writeStl10(dir, org.sslbench.testing.FormatWriters.tinyDataset(
                org.sslbench.testing.FormatWriters.STL10_SHAPE, 10, 1, 1, 4),
                java.util.List.of(new int[] {0, 1}, new int[] {2, 3}), true);
        String actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(Files.readAllBytes(dir.resolve("train_y.bin"))));
        // Already there, so nothing is fetched (the dead mirror proves it); the files are checked instead.
        for (String[] extra : new String[][] {{}, {"--verify"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("data", "--dataset", "stl10",
                    "--data", data.toString(), "--mirror", "http://127.0.0.1:" + LocalHttpServer.deadPort() + "/"));
            args.addAll(java.util.List.of(extra));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(dir.resolve("train_y.bin") + " does not match its published MD5: expected "
                    + "5a34089d4802c674881badbb80307741, got " + actual), r.err());
            assertTrue(r.err().contains("test_y.bin does not match its published MD5: expected 36f9794fa4beb8a2c72628de14fa638e"),
                    r.err());
            assertTrue(r.err().contains("class_names.txt does not match its published MD5: expected "
                    + "6de44d022411c4d5cda4673b7f147c3f"), r.err());
            assertTrue(r.err().contains("Move " + dir + " away (or delete it) and run the command again"), r.err());
            assertTrue(!Files.exists(dir.resolve(".sslbench-verified")), "nothing vouches for the install");
        }
    }

    /** Issue 10: files placed flat in DATA (read by the loaders) used to trigger a download; now: move them, exit 2. */
    @Test
    void aFlatLayoutIsNotDownloadedAgainButToldWhereToMoveTheFiles() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("flat data"));
        for (String name : org.sslbench.download.DataSources.official("stl10").files()) {
            Files.writeString(data.resolve(name), name);
        }
        CliRun r = CliRun.of("data", "--dataset", "stl10", "--data", data.toString(), "--mirror",
                "http://127.0.0.1:" + LocalHttpServer.deadPort() + "/");
        assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("stl10: " + data.toAbsolutePath() + " holds the dataset's files directly (train_X.bin,"
                + " train_y.bin, test_X.bin, test_y.bin, unlabeled_X.bin, fold_indices.txt, class_names.txt)"), r.err());
        assertTrue(r.err().contains("move them into " + data.toAbsolutePath().resolve("stl10_binary") + "/ and run the"
                + " command again"), r.err());
        assertTrue(!r.err().contains("cannot reach") && !Files.exists(data.resolve("stl10_binary")), r.err());
        // The dataset directory itself given as the data directory: pointed to its parent.
        Path dir = Files.createDirectories(tmp.resolve("x").resolve("stl10_binary"));
        for (String name : org.sslbench.download.DataSources.official("stl10").files()) {
            Files.move(data.resolve(name), dir.resolve(name));
        }
        r = CliRun.of("data", "--dataset", "stl10", "--data", dir.toString(), "--mirror",
                "http://127.0.0.1:" + LocalHttpServer.deadPort() + "/");
        assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("is the dataset directory itself; give its parent as the data directory (`--data "
                + dir.toAbsolutePath().getParent()), r.err());
    }
}
