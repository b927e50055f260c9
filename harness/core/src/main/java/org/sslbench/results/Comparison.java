package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two result tables joined on dataset × backbone × protocol × n_labels × method, each joined key
 * judged by {@link NoiseTest}. Keys on one side only are kept in {@link #onlyInA}/{@link #onlyInB}:
 * a comparison that silently drops rows reads as "everything matched".
 *
 * <p>The metric follows the published number: a reference row that reports the best epoch
 * ({@code max_over_epochs}) is compared with the run's max test accuracy (leaderboard
 * {@code mean_max_test_accuracy}, per seed cells.csv {@code max_test_accuracy}), a {@code final}
 * one with its final test accuracy ({@code mean_test_accuracy} / {@code test_accuracy}); two
 * runs are compared on final accuracy. Two numbers of different metrics are never compared: a
 * reference row with no counterpart of its metric on the other side is listed as on one side only.
 */
public record Comparison(String labelA, String labelB, List<ComparisonRow> rows,
                         List<ComparisonSide.Entry> onlyInA, List<ComparisonSide.Entry> onlyInB,
                         List<String> warnings) {

    public Comparison {
        rows = List.copyOf(rows);
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
        warnings = List.copyOf(warnings);
    }

    /** Reads both files ({@link ComparisonSide#read}) and compares them. */
    public static Comparison of(Path a, Path b) throws IOException {
        return of(ComparisonSide.read(a), ComparisonSide.read(b));
    }

    public static Comparison of(ComparisonSide a, ComparisonSide b) {
        Map<ResultKey, List<ComparisonSide.Entry>> byKeyA = byKey(a);
        Map<ResultKey, List<ComparisonSide.Entry>> byKeyB = byKey(b);
        List<ComparisonRow> rows = new ArrayList<>();
        List<ComparisonSide.Entry> onlyInA = new ArrayList<>();
        // Identity, not equality: two reference rows may hold equal values.
        Set<ComparisonSide.Entry> paired = Collections.newSetFromMap(new IdentityHashMap<>());
        byKeyA.forEach((key, entriesA) -> {
            List<ComparisonSide.Entry> entriesB = byKeyB.get(key);
            if (entriesB == null) {
                onlyInA.addAll(entriesA);
                return;
            }
            for (ComparisonSide.Entry ea : entriesA) {
                for (ComparisonSide.Entry eb : entriesB) {
                    Metric metric = metric(ea, eb);
                    if (metric != null) {
                        rows.add(row(key, metric, ea, eb));
                        paired.add(ea);
                        paired.add(eb);
                    }
                }
            }
            entriesA.stream().filter(e -> !paired.contains(e)).forEach(onlyInA::add);
        });
        List<ComparisonSide.Entry> onlyInB = new ArrayList<>();
        byKeyB.forEach((key, entriesB) -> entriesB.stream().filter(e -> !paired.contains(e)).forEach(onlyInB::add));
        List<String> warnings = new ArrayList<>();
        a.warnings().forEach(w -> warnings.add("A: " + w));
        b.warnings().forEach(w -> warnings.add("B: " + w));
        return new Comparison(a.label(), b.label(), rows, onlyInA, onlyInB, warnings);
    }

    /**
     * The metric two entries of one key are compared on: a reference's own metric (when the other
     * side has it too), final accuracy for two runs; {@code null} when they share none.
     */
    static Metric metric(ComparisonSide.Entry a, ComparisonSide.Entry b) {
        Metric wanted = a.fixedMetric() ? a.metric(Metric.FINAL) : b.fixedMetric() ? b.metric(Metric.FINAL) : Metric.FINAL;
        return a.has(wanted) && b.has(wanted) ? wanted : null;
    }

    private static ComparisonRow row(ResultKey key, Metric metric, ComparisonSide.Entry a, ComparisonSide.Entry b) {
        Sample sa = a.sample(metric);
        Sample sb = b.sample(metric);
        return new ComparisonRow(key, metric.csv(), sa, sb, a.source(), b.source(), NoiseTest.judge(sa, sb));
    }

    // Sorted by key; a key's entries keep file order.
    private static Map<ResultKey, List<ComparisonSide.Entry>> byKey(ComparisonSide side) {
        Map<ResultKey, List<ComparisonSide.Entry>> map = new TreeMap<>();
        side.entries().forEach(e -> map.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        return map;
    }
}
