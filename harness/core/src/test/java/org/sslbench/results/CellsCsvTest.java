package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellsCsvTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(CellsCsv.FILE_NAME);
    }

    private List<CellResult> appendOk(int n) throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        List<CellResult> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CellResult c = TestCells.ok("h" + i, i);
            cells.append(c);
            written.add(c);
        }
        return written;
    }

    @Test
    void missingFileOpensEmptyAndAppendCreatesDirectories() throws IOException {
        Path nested = dir.resolve("results/spec-a");
        CellsCsv cells = CellsCsv.open(nested);
        assertTrue(cells.rows().isEmpty());
        assertTrue(cells.warnings().isEmpty());
        cells.append(TestCells.ok("h0", 0));
        assertTrue(Files.exists(nested.resolve(CellsCsv.FILE_NAME)));
    }

    @Test
    void appendedRowsSurviveReopenInOrder() throws IOException {
        List<CellResult> written = appendOk(3);
        CellsCsv reopened = CellsCsv.open(dir);
        assertEquals(written, reopened.rows());
        assertTrue(reopened.warnings().isEmpty());
        assertTrue(reopened.contains("h1"));
        assertTrue(reopened.containsCompleted("h1"));
        assertFalse(reopened.contains("h9"));
        assertEquals(written.get(2), reopened.get("h2").orElseThrow());
        assertTrue(Files.readString(file()).startsWith(String.join(",", CellResult.COLUMNS) + "\n"));
    }

    @Test
    void failedCellIsRetriedAndItsRowReplaced() throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        CellResult failed = TestCells.withStatus(TestCells.ok("h0", 0), Status.FAILED);
        cells.append(failed);
        cells.append(TestCells.ok("h1", 1));
        assertTrue(cells.contains("h0"));
        assertFalse(cells.containsCompleted("h0"));

        CellResult retried = TestCells.ok("h0", 0);
        cells.append(retried);
        List<CellResult> reopened = CellsCsv.open(dir).rows();
        assertEquals(List.of(TestCells.ok("h1", 1), retried), reopened);
    }

    @Test
    void divergedCellIsCompleteAndAppendingItAgainIsRefused() throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        cells.append(TestCells.withStatus(TestCells.ok("h0", 0), Status.DIVERGED));
        assertTrue(cells.containsCompleted("h0"));
        String before = Files.readString(file());
        assertThrows(IllegalStateException.class, () -> cells.append(TestCells.ok("h0", 0)));
        assertEquals(before, Files.readString(file()));
    }

    @Test
    void truncatedLastRowIsDroppedNotParsed() throws IOException {
        List<CellResult> written = appendOk(3);
        String text = Files.readString(file());
        // Cut inside the last row's timestamp: the row still has every field, so only the
        // missing line end can tell it is incomplete.
        Files.writeString(file(), text.substring(0, text.length() - 5));

        CellsCsv reopened = CellsCsv.open(dir);
        assertEquals(written.subList(0, 2), reopened.rows());
        assertEquals(1, reopened.warnings().size());
        assertTrue(reopened.warnings().get(0).contains("incomplete last row"), reopened.warnings().get(0));

        // The dropped cell is redone and the file is whole again.
        reopened.append(written.get(2));
        CellsCsv again = CellsCsv.open(dir);
        assertEquals(written, again.rows());
        assertTrue(again.warnings().isEmpty());
    }

    @Test
    void rowCutInsideAQuotedMultiLineFieldIsDropped() throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        CellResult first = TestCells.ok("h0", 0);
        cells.append(first);
        CellResult multiLine = new CellResult("s", "m", "d", "b", "finetune", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Status.FAILED, "Exception: boom\n  at line one\n  at line two", "", "", CellResult.STRATIFIED, -1, "",
                "h1", "", "", "", TestCells.PROVENANCE);
        cells.append(multiLine);
        String text = Files.readString(file());
        // Ends with a line end, but inside the quoted detail: still an incomplete row.
        Files.writeString(file(), text.substring(0, text.indexOf("at line one") + "at line one\n".length()));

        CellsCsv reopened = CellsCsv.open(dir);
        assertEquals(List.of(first), reopened.rows());
        assertEquals(1, reopened.warnings().size());
    }

    @Test
    void staleTempFileIsReportedLeftAloneByOpenAndRemovedByNextAppend() throws IOException {
        List<CellResult> written = appendOk(2);
        // What a writer killed between creating and renaming its temp leaves behind.
        Path stale = dir.resolve("." + CellsCsv.FILE_NAME + ".3f2a.tmp");
        Files.writeString(stale, String.join(",", CellResult.COLUMNS) + "\npartial,row");
        Path unrelated = dir.resolve("notes.tmp");
        Files.writeString(unrelated, "keep me");

        CellsCsv reopened = CellsCsv.open(dir);
        assertEquals(written, reopened.rows());
        assertEquals(1, reopened.warnings().size());
        assertTrue(reopened.warnings().get(0).contains(stale.getFileName().toString()));
        assertTrue(Files.exists(stale), "a reader must not delete temps: a live writer may own them");

        reopened.append(TestCells.ok("h2", 2));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(unrelated));
        assertEquals(3, CellsCsv.open(dir).rows().size());
    }

    @Test
    void sigkillWhileAppendingLeavesExactlyTheCompleteRows() throws Exception {
        Path log = Files.createTempFile("crashing-writer", ".log");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), dir.toString(), "400")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int wanted = 20;
        String header = String.join(",", CellResult.COLUMNS) + "\n";
        List<String> tornSnapshots = new ArrayList<>();
        try {
            // Meanwhile read as a concurrent reader would: every snapshot must be a whole file.
            // Then kill as soon as some rows are durable, so the kill most likely lands mid-write
            // (writing is nearly all the child does). Bounded wait, no timing assertion.
            boolean seen = false;
            for (int i = 0; i < 60_000 && child.isAlive(); i++) {
                String snapshot = Files.exists(file()) ? readOrNull(file()) : null;
                seen |= snapshot != null;
                if (seen && (snapshot == null || !snapshot.startsWith(header) || !snapshot.endsWith("\n"))) {
                    tornSnapshots.add(snapshot == null ? "<missing>" : snapshot.length() + " chars");
                }
                if (snapshot != null && snapshot.lines().count() - 1 >= wanted) {
                    break;
                }
                Thread.sleep(1);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Unix
            child.waitFor();
        }
        String childLog = Files.readString(log);
        Files.delete(log);

        CellsCsv reopened = CellsCsv.open(dir);
        List<CellResult> rows = reopened.rows();
        assertTrue(rows.size() >= wanted, rows.size() + " rows; child output:\n" + childLog);
        assertEquals(List.of(), tornSnapshots, "a reader saw a partial file");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(TestCells.ok("h" + i, i), rows.get(i), "row " + i);
        }
        // No partial row can exist: every write was a whole-file rename.
        assertTrue(reopened.warnings().stream().noneMatch(w -> w.contains("incomplete")), reopened.warnings()::toString);

        reopened.append(TestCells.ok("h" + rows.size(), rows.size()));
        assertEquals(rows.size() + 1, CellsCsv.open(dir).rows().size());
        assertTrue(AtomicFiles.tempFiles(file()).isEmpty());
    }

    // The file can vanish between exists() and the read only if the writer is not atomic.
    private static String readOrNull(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    @Test
    void headerMismatchNamesFileAndBothHeaders() throws IOException {
        Files.writeString(file(), "spec,method,accuracy\ns,m,0.5\n");
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> CellsCsv.open(dir));
        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected: " + String.join(",", CellResult.COLUMNS)), e.getMessage());
        assertTrue(e.getMessage().contains("found:    spec,method,accuracy"), e.getMessage());
    }

    @Test
    void duplicateConfigHashKeepsTheFirstRowAndWarns() throws IOException {
        CellResult first = TestCells.ok("h0", 0);
        CellResult second = TestCells.withStatus(TestCells.ok("h0", 1), Status.FAILED);
        Files.writeString(file(), CsvTable.render(CellResult.COLUMNS, List.of(first.toRecord(), second.toRecord())));
        CellsCsv cells = CellsCsv.open(dir);
        assertEquals(List.of(first), cells.rows());
        assertTrue(cells.warnings().get(0).contains("duplicate config_hash h0"), cells.warnings().toString());
    }

    @Test
    void completeRowWithWrongFieldCountIsAnErrorWithItsLine() throws IOException {
        CellResult multiLine = TestCells.withStatus(TestCells.ok("h0", 0), Status.FAILED);
        multiLine = new CellResult(multiLine.spec(), multiLine.method(), multiLine.dataset(), multiLine.backbone(),
                multiLine.protocol(), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Status.FAILED, "two\nlines", "", "",
                CellResult.STRATIFIED, -1, "", "h0", "", "", "", TestCells.PROVENANCE);
        String text = CsvTable.render(CellResult.COLUMNS, List.of(multiLine.toRecord()))
                + "too,few,fields\n" + String.join(",", TestCells.ok("h2", 2).toRecord()) + "\n";
        Files.writeString(file(), text);
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> CellsCsv.open(dir));
        // Header on line 1, the two-line row on 2-3, the short row on 4.
        assertTrue(e.getMessage().contains("line 4: 3 fields"), e.getMessage());
    }

    @Test
    void emptyFileOrPartialHeaderOpensEmpty() throws IOException {
        Files.writeString(file(), "");
        assertTrue(CellsCsv.open(dir).rows().isEmpty());
        assertTrue(CellsCsv.open(dir).warnings().isEmpty());

        Files.write(file(), "spec,method,data".getBytes(StandardCharsets.UTF_8));
        CellsCsv cells = CellsCsv.open(dir);
        assertTrue(cells.rows().isEmpty());
        assertEquals(1, cells.warnings().size());
        cells.append(TestCells.ok("h0", 0));
        assertEquals(1, CellsCsv.open(dir).rows().size());
    }

    @Test
    void namesTheOtherDevicesItsRowsWereComputedOn() throws IOException {
        appendOk(2); // fixture rows say "cpu"
        CellsCsv cells = CellsCsv.open(dir);
        assertEquals(List.of(), cells.otherDevices("cpu"));
        assertEquals(List.of("cpu"), cells.otherDevices("cpu (onednn)"));
        CellResult c = TestCells.ok("h9", 9);
        cells.append(new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(),
                c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(),
                c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), c.methodSource(), c.methodSourceHash(),
                new Provenance("x", "dev", "2.18.0", "17", "Linux", "amd64", "cpu (onednn)", 2, java.time.Instant.EPOCH)));
        assertEquals(List.of("cpu", "cpu (onednn)"), CellsCsv.open(dir).otherDevices("gpu:0"));
        assertEquals(List.of("cpu"), CellsCsv.open(dir).otherDevices("cpu (onednn)"));
    }

    /** A cells.csv written before subset_kind/fold/config_id/method_source existed. */
    private static List<String> legacyRecord(CellResult c) {
        return recordIn(c, CellResult.LEGACY_HEADERS.get(0));
    }

    /** {@code c}'s values of the columns of an older {@code header}. */
    private static List<String> recordIn(CellResult c, List<String> header) {
        List<String> full = c.toRecord();
        return new ArrayList<>(header.stream().map(column -> full.get(CellResult.COLUMNS.indexOf(
                column.equals(CellResult.LEGACY_TEST_SELECTED) ? CellResult.TEST_SELECTED : column))).toList());
    }

    /**
     * Each older header is read: the first layout and the one with method_source but without the
     * backbone/dataset sources and pretext_code; the missing code parts come back empty, so such a
     * row is stale against any current code; and the one before pretext_dataset (read as empty: the
     * evaluation dataset's own pool, the only pool there was).
     */
    /** pretext_dataset (pretext.dataset) is written and read back; the row keeps it on a rewrite. */
    @Test
    void pretextDatasetRoundTrips() throws IOException {
        CellResult c = TestCells.ok("h0", 0);
        CellResult transfer = new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(),
                c.seed(), c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(),
                c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(), c.configHash(),
                c.pretextHash(), c.methodSource(), c.methodSourceHash(), c.backboneSource(), c.backboneSourceHash(),
                c.datasetSource(), c.datasetSourceHash(), c.pretextCode(), "stl10", "5-fold", "l2=0.001", c.provenance());
        CellsCsv.open(dir).append(transfer);
        CellsCsv.open(dir).append(TestCells.ok("h1", 1));
        CellsCsv read = CellsCsv.open(dir);
        assertEquals("stl10", read.get("h0").orElseThrow().pretextDataset());
        // the selection rule and what it chose (issue 13) round-trip too, and survive a relabel
        assertEquals("5-fold", read.get("h0").orElseThrow().selection());
        assertEquals("l2=0.001", read.get("h0").orElseThrow().withConfigId("x").selected());
        assertEquals("", read.get("h1").orElseThrow().selected());
        assertEquals("", read.get("h1").orElseThrow().pretextDataset());
        assertEquals("stl10", read.get("h0").orElseThrow().withConfigId("x").pretextDataset());
    }

    @Test
    void everyOlderHeaderIsReadAndRewrittenInTheNewLayout() throws IOException {
        assertEquals(6, CellResult.LEGACY_HEADERS.size());
        for (List<String> header : CellResult.LEGACY_HEADERS) {
            Files.deleteIfExists(file());
            CellResult full = TestCells.ok("h0", 0);
            Files.writeString(file(), CsvTable.render(header, List.of(recordIn(full, header))));
            CellsCsv cells = CellsCsv.open(dir);
            CellResult read = cells.get("h0").orElseThrow();
            assertEquals(full.testAccuracy(), read.testAccuracy(), header.toString());
            assertEquals(header.contains("method_source") ? full.methodSource() : "", read.methodSource());
            boolean code = header.contains("pretext_code");
            assertEquals(code ? full.backboneSource() : "", read.backboneSource());
            assertEquals(code ? full.backboneSourceHash() : "", read.backboneSourceHash());
            assertEquals(code ? full.datasetSourceHash() : "", read.datasetSourceHash());
            assertEquals(code ? full.pretextCode() : "", read.pretextCode());
            // every layout before the precision column names the test-selected column max_test_accuracy,
            // the last older one (issue 13 to 15) already test_selected_max_accuracy; its values are read
            boolean beforeRename = header != CellResult.LEGACY_HEADERS.get(CellResult.LEGACY_HEADERS.size() - 1);
            assertEquals(beforeRename, header.contains("max_test_accuracy") && !header.contains(CellResult.TEST_SELECTED),
                    header.toString());
            assertFalse(header.contains("precision"), header.toString());
            assertEquals("fp32", read.precision(), "rows before the precision column were computed in fp32");
            assertEquals(full.maxTestAccuracy(), read.maxTestAccuracy(), header.toString());
            assertTrue(Double.isFinite(read.maxTestAccuracy()));
            boolean selection = header.contains("selection");
            assertEquals(selection ? full.selection() : "", read.selection(),
                    "a row before the selection columns used fixed settings: its rule is unknown (empty)");
            assertEquals(header.contains("pretext_dataset") ? full.pretextDataset() : "", read.pretextDataset());
            assertEquals("", read.pretextDataset());
            cells.append(TestCells.ok("h1", 1));
            assertTrue(Files.readString(file()).startsWith(String.join(",", CellResult.COLUMNS) + "\n"));
            assertEquals(2, CellsCsv.open(dir).rows().size());
            assertEquals(full.maxTestAccuracy(), CellsCsv.open(dir).get("h0").orElseThrow().maxTestAccuracy(),
                    "rewritten under " + CellResult.TEST_SELECTED);
        }
    }

    /** The precision column (issue 16) round-trips, survives a relabel, and is written after selected. */
    @Test
    void precisionRoundTrips() throws IOException {
        CellResult c = TestCells.ok("h0", 0);
        assertEquals("fp32", c.precision(), "the constructors without a precision record fp32");
        CellResult bf16 = new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(),
                c.seed(), c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(),
                c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), c.methodSource(), c.methodSourceHash(), "", "", "", "", "", "", "", "",
                "bf16", c.provenance());
        CellsCsv cells = CellsCsv.open(dir);
        cells.append(bf16);
        cells.append(TestCells.ok("h1", 1));
        CellsCsv read = CellsCsv.open(dir);
        assertEquals("bf16", read.get("h0").orElseThrow().precision());
        assertEquals("bf16", read.get("h0").orElseThrow().withConfigId("x").precision());
        assertEquals("fp32", read.get("h1").orElseThrow().precision());
        assertEquals(CellResult.COLUMNS.indexOf("selected") + 1, CellResult.COLUMNS.indexOf("precision"));
    }

    /** The columns added for code identity round-trip. */
    @Test
    void codeColumnsRoundTrip() throws IOException {
        CellResult c = TestCells.ok("h0", 0);
        CellResult coded = new CellResult(c.spec(), c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(),
                c.seed(), c.pretextEpochs(), c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(),
                c.pretextLoss(), c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(),
                c.statusDetail(), c.methodParams(), c.labelSubset(), c.subsetKind(), c.fold(), c.configId(),
                c.configHash(), c.pretextHash(), "m.jar", "aa", "tiny.jar", "bb", "ds.jar", "cc", "0123456789abcdef",
                c.provenance());
        CellsCsv cells = CellsCsv.open(dir);
        cells.append(coded);
        assertEquals(coded, CellsCsv.open(dir).get("h0").orElseThrow());
    }

    @Test
    void legacyLayoutIsReadWithUnknownIdentityAndRewrittenInTheNewLayout() throws IOException {
        CellResult stratified = TestCells.ok("h0", 0);
        CellResult fold = TestCells.ok("h1", 1);
        List<String> foldRecord = legacyRecord(fold);
        foldRecord.set(CellResult.LEGACY_COLUMNS.indexOf("label_subset"), "fold7:abc123");
        Files.writeString(file(), CsvTable.render(CellResult.LEGACY_COLUMNS, List.of(legacyRecord(stratified), foldRecord)));

        CellsCsv cells = CellsCsv.open(dir);
        CellResult first = cells.get("h0").orElseThrow();
        CellResult second = cells.get("h1").orElseThrow();
        assertEquals(CellResult.STRATIFIED, first.subsetKind());
        assertEquals(-1, first.fold());
        assertEquals("", first.configId());
        assertEquals("", first.methodSource());
        assertEquals(CellResult.FOLD, second.subsetKind());
        assertEquals(7, second.fold());
        assertEquals(stratified.testAccuracy(), first.testAccuracy());

        cells.append(TestCells.ok("h2", 2));
        assertTrue(Files.readString(file()).startsWith(String.join(",", CellResult.COLUMNS) + "\n"));
        assertEquals(3, CellsCsv.open(dir).rows().size());
        assertEquals(7, CellsCsv.open(dir).get("h1").orElseThrow().fold());
    }

    @Test
    void foldAndSubsetKindMustAgree() {
        CellResult c = TestCells.ok("h0", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CellResult(c.spec(),
                c.method(), c.dataset(), c.backbone(), c.protocol(), c.nLabels(), c.seed(), c.pretextEpochs(),
                c.downstreamEpochs(), c.testAccuracy(), c.maxTestAccuracy(), c.testLoss(), c.pretextLoss(),
                c.collapseStd(), c.wallSeconds(), c.pretextSeconds(), c.imagesPerSecond(), c.status(),
                c.statusDetail(), c.methodParams(), c.labelSubset(), CellResult.STRATIFIED, 2, c.configId(),
                c.configHash(), c.pretextHash(), "", "", c.provenance()));
        assertTrue(e.getMessage().startsWith("fold: 2"), e.getMessage());
    }
}
