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

    /**
     * The STL-10 source with the published values replaced by those of the generated files in
     * {@code src} (the same files: train_X/y, test_X/y, unlabeled_X, class_names) and of the
     * archive made from them.
     */
    private DataSource stl10Source(Path src) throws Exception {
        return withArchiveMd5(stl10FileMd5(src), Md5.of(stl10ArchiveFile(src)));
    }

    private DataSource stl10FileMd5(Path src) throws Exception {
        DataSource official = DataSources.at(DataSources.STL10, server.base());
        Map<String, String> md5 = new java.util.HashMap<>();
        for (String f : official.fileMd5().keySet()) {
            md5.put(f, Md5.of(src.resolve(f)));
        }
        return official.withFileMd5(md5);
    }

    /** The archive of {@code src} as stl10_binary/..., written next to it and served. */
    private Path stl10ArchiveFile(Path src) throws Exception {
        byte[] bytes = new TestTarGz().tree(src, "stl10_binary").bytes();
        server.serve("stl10_binary.tar.gz", bytes);
        return Files.write(src.resolveSibling("stl10_binary.tar.gz"), bytes);
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
        assertEquals(5, listing(data.resolve("fashion-mnist")).size(), "4 files and the verified record");
        Path labels = data.resolve("fashion-mnist/train-labels-idx1-ubyte.gz");
        assertTrue(Files.readString(data.resolve("fashion-mnist/" + VerifiedRecord.FILE_NAME)).contains(
                files.get(1).md5() + "  " + Files.size(labels) + "  " + Files.getLastModifiedTime(labels).toMillis()
                        + "  published  train-labels-idx1-ubyte.gz"));
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
        assertEquals("91f7769df0f17e558f3565bffb0c7dfb", stl.downloads().get(0).md5(), "torchvision's tgz_md5");
        assertEquals("5242ba1fed5e4be9e1e742405eb56ca4", stl.fileMd5().get("unlabeled_X.bin"));
        // The labels and class names every number depends on are checked too, not just the images.
        assertEquals("5a34089d4802c674881badbb80307741", stl.fileMd5().get("train_y.bin"));
        assertEquals("36f9794fa4beb8a2c72628de14fa638e", stl.fileMd5().get("test_y.bin"));
        assertEquals("6de44d022411c4d5cda4673b7f147c3f", stl.fileMd5().get("class_names.txt"));
        assertEquals(6, stl.fileMd5().size(), "fold_indices.txt has no published MD5 of its own: the archive's covers it");
        assertTrue(stl.files().containsAll(Stl10Factory.REQUIRED_FILES));
        DataSource fm = DataSources.official("fashion-mnist");
        assertEquals(URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
                + "t10k-labels-idx1-ubyte.gz"), fm.downloads().get(3).uri());
        assertEquals("bb300cfdad3c16e7a12a480ee83cd310", fm.downloads().get(3).md5());
        assertEquals(null, DataSources.official("imagenet"));
    }
    /** Flips the first byte of {@code file}, keeping its size (a damaged label, say). */
    private static void corrupt(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[0] ^= 0x01;
        Files.write(file, b);
    }

    @Test
    void stl10LabelsAndClassNamesInsideTheArchiveAreCheckedAgainstTheirPublishedMd5s() throws Exception {
        for (String file : List.of("train_y.bin", "test_y.bin", "class_names.txt")) {
            Path src = stl10Files();
            DataSource published = stl10FileMd5(src);
            String good = published.fileMd5().get(file);
            corrupt(src.resolve(file));
            String bad = Md5.of(src.resolve(file));
            // The archive itself matches (a mirror's own checksum): the file inside must still match its published MD5.
            DataSource src2 = withArchiveMd5(published, Md5.of(stl10ArchiveFile(src)));
            Path data = tmp.resolve("data-" + file);
            DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(src2, data));
            assertTrue(e.getMessage().contains("MD5 mismatch for stl10_binary/" + file + " in stl10_binary.tar.gz: expected "
                    + good + ", got " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was installed"), e.getMessage());
            assertEquals(List.of(), listing(data), "no directory that looks installed");
            deleteRecursively(tmp.resolve("src-stl"));
        }
    }

    @Test
    void stl10FoldIndicesAreCoveredByTheArchiveMd5AndByTheRecordAfterwards() throws Exception {
        Path src = stl10Files();
        DataSource good = stl10Source(src);
        // A changed fold_indices.txt changes the archive: its published MD5 no longer matches.
        Files.writeString(src.resolve("fold_indices.txt"), "0 1\n2 4\n");
        stl10ArchiveFile(src);
        Path data = tmp.resolve("data");
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(good, data));
        assertTrue(e.getMessage().contains("MD5 mismatch for stl10_binary.tar.gz"), e.getMessage());
        assertEquals(List.of(), listing(data));

        // Installed from a verified archive, the record vouches for fold_indices.txt ...
        Files.writeString(src.resolve("fold_indices.txt"), "0 1\n2 3\n");
        DataSource fresh = stl10Source(src);
        Path dir = downloader.install(fresh, data);
        String folds = Md5.of(dir.resolve("fold_indices.txt"));
        String record = Files.readString(dir.resolve(VerifiedRecord.FILE_NAME));
        assertTrue(record.matches("(?s).*\n" + folds + "  8  \\d+  archive  fold_indices.txt\n.*"), record);
        // ... so a later change to it (the predefined label folds!) is refused before use.
        Files.writeString(dir.resolve("fold_indices.txt"), "0 1\n3 2\n");
        Files.setLastModifiedTime(dir.resolve("fold_indices.txt"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 60_000));
        int requests = server.requests().size();
        String changed = Md5.of(dir.resolve("fold_indices.txt"));
        e = assertThrows(DownloadException.class, () -> downloader.install(fresh, data));
        assertTrue(e.getMessage().contains(dir.resolve("fold_indices.txt") + " does not match the MD5 recorded when it was"
                + " unpacked from the verified archive: expected " + folds + ", got " + changed), e.getMessage());
        assertTrue(e.getMessage().contains("Move " + dir + " away"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(VerifiedRecord.FILE_NAME)), "no record vouching for a damaged install");
        assertEquals(requests, server.requests().size(), "the damaged install is reported, not downloaded again");
    }

    @Test
    void anStl10InstalledByHandIsCheckedBeforeItIsReportedAsInstalled() throws Exception {
        Path src = stl10Files();
        DataSource published = stl10FileMd5(src);
        Path data = tmp.resolve("data");
        Path dir = data.toAbsolutePath().resolve("stl10_binary");
        FormatWriters.writeStl10(dir, FormatWriters.tinyDataset(FormatWriters.STL10_SHAPE, 10, 1, 1, 4),
                List.of(new int[] {0, 1}, new int[] {2, 3}), true);
        downloader.install(published, data);
        assertTrue(logBytes.toString().contains("stl10: already installed in " + dir + "; 6 of 7 files verified"),
                logBytes.toString());
        assertTrue(logBytes.toString().contains("warning: no published MD5 covers fold_indices.txt"), logBytes.toString());
        assertTrue(server.requests().isEmpty(), "nothing downloaded");

        corrupt(dir.resolve("train_y.bin"));
        String bad = Md5.of(dir.resolve("train_y.bin"));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(published, data));
        assertTrue(e.getMessage().startsWith("stl10: " + dir.resolve("train_y.bin") + " does not match its published MD5:"
                + " expected " + published.fileMd5().get("train_y.bin") + ", got " + bad), e.getMessage());
        assertTrue(e.getMessage().contains("results computed from it would be wrong"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(VerifiedRecord.FILE_NAME)));
    }

    @Test
    void cifar10BatchFilesAreCheckedAgainstTheVerifiedArchiveRecord() throws Exception {
        byte[] archive = cifarArchive();
        server.serve("cifar-10-binary.tar.gz", archive);
        Path data = tmp.resolve("data");
        DataSource src = withArchiveMd5(DataSources.at(DataSources.CIFAR10, server.base()), HttpDownloaderTest.md5(archive));
        Path dir = downloader.install(src, data);
        String record = Files.readString(dir.resolve(VerifiedRecord.FILE_NAME));
        for (String f : List.of("data_batch_1.bin", "data_batch_5.bin", "test_batch.bin", "batches.meta.txt")) {
            assertTrue(record.contains("  archive  " + f + "\n"), record);
        }
        // A label byte changed in place (same size) after the install.
        String before = Md5.of(dir.resolve("data_batch_3.bin"));
        corrupt(dir.resolve("data_batch_3.bin"));
        Files.setLastModifiedTime(dir.resolve("data_batch_3.bin"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 60_000));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(src, data));
        assertTrue(e.getMessage().contains(dir.resolve("data_batch_3.bin") + " does not match the MD5 recorded when it was"
                + " unpacked from the verified archive: expected " + before + ", got " + Md5.of(dir.resolve("data_batch_3.bin"))),
                e.getMessage());
        // class names are covered too
        assertTrue(record.contains(Md5.of(dir.resolve("batches.meta.txt")) + "  "), record);
    }

    @Test
    void aChangeHiddenFromTheQuickCheckIsFoundWithRehash() throws Exception {
        byte[] archive = cifarArchive();
        server.serve("cifar-10-binary.tar.gz", archive);
        Path data = tmp.resolve("data");
        DataSource src = withArchiveMd5(DataSources.at(DataSources.CIFAR10, server.base()), HttpDownloaderTest.md5(archive));
        Path dir = downloader.install(src, data);
        Path batch = dir.resolve("test_batch.bin");
        java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(batch);
        corrupt(batch);
        Files.setLastModifiedTime(batch, t); // same size, old time: the record's quick check cannot see it
        downloader.install(src, data, false);
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.install(src, data, true));
        assertTrue(e.getMessage().contains(batch + " does not match"), e.getMessage());
    }

    @Test
    void aCifar10InstalledByHandIsRecordedButNamedAsNotVerifiable() throws Exception {
        Path data = tmp.resolve("data");
        Path dir = data.toAbsolutePath().resolve("cifar-10-batches-bin");
        FormatWriters.writeCifar10(dir, FormatWriters.tinyDataset(FormatWriters.CIFAR_SHAPE, 10, 1, 1, 3));
        downloader.install(DataSources.at(DataSources.CIFAR10, server.base()), data);
        assertTrue(logBytes.toString().contains("cifar10: already installed in " + dir + "; 0 of 6 files verified"),
                logBytes.toString());
        assertTrue(logBytes.toString().contains("warning: no published MD5 covers data_batch_1.bin, data_batch_2.bin"),
                logBytes.toString());
        assertTrue(logBytes.toString().contains("move " + dir + " away and run this command again"), logBytes.toString());
        assertTrue(Files.readString(dir.resolve(VerifiedRecord.FILE_NAME)).contains("  none  test_batch.bin"));
    }

    /** Issue 10: a hand install's class names (read by the loader) and readme are recorded and checked too. */
    @Test
    void aCifar10InstalledByHandRecordsItsClassNamesAndReadme() throws Exception {
        Path data = tmp.resolve("data");
        Path dir = data.toAbsolutePath().resolve("cifar-10-batches-bin");
        FormatWriters.writeCifar10(dir, FormatWriters.tinyDataset(FormatWriters.CIFAR_SHAPE, 10, 1, 1, 3));
        Files.writeString(dir.resolve("batches.meta.txt"), "airplane\n");
        Files.writeString(dir.resolve("readme.html"), "<html/>");
        downloader.install(DataSources.at(DataSources.CIFAR10, server.base()), data);
        assertTrue(logBytes.toString().contains("0 of 8 files verified"), logBytes.toString());
        String record = Files.readString(dir.resolve(VerifiedRecord.FILE_NAME));
        assertTrue(record.contains(Md5.of(dir.resolve("batches.meta.txt")) + "  9  ") && record.contains("  none  batches.meta.txt")
                && record.contains("  none  readme.html"), record);
    }

    @Test
    void aFashionMnistLabelFileThatChangedIsRefusedWithItsPublishedMd5() throws Exception {
        Path data = tmp.resolve("data");
        Path dir = data.toAbsolutePath().resolve("fashion-mnist");
        FormatWriters.writeFashionMnist(dir, FormatWriters.tinyDataset(), true);
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        String actual = Md5.of(labels);
        // The official published MD5s: these generated files are not the official ones.
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.install(DataSources.at(DataSources.FASHION_MNIST, server.base()), data));
        assertTrue(e.getMessage().contains(labels + " does not match its published MD5: expected "
                + "25c81989df183df01b3e8a0aad5dffbe, got " + actual), e.getMessage());
        assertTrue(e.getMessage().contains("Delete the files named and run the command again to download them anew"),
                e.getMessage());
        assertTrue(server.requests().isEmpty());
        assertFalse(Files.exists(dir.resolve(VerifiedRecord.FILE_NAME)));
    }

    private static void deleteRecursively(Path p) throws Exception {
        DatasetDownloader.deleteTree(p);
    }
    @Test
    void anArchiveCopiedIntoTheDataDirectoryByHandIsCheckedAndUnpackedWithoutNetwork() throws Exception {
        byte[] archive = cifarArchive();
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.write(data.resolve("cifar-10-binary.tar.gz"), archive);
        URI dead = URI.create("http://127.0.0.1:" + LocalHttpServer.deadPort() + "/");
        Path dir = downloader.install(withArchiveMd5(DataSources.at(DataSources.CIFAR10, dead), HttpDownloaderTest.md5(archive)), data);
        assertTrue(Files.readString(dir.resolve(VerifiedRecord.FILE_NAME)).contains("  archive  data_batch_1.bin"));
        // A damaged copy is refused by the archive's published MD5, not unpacked.
        Path data2 = Files.createDirectories(tmp.resolve("data2"));
        archive[archive.length / 2] ^= 1;
        Files.write(data2.resolve("cifar-10-binary.tar.gz"), archive);
        assertThrows(UnreachableException.class, () -> downloader.install(DataSources.at(DataSources.CIFAR10, dead), data2));
        assertFalse(Files.exists(data2.resolve("cifar-10-batches-bin")));
    }
}
