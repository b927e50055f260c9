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
}
