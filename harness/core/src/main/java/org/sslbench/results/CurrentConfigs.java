package org.sslbench.results;

import static org.sslbench.results.CsvValues.getInt;
import static org.sslbench.results.CsvValues.number;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code current-configs.csv} of a results directory: the configurations (config ids, one per
 * method × dataset × backbone × protocol × n_labels × subset kind) of the spec last run into it.
 * Written by {@code bench} before any cell runs; read by the leaderboard, report and merge to mark
 * rows of other configurations (an earlier run's, before a param change) {@code current=no}
 * instead of averaging them with the current ones. Without the file, currency is unknown.
 *
 * <p>Beside it, {@code configs.csv} is the history: every configuration ever run into the
 * directory (rows are added, never removed), so an earlier configuration's rows can still be
 * described by their settings and grouped across label counts ({@code series_id}).
 */
public final class CurrentConfigs {
    public static final String FILE_NAME = "current-configs.csv";
    /** Every configuration ever run into the directory, same columns. */
    public static final String HISTORY_FILE_NAME = "configs.csv";

    /** File header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "config_id", "method", "dataset", "backbone", "protocol", "n_labels", "subset_kind", "method_params",
            "series_id", "settings");

    /** The header before series_id and settings existed: still read (those come back empty: unknown). */
    static final List<String> LEGACY_COLUMNS = COLUMNS.subList(0, COLUMNS.indexOf("series_id"));

    /**
     * One configuration of the spec, as cells.csv names it.
     *
     * @param seriesId the config id without n_labels (Cell#seriesId): one id for the configuration
     *                 at every label count; empty when unknown (a file from before the column)
     * @param settings everything the config id covers, {@code key=value;…} sorted by key
     *                 (Cell#settings); empty when unknown
     */
    public record Entry(String configId, String method, String dataset, String backbone, String protocol,
                        int nLabels, String subsetKind, String methodParams, String seriesId, String settings) {
        List<String> toRecord() {
            return List.of(configId, method, dataset, backbone, protocol, number(nLabels), subsetKind, methodParams,
                    seriesId, settings);
        }

        static Entry fromRecord(CSVRecord r) {
            return new Entry(r.get("config_id"), r.get("method"), r.get("dataset"), r.get("backbone"),
                    r.get("protocol"), getInt(r, "n_labels"), r.get("subset_kind"), r.get("method_params"),
                    r.isMapped("series_id") ? r.get("series_id") : "", r.isMapped("settings") ? r.get("settings") : "");
        }
    }

    private CurrentConfigs() {
    }

    /**
     * Writes {@code dir/current-configs.csv} atomically (repeated config ids are written once) and
     * adds the entries to the history {@code dir/configs.csv} ({@link #addToHistory}).
     */
    public static void write(Path dir, List<Entry> entries) throws IOException {
        Map<String, Entry> distinct = new LinkedHashMap<>();
        entries.forEach(e -> distinct.putIfAbsent(e.configId(), e));
        addToHistory(dir, distinct.values());
        AtomicFiles.writeString(dir.resolve(FILE_NAME), CsvTable.render(COLUMNS,
                distinct.values().stream().map(Entry::toRecord).toList()));
    }

    /**
     * Adds entries to {@code dir/configs.csv} (atomically rewritten): a config id already there is
     * kept as it was unless it lacked its settings; new ones are appended in order. Also how merge
     * gathers its shards' histories.
     *
     * @throws ResultsFileException when the existing history is malformed
     */
    public static void addToHistory(Path dir, java.util.Collection<Entry> entries) throws IOException {
        Map<String, Entry> all = new LinkedHashMap<>(history(dir));
        for (Entry e : entries) {
            Entry old = all.get(e.configId());
            if (old == null || old.settings().isEmpty()) {
                all.put(e.configId(), e);
            }
        }
        AtomicFiles.writeString(dir.resolve(HISTORY_FILE_NAME), CsvTable.render(COLUMNS,
                all.values().stream().map(Entry::toRecord).toList()));
    }

    /**
     * Every configuration known in {@code dir}, by config id: the history {@code configs.csv}, then
     * {@code current-configs.csv} for ids the history lacks (a directory written before the
     * history existed). Empty when neither file exists.
     *
     * @throws ResultsFileException when a file is malformed
     */
    public static Map<String, Entry> history(Path dir) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String name : List.of(HISTORY_FILE_NAME, FILE_NAME)) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                CsvTable.read(file, COLUMNS, LEGACY_COLUMNS, Entry::fromRecord).rows()
                        .forEach(e -> out.putIfAbsent(e.configId(), e));
            }
        }
        return out;
    }

    /**
     * The config ids of {@code dir/current-configs.csv}; null when the file does not exist
     * (a directory from before it existed, or a bare cells.csv).
     *
     * @throws ResultsFileException when the file is malformed
     */
    public static Set<String> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        CsvTable.read(file, COLUMNS, LEGACY_COLUMNS, Entry::fromRecord).rows().forEach(e -> ids.add(e.configId()));
        return ids;
    }
}
