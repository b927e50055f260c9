package org.sslbench.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.Cifar10BinaryFactory;
import org.sslbench.data.Dataset;
import org.sslbench.data.FashionMnistFactory;
import org.sslbench.data.Stl10Factory;
import org.sslbench.testing.FormatWriters;
import org.sslbench.testing.LocalHttpServer;

/** Whole installs from a local HTTP server (never an external host), checked by loading with the real loaders. */
class DatasetDownloaderTest {
    @TempDir Path tmp;
    private final LocalHttpServer server;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final DatasetDownloader downloader;

    DatasetDownloaderTest() throws Exception {
        server = new LocalHttpServer();
        PrintStream log = new PrintStream(logBytes, true);
        downloader = new DatasetDownloader(new HttpDownloader(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(5), log, false), log);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A tiny CIFAR-10 archive laid out as the official one (cifar-10-batches-bin/...). */
    private byte[] cifarArchive() throws Exception {
        Path src = tmp.resolve("src-cifar/cifar-10-batches-bin");
        FormatWriters.writeCifar10(src, FormatWriters.tinyDataset(FormatWriters.CIFAR_SHAPE, 10, 1, 1, 3));
        Files.writeString(src.resolve("batches.meta.txt"), String.join("\n", List.of("airplane", "automobile", "bird",
                "cat", "deer", "dog", "frog", "horse", "ship", "truck")));
        return new TestTarGz().tree(src, "cifar-10-batches-bin").bytes();
    }

    private Path stl10Files() throws Exception {
        Path src = tmp.resolve("src-stl/stl10_binary");
        FormatWriters.writeStl10(src, FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 1, 1, 4),
                List.of(new int[] {0, 1}, new int[] {2, 3}), true);
        return src;
    }

    private DataSource stl10Source(Path src) throws Exception {
        return DataSources.at(DataSources.STL10, server.base()).withFileMd5(Map.of(
                "train_X.bin", Md5.of(src.resolve("train_X.bin")),
                "test_X.bin", Md5.of(src.resolve("test_X.bin")),
                "unlabeled_X.bin", Md5.of(src.resolve("unlabeled_X.bin"))));
    }

    /** Same source, its single archive download with the given MD5. */
    private static DataSource withArchiveMd5(DataSource s, String md5) {
        RemoteFile a = s.downloads().get(0);
        return s.withDownloads(List.of(new RemoteFile(a.name(), a.uri(), md5, -1)));
    }

    /** Everything under {@code dir}, relative. */
    private static List<String> listing(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !p.equals(dir)).forEach(p -> out.add(dir.relativize(p).toString()));
        }
        return out;
    }

    @Test
    void installsCifar10AndTheLoaderReadsIt() throws Exception {
        byte[] archive = cifarArchive();
        server.serve("cifar-10-binary.tar.gz", archive);
        Path data = tmp.resolve("data");
        DataSource src = withArchiveMd5(DataSources.at(DataSources.CIFAR10, server.base()), HttpDownloaderTest.md5(archive));
        Path dir = downloader.install(src, data);
        assertEquals(data.toAbsolutePath().resolve("cifar-10-batches-bin"), dir);
        Dataset ds = new Cifar10BinaryFactory().load(data, 0);
        assertEquals(10, ds.train().size());
        assertEquals(List.of("cifar-10-batches-bin"), listing(data).stream().filter(p -> !p.contains("/")).toList(),
                "archive removed, no temporary directory left");
        // Already installed: nothing is fetched again.
        downloader.install(src, data);
        assertEquals(1, server.requests().size());
        assertTrue(logBytes.toString().contains("cifar10: already installed in " + dir), logBytes.toString());
    }

    @Test
    void cifar10ArchiveWithTheWrongMd5InstallsNothing() throws Exception {
        server.serve("cifar-10-binary.tar.gz", cifarArchive());
        Path data = tmp.resolve("data");
        String wrong = "c32a1d4ab5d03f1284b67883e8d87530";
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.install(withArchiveMd5(DataSources.at(DataSources.CIFAR10, server.base()), wrong), data));
        assertTrue(e.getMessage().contains("MD5 mismatch for cifar-10-binary.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + wrong + ", got "), e.getMessage());
        assertEquals(List.of(), listing(data), "neither the archive nor its .part nor a dataset directory");
    }

    @Test
    void installsStl10AfterCheckingTheExtractedFilesMd5s() throws Exception {
        Path src = stl10Files();
        server.serve("stl10_binary.tar.gz", new TestTarGz().tree(src, "stl10_binary").bytes());
        Path data = tmp.resolve("data");
        downloader.install(stl10Source(src), data);
        Dataset ds = new Stl10Factory().load(data, 0);
        assertEquals(10, ds.train().size());
        assertEquals(2, ds.predefinedFolds().size());
        assertEquals(List.of("stl10_binary"), listing(data).stream().filter(p -> !p.contains("/")).toList());
    }

    @Test
    void stl10ExtractedFileWithTheWrongMd5InstallsNothing() throws Exception {
        Path src = stl10Files();
        server.serve("stl10_binary.tar.gz", new TestTarGz().tree(src, "stl10_binary").bytes());
        Path data = tmp.resolve("data");
        Map<String, String> md5 = new java.util.HashMap<>(stl10Source(src).fileMd5());
        String good = md5.put("unlabeled_X.bin", "5242ba1fed5e4be9e1e742405eb56ca4");
        DataSource bad = stl10Source(src).withFileMd5(md5);
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(bad, data));
        assertTrue(e.getMessage().contains("MD5 mismatch for stl10_binary/unlabeled_X.bin in stl10_binary.tar.gz: expected "
                + "5242ba1fed5e4be9e1e742405eb56ca4, got " + good), e.getMessage());
        assertEquals(List.of(), listing(data), "archive deleted, temporary directory removed, nothing installed");
    }

    @Test
    void archiveLackingExpectedFilesInstallsNothing() throws Exception {
        Path src = stl10Files();
        Files.delete(src.resolve("fold_indices.txt"));
        server.serve("stl10_binary.tar.gz", new TestTarGz().tree(src, "stl10_binary").bytes());
        Path data = tmp.resolve("data");
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(stl10Source(src), data));
        assertTrue(e.getMessage().contains("does not hold stl10_binary/fold_indices.txt"), e.getMessage());
        assertEquals(List.of(), listing(data));
    }

    @Test
    void hostileArchiveIsRefusedAndNothingIsExtracted() throws Exception {
        Path data = tmp.resolve("data");
        Path abs = tmp.resolve("abs-evil");
        byte[] hostile = new TestTarGz().dir("cifar-10-batches-bin").file("cifar-10-batches-bin/data_batch_1.bin", new byte[3073])
                .file("../evil", new byte[] {1}).file(abs.toString(), new byte[] {2}).bytes();
        server.serve("cifar-10-binary.tar.gz", hostile);
        DataSource src = withArchiveMd5(DataSources.at(DataSources.CIFAR10, server.base()), HttpDownloaderTest.md5(hostile));
        SafeTarGz.UnsafeArchiveException e = assertThrows(SafeTarGz.UnsafeArchiveException.class,
                () -> downloader.install(src, data));
        assertTrue(e.getMessage().contains("entry '../evil' would land outside"), e.getMessage());
        assertEquals(List.of(), listing(data), "nothing extracted, archive deleted");
        assertFalse(Files.exists(tmp.resolve("evil")));
        assertFalse(Files.exists(abs));

        byte[] absolute = new TestTarGz().file(abs.toString(), new byte[] {2}).bytes();
        server.serve("cifar-10-binary.tar.gz", absolute);
        DataSource src2 = withArchiveMd5(src, HttpDownloaderTest.md5(absolute));
        e = assertThrows(SafeTarGz.UnsafeArchiveException.class, () -> downloader.install(src2, data));
        assertTrue(e.getMessage().contains("entry '" + abs + "' has an absolute path"), e.getMessage());
        assertFalse(Files.exists(abs));
        assertEquals(List.of(), listing(data));
    }

    @Test
    void installsFashionMnistFilesUnderTheirNamesOnlyWhenVerified() throws Exception {
        Path src = tmp.resolve("src-fm");
        FormatWriters.writeFashionMnist(src, FormatWriters.tinyDataset(), true);
        DataSource s = DataSources.at(DataSources.FASHION_MNIST, server.base());
        List<RemoteFile> files = new ArrayList<>();
        for (RemoteFile f : s.downloads()) {
            byte[] b = Files.readAllBytes(src.resolve(f.name()));
            server.serve(f.name(), b);
            files.add(new RemoteFile(f.name(), f.uri(), HttpDownloaderTest.md5(b), -1));
        }
        Path data = tmp.resolve("data");
        downloader.install(s.withDownloads(files), data);
        Dataset ds = new FashionMnistFactory().load(data, 0);
        assertEquals(40, ds.train().size());
        assertEquals(4, listing(data.resolve("fashion-mnist")).size());
    }

    @Test
    void unreachableServerFailsFastSayingWhichFilesToPutWhere() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + LocalHttpServer.deadPort() + "/");
        Path data = tmp.resolve("data");
        Map<String, String[]> expected = Map.of(
                DataSources.CIFAR10, new String[] {"put data_batch_1.bin … test_batch.bin in " + data.toAbsolutePath()
                        + "/cifar-10-batches-bin/", "tar xzf cifar-10-binary.tar.gz"},
                DataSources.STL10, new String[] {"put train_X.bin, train_y.bin, test_X.bin, test_y.bin, unlabeled_X.bin,"
                        + " fold_indices.txt, class_names.txt in " + data.toAbsolutePath() + "/stl10_binary/"},
                DataSources.FASHION_MNIST, new String[] {"put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in " + data.toAbsolutePath()
                        + "/fashion-mnist/", "apt-get install dataset-fashion-mnist"});
        for (String dataset : DataSources.DATASETS) {
            long t0 = System.nanoTime();
            UnreachableException e = assertThrows(UnreachableException.class,
                    () -> downloader.install(DataSources.at(dataset, dead), data));
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "fails fast");
            assertTrue(e.getMessage().startsWith(dataset + ": cannot reach 127.0.0.1"), e.getMessage());
            assertTrue(e.getMessage().contains(dead.toString()), "names the URL: " + e.getMessage());
            assertFalse(Files.exists(data.resolve(DataSources.at(dataset, dead).subdir())), "no empty dataset directory");
            for (String part : expected.get(dataset)) {
                assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
            }
        }
    }

    @Test
    void officialSourcesNameTheOfficialUrlsAndChecksums() {
        Path data = Path.of("/d");
        DataSource cifar = DataSources.official("cifar10");
        assertEquals(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), cifar.downloads().get(0).uri());
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", cifar.downloads().get(0).md5());
        assertEquals(170_052_171L, cifar.downloads().get(0).size());
        assertTrue(cifar.manualInstructions(data).contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"));
        DataSource stl = DataSources.official("stl10");
        assertEquals(Stl10Factory.OFFICIAL_SOURCE, stl.downloads().get(0).uri().toString());
        assertEquals(null, stl.downloads().get(0).md5(), "no published archive checksum");
        assertEquals("5242ba1fed5e4be9e1e742405eb56ca4", stl.fileMd5().get("unlabeled_X.bin"));
        assertTrue(stl.files().containsAll(Stl10Factory.REQUIRED_FILES));
        DataSource fm = DataSources.official("fashion-mnist");
        assertEquals(URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
                + "t10k-labels-idx1-ubyte.gz"), fm.downloads().get(3).uri());
        assertEquals("bb300cfdad3c16e7a12a480ee83cd310", fm.downloads().get(3).md5());
        assertEquals(null, DataSources.official("imagenet"));
    }
}
