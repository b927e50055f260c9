package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two result tables joined on dataset × backbone × protocol × n_labels × method, each joined key
 * judged by {@link NoiseTest}. Keys on one side only are kept in {@link #onlyInA}/{@link #onlyInB}:
 * a comparison that silently drops rows reads as "everything matched".
 *
 * <p>The metric follows the published number: a reference row that reports the best epoch
 * ({@code max_over_epochs}) is compared with the run's max_test_accuracy, otherwise final
 * test accuracy is compared.
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
        byKeyA.forEach((key, entriesA) -> {
            List<ComparisonSide.Entry> entriesB = byKeyB.get(key);
            if (entriesB == null) {
                onlyInA.addAll(entriesA);
                return;
            }
            for (ComparisonSide.Entry ea : entriesA) {
                for (ComparisonSide.Entry eb : entriesB) {
                    rows.add(row(key, ea, eb));
                }
            }
        });
        List<ComparisonSide.Entry> onlyInB = new ArrayList<>();
        byKeyB.forEach((key, entriesB) -> {
            if (!byKeyA.containsKey(key)) {
                onlyInB.addAll(entriesB);
            }
        });
        List<String> warnings = new ArrayList<>();
        a.warnings().forEach(w -> warnings.add("A: " + w));
        b.warnings().forEach(w -> warnings.add("B: " + w));
        return new Comparison(a.label(), b.label(), rows, onlyInA, onlyInB, warnings);
    }

    private static ComparisonRow row(ResultKey key, ComparisonSide.Entry a, ComparisonSide.Entry b) {
        Metric wanted = a.fixedMetric() ? a.metric(Metric.FINAL) : b.fixedMetric() ? b.metric(Metric.FINAL) : Metric.FINAL;
        Metric metricA = a.metric(wanted);
        Metric metricB = b.metric(wanted);
        String metric = metricA == metricB ? metricA.csv() : metricA.csv() + " vs " + metricB.csv();
        Sample sa = a.sample(wanted);
        Sample sb = b.sample(wanted);
        return new ComparisonRow(key, metric, sa, sb, a.source(), b.source(), NoiseTest.judge(sa, sb));
    }

    // Sorted by key; a key's entries keep file order.
    private static Map<ResultKey, List<ComparisonSide.Entry>> byKey(ComparisonSide side) {
        Map<ResultKey, List<ComparisonSide.Entry>> map = new TreeMap<>();
        side.entries().forEach(e -> map.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        return map;
    }
}
