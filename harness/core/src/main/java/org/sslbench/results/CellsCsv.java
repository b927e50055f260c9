package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cells.csv of one results directory: what a run has already done, so a rerun resumes.
 *
 * <p>Every {@link #append} rewrites the whole file through {@link AtomicFiles}, so a crash at any
 * moment leaves either the previous rows or the previous rows plus the new one. Rows are keyed by
 * {@code config_hash}. One writer per directory at a time.
 */
public final class CellsCsv {
    public static final String FILE_NAME = "cells.csv";

    private final Path file;
    // Insertion-ordered: file order is completion order, which the run log and users rely on.
    private final Map<String, CellResult> byHash;
    private final List<String> warnings;
    private boolean tempsRemoved;

    private CellsCsv(Path file, Map<String, CellResult> byHash, List<String> warnings) {
        this.file = file;
        this.byHash = byHash;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads {@code dir/cells.csv} if it exists, repairing in memory what an interrupted writer can
     * leave: an incomplete last row is dropped; of rows sharing a config_hash the first is kept.
     * Each repair, and any stale temp file, is logged and listed in {@link #warnings()}. Opening
     * never modifies the directory, so reading results during a run is safe; dropped rows and
     * stale temps disappear at the next append.
     *
     * @throws ResultsFileException when the header is not {@link CellResult#COLUMNS} or a
     *                              complete row is malformed
     */
    public static CellsCsv open(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<String> warnings = new ArrayList<>();
        for (Path temp : AtomicFiles.tempFiles(file)) {
            CsvTable.warn(warnings, "temp file from an interrupted (or concurrent) write, "
                    + "deleted at the next append: " + temp);
        }
        Map<String, CellResult> byHash = new LinkedHashMap<>();
        if (Files.exists(file)) {
            CsvTable.Parsed<CellResult> parsed = CsvTable.readAccepting(file, CellResult.COLUMNS, CellResult.LEGACY_HEADERS,
                    CellResult::fromRecord);
            warnings.addAll(parsed.warnings());
            for (CellResult row : parsed.rows()) {
                if (byHash.putIfAbsent(row.configHash(), row) != null) {
                    CsvTable.warn(warnings, file + ": duplicate config_hash " + row.configHash()
                            + " (" + row.method() + " " + row.dataset() + " seed=" + row.seed()
                            + "): keeping the first row, dropping this one");
                }
            }
        }
        return new CellsCsv(file, byHash, warnings);
    }

    public Path file() {
        return file;
    }

    /** Rows in file order. */
    public synchronized List<CellResult> rows() {
        return List.copyOf(byHash.values());
    }

    /** True when a row with this hash exists, whatever its status. */
    public synchronized boolean contains(String configHash) {
        return byHash.containsKey(configHash);
    }

    /** True when the cell needs no rerun: its row is ok, diverged or collapsed. Failed cells are retried. */
    public synchronized boolean containsCompleted(String configHash) {
        CellResult row = byHash.get(configHash);
        return row != null && row.status().isCompleted();
    }

    public synchronized Optional<CellResult> get(String configHash) {
        return Optional.ofNullable(byHash.get(configHash));
    }

    /**
     * The devices (with their CPU kernels, e.g. {@code cpu (eigen)}) of rows already here that
     * differ from {@code device}, sorted: the same cell computed there can come out slightly different.
     */
    public synchronized List<String> otherDevices(String device) {
        return byHash.values().stream().map(r -> r.provenance().device()).filter(d -> !d.equals(device)).distinct()
                .sorted().toList();
    }

    /** What {@link #open} repaired; empty for a clean file. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Persists {@code cell} durably before returning. A retry of a failed cell replaces the failed
     * row (moving it to the end, as the newest result), so the file holds one row per config_hash.
     *
     * @throws IllegalStateException if the cell already has an ok, diverged or collapsed row: a caller bug
     */
    public synchronized void append(CellResult cell) throws IOException {
        if (containsCompleted(cell.configHash())) {
            throw new IllegalStateException("cell " + cell.configHash() + " is already in " + file
                    + " as " + byHash.get(cell.configHash()).status().csv());
        }
        write(cell);
    }

    /**
     * As {@link #append} but also replaces a completed row: for a cell recomputed on purpose
     * ({@code bench --recompute-stale}). The old row stays on disk until the new one is written.
     */
    public synchronized void replace(CellResult cell) throws IOException {
        write(cell);
    }

    /**
     * Gives the rows whose {@code config_hash} is a key of {@code configIdByHash} that config id,
     * in place (file order kept), in one atomic rewrite; nothing is written when every row already
     * has it. For cells a run reuses: equal cell hashes mean the same experiment, so a row keeps its
     * result but takes the config id the current rule computes (an earlier sslbench put the
     * unlabeled_limit into the baseline's config id, so a second spec differing only in the limit
     * found its baseline rows under another id).
     *
     * @return the rows relabelled, in file order (their old config ids)
     */
    public synchronized List<CellResult> relabel(Map<String, String> configIdByHash) throws IOException {
        Map<String, CellResult> next = new LinkedHashMap<>(byHash);
        List<CellResult> changed = new ArrayList<>();
        next.replaceAll((hash, row) -> {
            String id = configIdByHash.get(hash);
            if (id == null || id.isEmpty() || id.equals(row.configId())) {
                return row;
            }
            changed.add(row);
            return row.withConfigId(id);
        });
        if (!changed.isEmpty()) {
            writeAll(next);
        }
        return changed;
    }

    private void write(CellResult cell) throws IOException {
        Map<String, CellResult> next = new LinkedHashMap<>(byHash);
        next.remove(cell.configHash());
        next.put(cell.configHash(), cell);
        writeAll(next);
    }

    private void writeAll(Map<String, CellResult> next) throws IOException {
        if (!tempsRemoved) {
            // We are the writer now, so any temp beside the file is a dead writer's leftover.
            AtomicFiles.removeStaleTemps(file);
            tempsRemoved = true;
        }
        List<List<String>> records = next.values().stream().map(CellResult::toRecord).toList();
        AtomicFiles.writeString(file, CsvTable.render(CellResult.COLUMNS, records));
        // Memory changes only after the disk did, so both agree even when the write fails.
        byHash.clear();
        byHash.putAll(next);
    }
}
