package org.sslbench.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.LocalHttpServer;

/** Downloads from a local HTTP server only; no test contacts an external host. */
class HttpDownloaderTest {
    @TempDir Path tmp;
    private LocalHttpServer server;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final HttpDownloader http = new HttpDownloader(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(1), new PrintStream(logBytes, true), false);
    private final byte[] content = random(300_000, 1);

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer().serve("f.bin", content);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RemoteFile remote(String md5) {
        return new RemoteFile("f.bin", server.base().resolve("f.bin"), md5, -1);
    }

    @Test
    void fullDownloadWithMatchingMd5() throws Exception {
        Path got = http.fetch(remote(md5(content)), tmp.resolve("d"));
        assertEquals(tmp.resolve("d/f.bin"), got);
        assertArrayEquals(content, Files.readAllBytes(got));
        assertFalse(Files.exists(tmp.resolve("d/f.bin.part")));
        assertEquals(1, server.requests().size());
        assertNull(server.requests().get(0).range());
        assertTrue(logBytes.toString().contains("fetching f.bin (0.3 MB)"), logBytes.toString());
    }

    @Test
    void md5MismatchDeletesTheDownloadAndNamesBothChecksums() throws Exception {
        String wrong = "0123456789abcdef0123456789abcdef";
        DownloadException e = assertThrows(DownloadException.class, () -> http.fetch(remote(wrong), tmp));
        assertTrue(e.getMessage().contains("MD5 mismatch for f.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + wrong + ", got " + md5(content)), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("f.bin")), "never left looking valid");
        assertFalse(Files.exists(tmp.resolve("f.bin.part")));
    }

    @Test
    void resumesAPartFileWithARangeRequest() throws Exception {
        Files.write(tmp.resolve("f.bin.part"), Arrays.copyOf(content, 123_456));
        http.fetch(remote(md5(content)), tmp);
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("f.bin")));
        List<LocalHttpServer.Request> r = server.requests();
        assertEquals(1, r.size());
        assertEquals("bytes=123456-", r.get(0).range());
        assertEquals(content.length - 123_456, r.get(0).bytesSent(), "only the rest was requested");
        assertTrue(logBytes.toString().contains("resuming f.bin at 0.1 MB of 0.3 MB"), logBytes.toString());
    }

    @Test
    void interruptedTransferKeepsThePartAndTheNextRunResumesIt() throws Exception {
        server.cutAfter("f.bin", 100_000);
        DownloadException e = assertThrows(DownloadException.class, () -> http.fetch(remote(md5(content)), tmp));
        assertTrue(e.getMessage().contains("run the same command again to resume"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("f.bin")));
        long kept = Files.size(tmp.resolve("f.bin.part"));
        assertTrue(kept > 0 && kept <= 100_000, "kept " + kept);
        http.fetch(remote(md5(content)), tmp);
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("f.bin")));
        assertEquals("bytes=" + kept + "-", server.requests().get(1).range());
        assertEquals(content.length - kept, server.requests().get(1).bytesSent());
    }

    @Test
    void serverWithoutRangeSupportRestartsFromTheStart() throws Exception {
        server.ignoreRanges();
        Files.write(tmp.resolve("f.bin.part"), Arrays.copyOf(content, 1000));
        http.fetch(remote(md5(content)), tmp);
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("f.bin")));
        assertTrue(logBytes.toString().contains("does not resume"), logBytes.toString());
    }

    @Test
    void completePartIsVerifiedWithoutRefetching() throws Exception {
        Files.write(tmp.resolve("f.bin.part"), content);
        http.fetch(remote(md5(content)), tmp);
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("f.bin")));
        assertEquals(0, server.requests().get(0).bytesSent(), "416: nothing left to send");
    }

    @Test
    void corruptPartFailsTheChecksumAndIsDeleted() throws Exception {
        byte[] bad = Arrays.copyOf(content, 5000);
        bad[10] ^= 1;
        Files.write(tmp.resolve("f.bin.part"), bad);
        assertThrows(DownloadException.class, () -> http.fetch(remote(md5(content)), tmp));
        assertFalse(Files.exists(tmp.resolve("f.bin.part")));
        http.fetch(remote(md5(content)), tmp);
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("f.bin")));
    }

    @Test
    void verifiedFileIsKeptAndAWrongOneReplaced() throws Exception {
        Files.write(tmp.resolve("f.bin"), content);
        http.fetch(remote(md5(content)), tmp);
        assertEquals(0, server.requests().size());
        Files.write(tmp.resolve("f.bin"), new byte[] {1, 2, 3});
        http.fetch(remote(md5(content)), tmp);
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("f.bin")));
        assertEquals(1, server.requests().size());
    }

    @Test
    void httpErrorNamesUrlAndStatus() {
        RemoteFile missing = new RemoteFile("nope.bin", server.base().resolve("nope.bin"), null, -1);
        DownloadException e = assertThrows(DownloadException.class, () -> http.fetch(missing, tmp));
        assertTrue(e.getMessage().contains("nope.bin: HTTP 404"), e.getMessage());
        assertFalse(e instanceof UnreachableException);
        assertFalse(Files.exists(tmp.resolve("nope.bin")));
    }

    @Test
    void nothingListeningFailsFastAsUnreachable() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + LocalHttpServer.deadPort() + "/f.bin");
        long t0 = System.nanoTime();
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> http.fetch(new RemoteFile("f.bin", dead, null, -1), tmp));
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "fails fast");
        assertTrue(e.getMessage().contains("cannot reach 127.0.0.1"), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused or failed (ConnectException"), e.getMessage());
    }

    @Test
    void stalledTransferIsAbandonedAndKeptForResuming() throws Exception {
        server.stallAfter("f.bin", 50_000);
        long t0 = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, () -> http.fetch(remote(null), tmp));
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "watchdog fired");
        assertTrue(e.getMessage().contains("no data for 1 s"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("f.bin.part")));
        assertFalse(Files.exists(tmp.resolve("f.bin")));
    }
}
