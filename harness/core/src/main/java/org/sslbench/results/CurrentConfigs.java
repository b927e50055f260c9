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
 *
 * <p>Each configuration also records the code that runs it now ({@link CodeIdentity}: sslbench
 * build, method/backbone/dataset jars and their content hashes), so that the leaderboard and report,
 * which run no training code themselves, can mark rows computed by other code as stale
 * ({@code n_stale}) the way bench does on resume. A file written before these columns existed is
 * still read; its code is then unknown (empty) and no row is marked.
 */
public final class CurrentConfigs {
    public static final String FILE_NAME = "current-configs.csv";
    /** Every configuration ever run into the directory, same columns. */
    public static final String HISTORY_FILE_NAME = "configs.csv";

    /** File header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "config_id", "method", "dataset", "backbone", "protocol", "n_labels", "subset_kind", "method_params",
            "series_id", "settings",
            "sslbench_version", "git_commit", "method_source", "method_source_sha256", "backbone_source",
            "backbone_source_sha256", "dataset_source", "dataset_source_sha256");

    /** The first layout: no series_id, settings or code. */
    static final List<String> BASE = COLUMNS.subList(0, COLUMNS.indexOf("series_id"));
    private static final List<String> CODE = COLUMNS.subList(COLUMNS.indexOf("sslbench_version"), COLUMNS.size());

    /**
     * Older layouts, still read (what they lack comes back empty: unknown): the first one, the one
     * with series_id and settings but no code, and the one with the code but no series_id and settings.
     */
    static final List<List<String>> LEGACY_HEADERS = List.of(BASE,
            COLUMNS.subList(0, COLUMNS.indexOf("sslbench_version")),
            java.util.stream.Stream.concat(BASE.stream(), CODE.stream()).toList());

    /**
     * One configuration of the spec, as cells.csv names it.
     *
     * @param seriesId the config id without n_labels (Cell#seriesId): one id for the configuration
     *                 at every label count; empty when unknown (a file from before the column)
     * @param settings everything the config id covers, {@code key=value;…} sorted by key
     *                 (Cell#settings); empty when unknown
     * @param code     the code that runs it now (its {@code pretextCode} is unused); all parts empty when unknown
     */
    public record Entry(String configId, String method, String dataset, String backbone, String protocol,
                        int nLabels, String subsetKind, String methodParams, String seriesId, String settings,
                        CodeIdentity code) {
        /** An entry whose code is unknown (as read from a file written before the code columns). */
        public Entry(String configId, String method, String dataset, String backbone, String protocol, int nLabels,
                     String subsetKind, String methodParams, String seriesId, String settings) {
            this(configId, method, dataset, backbone, protocol, nLabels, subsetKind, methodParams, seriesId, settings,
                    new CodeIdentity("", "", "", ""));
        }

        List<String> toRecord() {
            return List.of(configId, method, dataset, backbone, protocol, number(nLabels), subsetKind, methodParams,
                    seriesId, settings,
                    code.sslbenchVersion(), code.gitCommit(), code.methodSource(), code.methodSourceSha256(),
                    code.backboneSource(), code.backboneSourceSha256(), code.datasetSource(), code.datasetSourceSha256());
        }

        static Entry fromRecord(CSVRecord r) {
            CodeIdentity code = r.isMapped("git_commit")
                    ? new CodeIdentity(r.get("sslbench_version"), r.get("git_commit"), r.get("method_source"),
                            r.get("method_source_sha256"), r.get("backbone_source"), r.get("backbone_source_sha256"),
                            r.get("dataset_source"), r.get("dataset_source_sha256"), "")
                    : new CodeIdentity("", "", "", "");
            return new Entry(r.get("config_id"), r.get("method"), r.get("dataset"), r.get("backbone"),
                    r.get("protocol"), getInt(r, "n_labels"), r.get("subset_kind"), r.get("method_params"),
                    r.isMapped("series_id") ? r.get("series_id") : "", r.isMapped("settings") ? r.get("settings") : "",
                    code);
        }

        /** Whether the code that runs this configuration now was recorded (not a legacy file). */
        public boolean codeKnown() {
            return !code.gitCommit().isEmpty() || !code.methodSourceSha256().isEmpty();
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
                CsvTable.readAccepting(file, COLUMNS, LEGACY_HEADERS, Entry::fromRecord).rows()
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
        List<Entry> entries = entries(dir);
        if (entries == null) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        entries.forEach(e -> ids.add(e.configId()));
        return ids;
    }

    /**
     * The entries of {@code dir/current-configs.csv} (either layout); null when the file does not exist.
     *
     * @throws ResultsFileException when the file is malformed
     */
    public static List<Entry> entries(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        return CsvTable.readAccepting(file, COLUMNS, LEGACY_HEADERS, Entry::fromRecord).rows();
    }

    /**
     * The code that runs each configuration now, by config id, for {@link Leaderboard#aggregate(java.util.Collection,
     * Set, Map)}; configurations whose code was not recorded are left out. Null when the file does not exist.
     */
    public static Map<String, CodeIdentity> codes(Path dir) throws IOException {
        List<Entry> entries = entries(dir);
        if (entries == null) {
            return null;
        }
        Map<String, CodeIdentity> out = new LinkedHashMap<>();
        entries.stream().filter(Entry::codeKnown).forEach(e -> out.putIfAbsent(e.configId(), e.code()));
        return out;
    }
}
