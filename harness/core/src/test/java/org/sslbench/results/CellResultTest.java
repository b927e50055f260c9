package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellResultTest {
    @TempDir
    Path dir;

    @Test
    void columnsAreTheDocumentedHeader() {
        assertEquals(List.of("spec", "method", "dataset", "backbone", "protocol", "n_labels", "seed",
                "pretext_epochs", "downstream_epochs", "test_accuracy", "test_selected_max_accuracy", "test_loss",
                "pretext_loss", "collapse_std", "wall_seconds", "pretext_seconds", "images_per_second", "status",
                "status_detail", "method_params", "label_subset", "subset_kind", "fold", "config_id", "config_hash",
                "pretext_hash", "method_source", "method_source_sha256", "backbone_source", "backbone_source_sha256",
                "dataset_source", "dataset_source_sha256", "pretext_code", "pretext_dataset", "selection", "selected", "precision", "git_commit",
                "sslbench_version", "tf_version", "java_version", "os", "arch", "device", "threads", "timestamp"),
                CellResult.COLUMNS);
        assertEquals(CellResult.COLUMNS.size(), TestCells.cell("m", "d", 1, 0, Status.OK, 0.5).toRecord().size());
    }

    @Test
    void everyColumnRoundTripsIncludingAwkwardValues() throws IOException {
        Provenance p = new Provenance("0123456789ab-dirty", "0.1.0", "2.18.0", "17.0.15", "Linux 6.1", "aarch64",
                "gpu:0", 8, Instant.parse("2026-01-02T03:04:05.678Z"));
        CellResult awkward = new CellResult("spec, \"quoted\"", "rotation", "fashion-mnist-embedded", "resnet18",
                "knn", 250, -7, 0, 100,
                1.0 / 3, 0.1 + 0.2, Double.POSITIVE_INFINITY, -0.0, 1e-10,
                1e20, Double.MIN_VALUE, Double.MAX_VALUE,
                Status.DIVERGED, "line one\nline two, with comma", "all_four=true;lr=0.1", " padded ",
                CellResult.FOLD, 3, "cfg, \"x\"", "h-1", "ptx-ü", "my method-1.0.jar", "ab12", p);
        assertEquals(awkward, roundTrip(awkward));
    }

    @Test
    void nanAndNullBecomeEmptyCellsAndReadBack() throws IOException {
        CellResult sparse = new CellResult(null, "supervised", "mnist", "small-cnn", "knn", 100, 0, 0, 0,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Status.FAILED, null, null, null, CellResult.STRATIFIED, -1, null, "h-2", null, null, null,
                TestCells.PROVENANCE);
        List<String> record = sparse.toRecord();
        for (String column : List.of("spec", "test_accuracy", "test_loss", "pretext_loss", "images_per_second",
                "status_detail", "pretext_hash")) {
            assertEquals("", record.get(CellResult.COLUMNS.indexOf(column)), column);
        }
        assertFalse(record.contains("null"));
        assertFalse(record.contains("NaN"));
        CellResult back = roundTrip(sparse);
        assertEquals(sparse, back);
        assertTrue(Double.isNaN(back.testAccuracy()));
    }

    @Test
    void numbersIgnoreTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            List<String> record = TestCells.cell("m", "d", 1, 0, Status.OK, 0.5).toRecord();
            assertEquals("0.5", record.get(CellResult.COLUMNS.indexOf("test_accuracy")));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void malformedValueIsReportedWithColumnAndLine() throws IOException {
        List<String> good = TestCells.cell("m", "d", 1, 0, Status.OK, 0.5).toRecord();
        List<String> bad = new java.util.ArrayList<>(good);
        bad.set(CellResult.COLUMNS.indexOf("n_labels"), "lots");
        Path file = dir.resolve("cells.csv");
        Files.writeString(file, CsvTable.render(CellResult.COLUMNS, List.of(good, bad)));
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> CellsCsv.open(dir));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("n_labels"), e.getMessage());
    }

    @Test
    void configHashIsRequired() {
        CellResult c = TestCells.cell("m", "d", 1, 0, Status.OK, 0.5);
        assertThrows(IllegalArgumentException.class, () -> TestCells.withHash(c, " "));
    }

    private CellResult roundTrip(CellResult cell) throws IOException {
        Path file = dir.resolve("roundtrip.csv");
        Files.writeString(file, CsvTable.render(CellResult.COLUMNS, List.of(cell.toRecord())));
        List<CellResult> rows = CsvTable.read(file, CellResult.COLUMNS, CellResult::fromRecord).rows();
        assertEquals(1, rows.size());
        return rows.get(0);
    }
}
