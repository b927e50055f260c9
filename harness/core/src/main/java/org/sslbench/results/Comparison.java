package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two result tables joined on dataset × backbone × protocol × n_labels × method × subset kind
 * (one row per pair of configurations; see {@link #of(ComparisonSide, ComparisonSide)}), each
 * joined pair judged by {@link NoiseTest}. Keys on one side only are kept in {@link #onlyInA}/{@link #onlyInB}:
 * a comparison that silently drops rows reads as "everything matched".
 *
 * <p>The metric follows the published number: a reference row that reports the best epoch
 * ({@code max_over_epochs}) is compared with the run's test-selected max accuracy (leaderboard
 * {@code mean_test_selected_max_accuracy}, per seed cells.csv {@code test_selected_max_accuracy}), a {@code final}
 * one with its final test accuracy ({@code mean_test_accuracy} / {@code test_accuracy}); two
 * runs are compared on final accuracy. Two numbers of different metrics are never compared: a
 * reference row with no counterpart of its metric on the other side is listed as on one side only,
 * and a warning says so. A run that scored the test split only once has no max over epochs
 * (empty {@code test_selected_max_accuracy}): its row shows "no value" and a warning says why.
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

    /**
     * Joins each entry of A with each entry of B that {@link ResultKey#joins} it: same dataset,
     * backbone, protocol, n_labels and method, and the same subset kind where both sides know it.
     * A side never pools: each of its configurations is its own entry, so a side holding two
     * configurations of one key (a rerun after a param change, stratified subsets next to
     * predefined folds under a reference that does not say which) gives one row each, and a
     * warning names them.
     */
    public static Comparison of(ComparisonSide a, ComparisonSide b) {
        List<ComparisonSide.Entry> entriesA = sorted(a);
        List<ComparisonSide.Entry> entriesB = sorted(b);
        List<ComparisonRow> rows = new ArrayList<>();
        List<ComparisonSide.Entry> onlyInA = new ArrayList<>();
        // Identity, not equality: two reference rows may hold equal values.
        Set<ComparisonSide.Entry> paired = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> notes = new ArrayList<>();
        for (ComparisonSide.Entry ea : entriesA) {
            for (ComparisonSide.Entry eb : entriesB) {
                if (!ea.key().joins(eb.key())) {
                    continue;
                }
                Metric metric = metric(ea, eb);
                if (metric != null) {
                    rows.add(row(metric, ea, eb));
                    paired.add(ea);
                    paired.add(eb);
                    notes.addAll(maxNotes(metric, "A", ea, eb));
                    notes.addAll(maxNotes(metric, "B", eb, ea));
                } else {
                    // Two published numbers of one key but different metrics: said, never compared.
                    notes.add(ea.key() + ": A reports " + ea.metric(Metric.FINAL).csv() + describeSource(ea) + ", B "
                            + eb.metric(Metric.FINAL).csv() + describeSource(eb) + ": different metrics, not compared"
                            + " (listed on one side only)");
                }
            }
        }
        entriesA.stream().filter(e -> !paired.contains(e)).forEach(onlyInA::add);
        List<ComparisonSide.Entry> onlyInB = entriesB.stream().filter(e -> !paired.contains(e)).toList();
        List<String> warnings = new ArrayList<>();
        a.warnings().forEach(w -> warnings.add("A: " + w));
        b.warnings().forEach(w -> warnings.add("B: " + w));
        warnings.addAll(ambiguities("A", entriesA, entriesB));
        warnings.addAll(ambiguities("B", entriesB, entriesA));
        notes.stream().distinct().forEach(warnings::add);
        warnings.addAll(didYouMean("A", onlyInA, entriesB));
        warnings.addAll(didYouMean("B", onlyInB, entriesA));
        return new Comparison(a.label(), b.label(), rows, onlyInA, onlyInB, warnings);
    }

    /**
     * Where one entry of {@code other} meets more than one configuration of {@code side}: said,
     * because the rows are then not one comparison but several, each with its config id.
     */
    private static List<String> ambiguities(String name, List<ComparisonSide.Entry> side,
                                            List<ComparisonSide.Entry> other) {
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (ComparisonSide.Entry o : other) {
            List<ComparisonSide.Entry> met = side.stream().filter(e -> e.key().joins(o.key())).toList();
            if (met.stream().map(e -> e.key().subsetKind() + "/" + e.key().configId()).distinct().count() < 2) {
                continue;
            }
            String what = o.key().scope() + (o.key().subsetKind().isEmpty() ? "" : " (" + o.key().subsetKind() + ")");
            seen.computeIfAbsent(what, k -> met.stream().map(e -> describe(e)).distinct().toList());
        }
        List<String> out = new ArrayList<>();
        seen.forEach((what, configs) -> out.add(name + " holds " + configs.size() + " configurations of " + what
                + ": compared separately, not pooled: " + String.join("; ", configs)));
        return out;
    }

    /**
     * Keys on one side only that equal a key of the other side but for letter case (dataset,
     * backbone, protocol, method): almost always a typo ({@code STL10} for {@code stl10}), which
     * would otherwise only move a row to "only in".
     */
    private static List<String> didYouMean(String name, List<ComparisonSide.Entry> only, List<ComparisonSide.Entry> other) {
        List<String> out = new ArrayList<>();
        for (ComparisonSide.Entry e : only) {
            ResultKey k = e.key().scope();
            other.stream().map(o -> o.key().scope())
                    .filter(o -> !o.equals(k) && o.nLabels() == k.nLabels() && o.dataset().equalsIgnoreCase(k.dataset())
                            && o.backbone().equalsIgnoreCase(k.backbone()) && o.protocol().equalsIgnoreCase(k.protocol())
                            && o.method().equalsIgnoreCase(k.method()))
                    .findFirst()
                    .ifPresent(o -> out.add(name + " has " + k + describeSource(e) + ", which matches no key of the other side"
                            + " exactly: did you mean " + o + "? Keys are compared case-sensitively (dataset, backbone,"
                            + " protocol and method names are lower case)"));
        }
        return out.stream().distinct().toList();
    }

    private static String describeSource(ComparisonSide.Entry e) {
        return e.source().isEmpty() ? "" : " [" + e.source() + "]";
    }

    /**
     * Why a run's side of a {@code max_over_epochs} comparison is not a max over epochs: it has no
     * value because the test split was scored only once, or (results written before that was
     * recorded as empty) every seed's max equals its final accuracy.
     */
    private static List<String> maxNotes(Metric metric, String name, ComparisonSide.Entry run, ComparisonSide.Entry other) {
        if (metric != Metric.MAX_OVER_EPOCHS || run.fixedMetric() || !run.has(Metric.FINAL)) {
            return List.of();
        }
        Sample max = run.sample(Metric.MAX_OVER_EPOCHS);
        Sample fin = run.sample(Metric.FINAL);
        String what = name + ": " + run.key() + describeSource(other).replace(" [", " vs [");
        if (!max.hasValue() && fin.hasValue()) {
            return List.of(what + ": no max_over_epochs value: the run scored the test split only once (after the"
                    + " final epoch: eval_every 0, the default, or one epoch; selection: labelled, which scores it once"
                    + " after the epoch chosen on the labelled subset; kNN has no epochs), so it has no best epoch"
                    + " to compare with a max_over_epochs number; set the protocol's selection: fixed and eval_every"
                    + " (e.g. 1) and rerun to measure it, or compare with a final reference row");
        }
        boolean equal = max.hasValue() && fin.hasValue() && max.n() == fin.n()
                && (max.values().isEmpty() ? max.mean() == fin.mean() : max.values().equals(fin.values()));
        if (equal) {
            return List.of(what + ": " + CellResult.TEST_SELECTED + " equals test_accuracy on every seed: if the run scored only the"
                    + " final epoch (eval_every 0; results written by an sslbench that recorded the final accuracy"
                    + " as the max), this is no max over epochs and the comparison is not like for like; rerun with"
                    + " eval_every set to measure it");
        }
        return List.of();
    }

    private static String describe(ComparisonSide.Entry e) {
        List<String> parts = new ArrayList<>();
        parts.add(e.key().subsetKind().isEmpty() ? "subset kind unknown" : e.key().subsetKind());
        if (!e.methodParams().isEmpty()) {
            parts.add(e.methodParams());
        }
        if (LeaderboardRow.NOT_CURRENT.equals(e.current())) {
            parts.add("not in the current spec");
        } else if (LeaderboardRow.CURRENT.equals(e.current())) {
            parts.add("current");
        }
        return "config_id " + (e.key().configId().isEmpty() ? "unknown" : e.key().configId())
                + " (" + String.join(", ", parts) + ")";
    }

    // By key (scope, subset kind, config id); entries of one key keep file order (stable sort).
    private static List<ComparisonSide.Entry> sorted(ComparisonSide side) {
        List<ComparisonSide.Entry> out = new ArrayList<>(side.entries());
        out.sort(java.util.Comparator.comparing(ComparisonSide.Entry::key));
        return out;
    }

    /**
     * The metric two entries of one key are compared on: a reference's own metric (when the other
     * side has it too), final accuracy for two runs; {@code null} when they share none.
     */
    static Metric metric(ComparisonSide.Entry a, ComparisonSide.Entry b) {
        Metric wanted = a.fixedMetric() ? a.metric(Metric.FINAL) : b.fixedMetric() ? b.metric(Metric.FINAL) : Metric.FINAL;
        return a.has(wanted) && b.has(wanted) ? wanted : null;
    }

    private static ComparisonRow row(Metric metric, ComparisonSide.Entry a, ComparisonSide.Entry b) {
        Sample sa = a.sample(metric);
        Sample sb = b.sample(metric);
        return new ComparisonRow(a.key(), b.key(), metric.csv(), sa, sb, a.source(), b.source(), NoiseTest.judge(sa, sb));
    }
}
