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
 * <p>Each configuration also records the code that runs it now ({@link CodeIdentity}: sslbench
 * build, method/backbone/dataset jars and their content hashes), so that the leaderboard and report,
 * which run no training code themselves, can mark rows computed by other code as stale
 * ({@code n_stale}) the way bench does on resume. A file written before these columns existed is
 * still read; its code is then unknown (empty) and no row is marked.
 */
public final class CurrentConfigs {
    public static final String FILE_NAME = "current-configs.csv";

    /** File header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "config_id", "method", "dataset", "backbone", "protocol", "n_labels", "subset_kind", "method_params",
            "sslbench_version", "git_commit", "method_source", "method_source_sha256", "backbone_source",
            "backbone_source_sha256", "dataset_source", "dataset_source_sha256");

    /** The header before the code columns existed (still read; the code comes back unknown). */
    public static final List<String> LEGACY_COLUMNS = COLUMNS.subList(0, 8);

    /**
     * One configuration of the spec, as cells.csv names it.
     *
     * @param code the code that runs it now (its {@code pretextCode} is unused); all parts empty when unknown
     */
    public record Entry(String configId, String method, String dataset, String backbone, String protocol,
                        int nLabels, String subsetKind, String methodParams, CodeIdentity code) {
        /** An entry whose code is unknown (as read from a file written before the code columns). */
        public Entry(String configId, String method, String dataset, String backbone, String protocol, int nLabels,
                     String subsetKind, String methodParams) {
            this(configId, method, dataset, backbone, protocol, nLabels, subsetKind, methodParams,
                    new CodeIdentity("", "", "", ""));
        }

        List<String> toRecord() {
            return List.of(configId, method, dataset, backbone, protocol, number(nLabels), subsetKind, methodParams,
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
                    r.get("protocol"), getInt(r, "n_labels"), r.get("subset_kind"), r.get("method_params"), code);
        }

        /** Whether the code that runs this configuration now was recorded (not a legacy file). */
        public boolean codeKnown() {
            return !code.gitCommit().isEmpty() || !code.methodSourceSha256().isEmpty();
        }
    }

    private CurrentConfigs() {
    }

    /** Writes {@code dir/current-configs.csv} atomically; repeated config ids are written once. */
    public static void write(Path dir, List<Entry> entries) throws IOException {
        Map<String, Entry> distinct = new LinkedHashMap<>();
        entries.forEach(e -> distinct.putIfAbsent(e.configId(), e));
        AtomicFiles.writeString(dir.resolve(FILE_NAME), CsvTable.render(COLUMNS,
                distinct.values().stream().map(Entry::toRecord).toList()));
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
        return CsvTable.read(file, COLUMNS, LEGACY_COLUMNS, Entry::fromRecord).rows();
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
