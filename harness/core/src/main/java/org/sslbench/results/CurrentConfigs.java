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
 */
public final class CurrentConfigs {
    public static final String FILE_NAME = "current-configs.csv";

    /** File header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "config_id", "method", "dataset", "backbone", "protocol", "n_labels", "subset_kind", "method_params");

    /** One configuration of the spec, as cells.csv names it. */
    public record Entry(String configId, String method, String dataset, String backbone, String protocol,
                        int nLabels, String subsetKind, String methodParams) {
        List<String> toRecord() {
            return List.of(configId, method, dataset, backbone, protocol, number(nLabels), subsetKind, methodParams);
        }

        static Entry fromRecord(CSVRecord r) {
            return new Entry(r.get("config_id"), r.get("method"), r.get("dataset"), r.get("backbone"),
                    r.get("protocol"), getInt(r, "n_labels"), r.get("subset_kind"), r.get("method_params"));
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
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        CsvTable.read(file, COLUMNS, Entry::fromRecord).rows().forEach(e -> ids.add(e.configId()));
        return ids;
    }
}
