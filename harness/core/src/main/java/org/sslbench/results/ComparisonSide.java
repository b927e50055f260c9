package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One side of a {@link Comparison}: a run's leaderboard (with per-seed values when its cells.csv
 * is at hand) or a reference table.
 *
 * @param label    what the side is, for the output (e.g. the file)
 * @param entries  in input order; a reference table can have several per key (sources, metrics)
 * @param warnings inconsistencies noticed while reading, shown with the comparison
 */
public record ComparisonSide(String label, List<Entry> entries, List<String> warnings) {

    /**
     * A key's values on this side: both metrics for a run, the one published for a reference.
     *
     * @param source the reference's source; empty for a run
     */
    public record Entry(ResultKey key, Map<Metric, Sample> samples, String source) {
        public Entry {
            samples = Map.copyOf(samples);
        }

        /**
         * The sample for {@code metric}.
         *
         * @throws IllegalArgumentException when this entry has no value for it (a reference row
         *                                  has only its own metric): never another metric's value
         */
        public Sample sample(Metric metric) {
            Sample s = samples.get(metric);
            if (s == null) {
                throw new IllegalArgumentException(key + ": no " + metric.csv() + " value (has " + samples.keySet() + ")");
            }
            return s;
        }

        /** Whether this entry has a value for {@code metric}. */
        public boolean has(Metric metric) {
            return samples.containsKey(metric);
        }

        /** {@code wanted} when this entry has it, else its only metric (for listing an entry). */
        public Metric metric(Metric wanted) {
            return samples.containsKey(wanted) ? wanted : samples.keySet().iterator().next();
        }

        /** True for a published number: it fixes the metric a comparison must use. */
        public boolean fixedMetric() {
            return samples.size() == 1;
        }
    }

    public ComparisonSide {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /**
     * Reads a leaderboard.csv (or a results directory) or a reference table, told apart by header.
     * A leaderboard with a cells.csv beside it gets per-seed values from it.
     *
     * @throws ResultsFileException naming the file and its header when it is neither
     */
    public static ComparisonSide read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(Leaderboard.FILE_NAME) : path;
        List<String> header = CsvTable.header(file);
        if (header.equals(LeaderboardRow.COLUMNS)) {
            Path dir = file.toAbsolutePath().getParent();
            if (Files.exists(dir.resolve(CellsCsv.FILE_NAME))) {
                CellsCsv cells = CellsCsv.open(dir);
                ComparisonSide side = ofRun(file + " (per seed from cells.csv)", Leaderboard.read(file), cells.rows());
                List<String> warnings = new ArrayList<>(cells.warnings());
                warnings.addAll(side.warnings());
                return new ComparisonSide(side.label(), side.entries(), warnings);
            }
            return ofRun(file.toString(), Leaderboard.read(file), null);
        }
        if (header.equals(ReferenceRow.COLUMNS)) {
            return ofReference(file.toString(), ReferenceRow.read(file));
        }
        throw new ResultsFileException(file, "neither a leaderboard.csv nor a reference table"
                + "\n  found:       " + (header.isEmpty() ? "(no header)" : String.join(",", header))
                + "\n  leaderboard: " + String.join(",", LeaderboardRow.COLUMNS)
                + "\n  reference:   " + String.join(",", ReferenceRow.COLUMNS)
                + "\n  (for a run, pass its leaderboard.csv or its results directory)");
    }

    /**
     * A run: keys from the leaderboard; values per seed from {@code cells} (ok rows) when given,
     * else the leaderboard's summary, where the spread of max accuracies is unknown.
     */
    public static ComparisonSide ofRun(String label, Leaderboard board, List<CellResult> cells) {
        List<Entry> entries = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<ResultKey, List<CellResult>> ok = cells == null ? Map.of() : cells.stream()
                .filter(c -> c.status() == Status.OK)
                .sorted(Comparator.comparingInt(CellResult::seed))
                .collect(Collectors.groupingBy(ResultKey::of, TreeMap::new, Collectors.toList()));
        for (LeaderboardRow row : board.rows()) {
            Map<Metric, Sample> samples = new EnumMap<>(Metric.class);
            if (cells == null) {
                samples.put(Metric.FINAL, Sample.summary(row.meanTestAccuracy(), row.stdTestAccuracy(), row.nSeeds()));
                samples.put(Metric.MAX_OVER_EPOCHS, Sample.summary(row.meanMaxTestAccuracy(),
                        row.nSeeds() == 1 ? 0.0 : Double.NaN, row.nSeeds()));
            } else {
                List<CellResult> seeds = ok.getOrDefault(ResultKey.of(row), List.of());
                List<Integer> seedList = seeds.stream().map(CellResult::seed).toList();
                if (!seedList.equals(row.seeds())) {
                    warnings.add(ResultKey.of(row) + ": cells.csv has ok seeds " + seedList + ", leaderboard "
                            + row.seeds() + "; using cells.csv");
                }
                samples.put(Metric.FINAL, perSeed(seeds, CellResult::testAccuracy));
                samples.put(Metric.MAX_OVER_EPOCHS, perSeed(seeds, CellResult::maxTestAccuracy));
            }
            entries.add(new Entry(ResultKey.of(row), samples, ""));
        }
        Set<ResultKey> onBoard = board.rows().stream().map(ResultKey::of).collect(Collectors.toSet());
        Set<ResultKey> missing = new TreeSet<>(ok.keySet());
        missing.removeAll(onBoard);
        missing.forEach(k -> warnings.add(k + ": in cells.csv but not in the leaderboard (stale leaderboard?); left out"));
        return new ComparisonSide(label, entries, warnings);
    }

    public static ComparisonSide ofReference(String label, List<ReferenceRow> rows) {
        List<Entry> entries = new ArrayList<>();
        for (ReferenceRow r : rows) {
            // A published number is one value: its n_seeds is shown, but its spread is unknown.
            Sample s = Sample.summary(r.testAccuracy(), r.nSeeds() == 1 ? 0.0 : Double.NaN, r.nSeeds());
            entries.add(new Entry(r.key(), Map.of(r.metric(), s), r.source()));
        }
        return new ComparisonSide(label, entries, List.of());
    }

    /** This side restricted to the keys {@code keep} accepts, e.g. the datasets a run covers. */
    public ComparisonSide filter(Predicate<ResultKey> keep) {
        return new ComparisonSide(label, entries.stream().filter(e -> keep.test(e.key())).toList(), warnings);
    }

    private static Sample perSeed(List<CellResult> cells, ToDoubleFunction<CellResult> metric) {
        return Sample.ofSeeds(cells.stream().map(CellResult::seed).toList(),
                cells.stream().map(c -> metric.applyAsDouble(c)).toList());
    }
}
