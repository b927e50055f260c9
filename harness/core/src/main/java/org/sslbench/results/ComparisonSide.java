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
 * One side of a {@link Comparison}: a run's leaderboard, one entry per configuration (with
 * per-seed values when its cells.csv is at hand), or a reference table.
 *
 * @param label    what the side is, for the output (e.g. the file)
 * @param entries  in input order; a reference table can have several per key (sources, metrics)
 * @param warnings inconsistencies noticed while reading, shown with the comparison
 */
public record ComparisonSide(String label, List<Entry> entries, List<String> warnings) {

    /**
     * A key's values on this side: both metrics for a run, the one published for a reference.
     *
     * @param key     a run's key carries its subset kind and config id; a reference's has no config id
     *                and the row's subset_kind (empty when unspecified)
     * @param source  the reference's source; empty for a run
     * @param current a run row's {@code current} ({@link LeaderboardRow#current}); empty for a reference
     * @param methodParams a run row's method params; empty for a reference
     */
    public record Entry(ResultKey key, Map<Metric, Sample> samples, String source, String current,
                        String methodParams) {
        public Entry {
            samples = Map.copyOf(samples);
        }

        /** A reference entry: no configuration, no currency. */
        public Entry(ResultKey key, Map<Metric, Sample> samples, String source) {
            this(key, samples, source, "", "");
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
     * A leaderboard with a cells.csv beside it is rebuilt from the cells (one entry per
     * configuration, per-seed values), so a stale or old-layout leaderboard.csv cannot pool
     * configurations; a difference from the file is warned about. A results directory without a
     * leaderboard.csv (an interrupted run, a copied cells.csv) is read from its cells.csv alone.
     *
     * @throws ResultsFileException naming the file and its header when it is neither, the path when
     *                              it does not exist, the directory when it holds neither file
     */
    public static ComparisonSide read(Path path) throws IOException {
        if (Files.isDirectory(path) && !Files.exists(path.resolve(Leaderboard.FILE_NAME))) {
            if (Files.exists(path.resolve(CellsCsv.FILE_NAME))) {
                return fromCells(path.toAbsolutePath(), null);
            }
            throw new ResultsFileException(path, "a results directory holds " + CellsCsv.FILE_NAME + " (and "
                    + Leaderboard.FILE_NAME + ", built from it); this one has neither. Pass the directory a bench run"
                    + " wrote (output.dir of its spec, by default results/<spec name>), a leaderboard.csv or a"
                    + " reference table (results/reference/*.csv)");
        }
        Path file = Files.isDirectory(path) ? path.resolve(Leaderboard.FILE_NAME) : path;
        if (!Files.exists(file)) {
            throw new ResultsFileException(file, "no such file. Pass a results directory, its leaderboard.csv or a"
                    + " reference table (results/reference/*.csv)");
        }
        List<String> header = CsvTable.header(file);
        if (LeaderboardRow.accepts(header)) {
            Path dir = file.toAbsolutePath().getParent();
            Leaderboard onFile = Leaderboard.read(file);
            if (Files.exists(dir.resolve(CellsCsv.FILE_NAME))) {
                return fromCells(dir, onFile);
            }
            ComparisonSide side = ofRun(file.toString(), onFile, null);
            List<String> warnings = new ArrayList<>(onFile.warnings());
            warnings.addAll(side.warnings());
            return new ComparisonSide(side.label(), side.entries(), warnings);
        }
        if (ReferenceRow.isHeader(header)) {
            return ofReference(file.toString(), ReferenceRow.read(file));
        }
        throw new ResultsFileException(file, "neither a leaderboard.csv nor a reference table"
                + "\n  found:       " + (header.isEmpty() ? "(no header)" : String.join(",", header))
                + "\n  leaderboard: " + String.join(",", LeaderboardRow.COLUMNS)
                + "\n  reference:   " + String.join(",", ReferenceRow.COLUMNS)
                + "\n  (for a run, pass its leaderboard.csv or its results directory)");
    }

    /**
     * A run's side rebuilt from {@code dir/cells.csv} (with the directory's current and known
     * configurations); {@code onFile}, the leaderboard.csv beside it when there is one, is only
     * checked against the rebuilt one.
     */
    private static ComparisonSide fromCells(Path dir, Leaderboard onFile) throws IOException {
        CellsCsv cells = CellsCsv.open(dir);
        Leaderboard board = Leaderboard.aggregate(cells.rows(), CurrentConfigs.read(dir),
                CurrentConfigs.history(dir), CurrentConfigs.codes(dir));
        List<String> warnings = new ArrayList<>(cells.warnings());
        Path file = dir.resolve(Leaderboard.FILE_NAME);
        if (onFile == null) {
            warnings.add(dir + " has no " + Leaderboard.FILE_NAME + "; compared from its " + CellsCsv.FILE_NAME);
        } else if (!keys(onFile).equals(keys(board))) {
            warnings.add(file + " does not match its cells.csv (stale, or written before configurations "
                    + "were told apart); compared from cells.csv");
        }
        ComparisonSide side = ofRun((onFile == null ? dir.resolve(CellsCsv.FILE_NAME).toString()
                : file + " (per seed from cells.csv)"), board, cells.rows());
        warnings.addAll(side.warnings());
        return new ComparisonSide(side.label(), side.entries(), warnings);
    }

    private static Set<ResultKey> keys(Leaderboard board) {
        return board.rows().stream().map(ResultKey::of).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A run: one entry per leaderboard row (configuration); values per seed (per seed and fold for
     * a fold row) from {@code cells} (ok rows of that configuration) when given, else the
     * leaderboard's summary, where the spread of max accuracies is unknown.
     */
    public static ComparisonSide ofRun(String label, Leaderboard board, List<CellResult> cells) {
        List<Entry> entries = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<ResultKey, List<CellResult>> ok = new TreeMap<>();
        if (cells != null) {
            Leaderboard.groups(cells, warnings).forEach((key, members) -> {
                List<CellResult> okCells = members.stream().filter(c -> c.status() == Status.OK)
                        .sorted(Comparator.comparingInt(CellResult::seed).thenComparingInt(CellResult::fold)).toList();
                if (!okCells.isEmpty()) {
                    ok.put(key, okCells);
                }
            });
        }
        for (LeaderboardRow row : board.rows()) {
            Map<Metric, Sample> samples = new EnumMap<>(Metric.class);
            if (cells == null) {
                samples.put(Metric.FINAL, Sample.summary(row.meanTestAccuracy(), row.stdTestAccuracy(), row.nSeeds()));
                samples.put(Metric.MAX_OVER_EPOCHS, Sample.summary(row.meanMaxTestAccuracy(),
                        row.nSeeds() == 1 ? 0.0 : Double.NaN, row.nSeeds()));
            } else {
                List<CellResult> reps = ok.getOrDefault(ResultKey.of(row), List.of());
                List<Integer> seedList = reps.stream().map(CellResult::seed).distinct().sorted().toList();
                if (!seedList.equals(row.seeds()) || reps.size() != row.nSeeds()) {
                    warnings.add(ResultKey.of(row) + ": cells.csv has " + reps.size() + " ok cells of seeds " + seedList
                            + ", leaderboard " + row.nSeeds() + " of " + row.seeds() + "; using cells.csv");
                }
                samples.put(Metric.FINAL, perUnit(reps, CellResult::testAccuracy));
                samples.put(Metric.MAX_OVER_EPOCHS, perUnit(reps, CellResult::maxTestAccuracy));
            }
            entries.add(new Entry(ResultKey.of(row), samples, "", row.current(), row.methodParams()));
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

    // A fold cell is one (seed, fold) repetition: pairing matches the same fold of the same seed.
    private static Sample perUnit(List<CellResult> cells, ToDoubleFunction<CellResult> metric) {
        return Sample.ofUnits(cells.stream().map(c -> "seed " + c.seed() + (c.fold() < 0 ? "" : " fold " + c.fold()))
                        .toList(),
                cells.stream().map(c -> metric.applyAsDouble(c)).toList());
    }
}
