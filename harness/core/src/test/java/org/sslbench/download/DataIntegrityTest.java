package org.sslbench.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataIntegrityTest {
    @TempDir
    Path data;

    private Path installFashionMnist() throws Exception {
        Path dir = Files.createDirectories(data.resolve("fashion-mnist"));
        for (String name : DataSources.official(DataSources.FASHION_MNIST).files()) {
            Files.writeString(dir.resolve(name), "bytes of " + name);
        }
        return dir;
    }

    private static void record(Path dir, VerifiedRecord.Basis basis) throws Exception {
        Map<String, VerifiedRecord.Entry> entries = new LinkedHashMap<>();
        for (String name : DataSources.official(DataSources.FASHION_MNIST).files()) {
            entries.put(name, VerifiedRecord.Entry.of(dir.resolve(name), Md5.of(dir.resolve(name)), basis));
        }
        VerifiedRecord.write(dir, DataSources.FASHION_MNIST, entries);
    }

    @Test
    void filesInstalledWithoutARecordAreNamedAsNeverChecked() throws Exception {
        Path dir = installFashionMnist();
        List<String> w = DataIntegrity.warnings(DataSources.FASHION_MNIST, data);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains(dir + " has no " + VerifiedRecord.FILE_NAME), w.get(0));
        assertTrue(w.get(0).contains("make data DATASET=fashion-mnist DATA=" + data), w.get(0));
    }

    @Test
    void filesAsVerifiedGiveNoWarningAndAChangedLabelFileIsNamed() throws Exception {
        Path dir = installFashionMnist();
        record(dir, VerifiedRecord.Basis.PUBLISHED);
        assertEquals(List.of(), DataIntegrity.warnings(DataSources.FASHION_MNIST, data));
        // The directory itself may be given as DATA too.
        assertEquals(List.of(), DataIntegrity.warnings(DataSources.FASHION_MNIST, dir));

        Files.writeString(dir.resolve("train-labels-idx1-ubyte.gz"), "other labels, longer than before");
        List<String> w = DataIntegrity.warnings(DataSources.FASHION_MNIST, data);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("fashion-mnist: train-labels-idx1-ubyte.gz in " + dir + " changed"), w.get(0));
        assertTrue(w.get(0).contains("ARGS=--verify"), w.get(0));
    }

    @Test
    void recordedButUnverifiableFilesAreSaidToBeSo() throws Exception {
        Path dir = installFashionMnist();
        record(dir, VerifiedRecord.Basis.NONE);
        List<String> w = DataIntegrity.warnings(DataSources.FASHION_MNIST, data);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("recorded but not verified"), w.get(0));
    }

    @Test
    void datasetsWithoutADownloadOrWithoutFilesAreNotJudgedHere() throws Exception {
        assertEquals(List.of(), DataIntegrity.warnings("fashion-mnist-embedded", data));
        assertEquals(List.of(), DataIntegrity.warnings(DataSources.STL10, null));
        assertEquals(List.of(), DataIntegrity.warnings(DataSources.STL10, data)); // nothing there: the loader says so
    }

    /** An install lacking a file the loader does not need (STL-10's class_names.txt) is still checked. */
    @Test
    void anIncompleteInstallIsStillCheckedWhereTheLoaderReadsIt() throws Exception {
        Path dir = Files.createDirectories(data.resolve("stl10_binary"));
        for (String name : DataSources.official(DataSources.STL10).files()) {
            if (!name.equals("class_names.txt")) {
                Files.writeString(dir.resolve(name), name);
            }
        }
        // A stray partial copy flat in DATA: the loader reads the complete directory, and so does the check.
        Files.writeString(data.resolve("train_X.bin"), "partial");
        List<String> w = DataIntegrity.warnings(DataSources.STL10, data);
        assertTrue(w.size() == 1 && w.get(0).startsWith("stl10: " + dir + " has no " + VerifiedRecord.FILE_NAME), w.toString());
    }

    /** Issue 10: un-gzipped IDX files have no published MD5; they were loaded with no word at all. */
    @Test
    void unGzippedIdxFilesAreNamedAsNotVerifiable() throws Exception {
        for (String name : DataSources.official(DataSources.FASHION_MNIST).files()) {
            Files.writeString(data.resolve(name.replace(".gz", "")), "raw " + name);
        }
        List<String> w = DataIntegrity.warnings(DataSources.FASHION_MNIST, data);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("fashion-mnist: train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte in " + data + " are read un-gzipped"), w.get(0));
        assertTrue(w.get(0).contains("no MD5 is published for un-gzipped files"), w.get(0));
        assertTrue(w.get(0).contains("`make data DATASET=fashion-mnist DATA=" + data + "` to install verified .gz files in "
                + data.resolve("fashion-mnist") + "/"), w.get(0));

        // Next to a verified install, the loader still reads raw files first: they are named, not the record.
        Path dir = Files.createDirectories(data.resolve("x").resolve("fashion-mnist"));
        for (String name : DataSources.official(DataSources.FASHION_MNIST).files()) {
            Files.writeString(dir.resolve(name), "bytes of " + name);
        }
        record(dir, VerifiedRecord.Basis.PUBLISHED);
        Files.writeString(dir.resolve("train-labels-idx1-ubyte"), "raw labels");
        w = DataIntegrity.warnings(DataSources.FASHION_MNIST, data.resolve("x"));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("fashion-mnist: train-labels-idx1-ubyte in " + dir + " is read un-gzipped"), w.get(0));
    }

    /** Issue 10: files flat in DATA are read by the loader, but `make data` checks only DATA/<subdir>/. */
    @Test
    void aFlatLayoutIsToldToMoveItsFilesWhereMakeDataChecksThem() throws Exception {
        DataSource stl = DataSources.official(DataSources.STL10);
        for (String name : stl.files()) {
            Files.writeString(data.resolve(name), name);
        }
        List<String> w = DataIntegrity.warnings(DataSources.STL10, data);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("`make data` checks only " + data.resolve("stl10_binary") + "/, not files placed"
                + " directly in " + data + ": move train_X.bin, train_y.bin, test_X.bin, test_y.bin, unlabeled_X.bin,"
                + " fold_indices.txt, class_names.txt into " + data.resolve("stl10_binary") + "/"), w.get(0));
        assertTrue(w.get(0).contains("then `make data DATASET=stl10 DATA=" + data + "` checks every file"), w.get(0));

        // The same for CIFAR-10 (with its class-name file) and Fashion-MNIST .gz files.
        DataSource cifar = DataSources.official(DataSources.CIFAR10);
        Path flatC = Files.createDirectories(data.resolve("c"));
        for (String name : cifar.checkedFiles()) {
            Files.writeString(flatC.resolve(name), name);
        }
        w = DataIntegrity.warnings(DataSources.CIFAR10, flatC);
        assertTrue(w.size() == 1 && w.get(0).contains("move data_batch_1.bin, data_batch_2.bin, data_batch_3.bin,"
                + " data_batch_4.bin, data_batch_5.bin, test_batch.bin, batches.meta.txt, readme.html into "
                + flatC.resolve("cifar-10-batches-bin") + "/"), w.toString());
        Path flatF = Files.createDirectories(data.resolve("f"));
        for (String name : DataSources.official(DataSources.FASHION_MNIST).files()) {
            Files.writeString(flatF.resolve(name), name);
        }
        w = DataIntegrity.warnings(DataSources.FASHION_MNIST, flatF);
        assertTrue(w.size() == 1 && w.get(0).contains("into " + flatF.resolve("fashion-mnist") + "/ (the loader reads them there too), then `make data"
                + " DATASET=fashion-mnist DATA=" + flatF + "`"), w.toString());
    }

    /** Issue 10: CIFAR-10's batches.meta.txt (class names the loader reads) was neither recorded nor checked. */
    @Test
    void cifarClassNamesAreCheckedLikeTheBatches() throws Exception {
        DataSource cifar = DataSources.official(DataSources.CIFAR10);
        assertEquals(List.of("batches.meta.txt", "readme.html"), cifar.optionalFiles());
        Path dir = Files.createDirectories(data.resolve("cifar-10-batches-bin"));
        Map<String, VerifiedRecord.Entry> entries = new LinkedHashMap<>();
        for (String name : cifar.checkedFiles()) {
            Files.writeString(dir.resolve(name), "bytes of " + name);
            entries.put(name, VerifiedRecord.Entry.of(dir.resolve(name), Md5.of(dir.resolve(name)), VerifiedRecord.Basis.ARCHIVE));
        }
        VerifiedRecord.write(dir, DataSources.CIFAR10, entries);
        assertEquals(List.of(), DataIntegrity.warnings(DataSources.CIFAR10, data));
        Files.writeString(dir.resolve("batches.meta.txt"), "truck\nship\nhorse\nfrog\ndog\ndeer\ncat\nbird\nautomobile\nairplane\n");
        List<String> w = DataIntegrity.warnings(DataSources.CIFAR10, data);
        assertTrue(w.size() == 1 && w.get(0).startsWith("cifar10: batches.meta.txt in " + dir + " changed"), w.toString());

        // A record written before the class names were checked does not vouch for them.
        entries.remove("batches.meta.txt");
        VerifiedRecord.write(dir, DataSources.CIFAR10, entries);
        w = DataIntegrity.warnings(DataSources.CIFAR10, data);
        assertTrue(w.size() == 1 && w.get(0).startsWith("cifar10: batches.meta.txt in " + dir + " is not in its "
                + VerifiedRecord.FILE_NAME + " record"), w.toString());
    }
}
