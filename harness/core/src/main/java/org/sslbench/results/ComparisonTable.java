package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Views of a {@link Comparison}: an aligned text table, Markdown, and CSV with the same columns.
 * Text and Markdown show percent ({@code mean ± std (n)}); the CSV keeps accuracies as fractions,
 * like every results CSV, and the difference in points, as its column name says.
 */
public final class ComparisonTable {
    /**
     * comparison CSV header. A row only on one side has the other side's columns empty.
     * subset_kind is stratified or fold (empty when neither side says, e.g. two references);
     * a_config_id/b_config_id name the configuration of each side (empty for a reference), so two
     * rows of one key are told apart.
     */
    public static final List<String> CSV_COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "method", "subset_kind", "metric",
            "a_mean", "a_std", "a_n", "b_mean", "b_std", "b_n",
            "delta_points", "test", "threshold_points", "verdict", "a_source", "b_source", "a_config_id", "b_config_id");

    static final String ONLY_IN_A = "only in A";
    static final String ONLY_IN_B = "only in B";
    private static final List<String> HEADER = List.of(
            "dataset", "backbone", "protocol", "n_labels", "method", "subset", "metric", "A", "B", "Δ pts", "test",
            "verdict", "source", "config A", "config B");

    private ComparisonTable() {
    }

    public static String text(Comparison c) {
        StringBuilder out = new StringBuilder(legend(c));
        out.append('\n');
        out.append(c.rows().isEmpty() ? "no key on both sides\n" : TextTable.aligned(grid(c)));
        out.append(onlyIn(ONLY_IN_A, c.onlyInA(), "  "));
        out.append(onlyIn(ONLY_IN_B, c.onlyInB(), "  "));
        c.warnings().forEach(w -> out.append("warning: ").append(w).append('\n'));
        return out.toString();
    }

    public static String markdown(Comparison c) {
        StringBuilder out = new StringBuilder(legend(c).replace("\n", "  \n"));
        out.append('\n');
        out.append(c.rows().isEmpty() ? "No key on both sides.\n" : TextTable.markdown(grid(c)));
        out.append(onlyIn(ONLY_IN_A, c.onlyInA(), "- "));
        out.append(onlyIn(ONLY_IN_B, c.onlyInB(), "- "));
        c.warnings().forEach(w -> out.append("\nWarning: ").append(TextTable.escape(w)).append('\n'));
        return out.toString();
    }

    public static String csv(Comparison c) {
        List<List<String>> records = new ArrayList<>();
        for (ComparisonRow r : c.rows()) {
            NoiseTest.Judgement j = r.judgement();
            List<String> record = new ArrayList<>(keyColumns(r.key()));
            record.add(r.subsetKind());
            record.add(r.metric());
            record.addAll(sampleColumns(r.a()));
            record.addAll(sampleColumns(r.b()));
            record.addAll(List.of(CsvValues.number(points(j.delta())), j.test(), CsvValues.number(points(j.threshold())),
                    j.verdict().label(), r.sourceA(), r.sourceB(), r.key().configId(), r.keyB().configId()));
            records.add(record);
        }
        c.onlyInA().forEach(e -> records.add(onlyInRecord(e, true)));
        c.onlyInB().forEach(e -> records.add(onlyInRecord(e, false)));
        return CsvTable.render(CSV_COLUMNS, records);
    }

    public static void writeCsv(Comparison c, Path file) throws IOException {
        AtomicFiles.writeString(file, csv(c));
    }

    private static String legend(Comparison c) {
        return "A: " + c.labelA() + "\nB: " + c.labelB()
                + "\ntest accuracy %, mean ± std (n seeds); Δ = A − B in points; verdict: paired over common seeds "
                + "when both sides have ≥ 2, else unpaired; better/worse when |Δ| > 2 standard errors; "
                + "no spread (Δ not judged) when there is no noise estimate: one value per side, or a spread of 0\n";
    }

    private static List<List<String>> grid(Comparison c) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        for (ComparisonRow r : c.rows()) {
            NoiseTest.Judgement j = r.judgement();
            List<String> line = new ArrayList<>(keyColumns(r.key()));
            line.addAll(List.of(r.subsetKind().isEmpty() ? "-" : r.subsetKind(), r.metric(), sample(r.a()),
                    sample(r.b()), signedPoints(j.delta()) + note(NoiseTest.pairedOver(j, r.a(), r.b())), test(j),
                    j.verdict().label(),
                    String.join("; ", nonEmpty(r.sourceA(), r.sourceB())), config(r.key()), config(r.keyB())));
            lines.add(line);
        }
        return lines;
    }

    private static String onlyIn(String title, List<ComparisonSide.Entry> entries, String bullet) {
        StringBuilder out = new StringBuilder("\n").append(title).append(" (").append(entries.size()).append(")")
                .append(entries.isEmpty() ? ": none\n" : ":\n");
        for (ComparisonSide.Entry e : entries) {
            StringBuilder values = new StringBuilder();
            e.samples().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(m ->
                    values.append(values.length() == 0 ? "" : ", ").append(m.getKey().csv()).append(' ')
                            .append(sample(m.getValue())));
            out.append(bullet).append(e.key()).append(": ").append(values)
                    .append(e.source().isEmpty() ? "" : " [" + e.source() + "]").append('\n');
        }
        return out.toString();
    }

    private static List<String> onlyInRecord(ComparisonSide.Entry e, boolean inA) {
        List<String> record = new ArrayList<>(keyColumns(e.key()));
        Metric metric = e.metric(Metric.FINAL);
        record.add(e.key().subsetKind());
        record.add(metric.csv());
        List<String> present = sampleColumns(e.sample(metric));
        List<String> absent = List.of("", "", "");
        record.addAll(inA ? present : absent);
        record.addAll(inA ? absent : present);
        record.addAll(List.of("", "", "", inA ? ONLY_IN_A : ONLY_IN_B, inA ? e.source() : "", inA ? "" : e.source(),
                inA ? e.key().configId() : "", inA ? "" : e.key().configId()));
        return record;
    }

    private static String config(ResultKey k) {
        return k.configId().isEmpty() ? "-" : k.shortConfig();
    }

    private static List<String> keyColumns(ResultKey k) {
        return List.of(k.dataset(), k.backbone(), k.protocol(), CsvValues.number(k.nLabels()), k.method());
    }

    private static List<String> sampleColumns(Sample s) {
        return List.of(CsvValues.number(s.mean()), CsvValues.number(s.std()), CsvValues.number(s.n()));
    }

    /** {@code 47.10 ± 1.20 (3)}; {@code 46.61 (1)} for one value; {@code ± ?} for an unknown spread. */
    static String sample(Sample s) {
        if (!s.hasValue()) {
            return "no value";
        }
        String mean = String.format(Locale.ROOT, "%.2f", 100 * s.mean());
        if (s.n() == 1) {
            return mean + " (1)";
        }
        String std = Double.isNaN(s.std()) ? "?" : String.format(Locale.ROOT, "%.2f", 100 * s.std());
        return mean + " ± " + std + " (" + s.n() + ")";
    }

    private static String test(NoiseTest.Judgement j) {
        if (j.test().isEmpty()) {
            return "-";
        }
        if (Double.isNaN(j.threshold())) {
            return j.test() + " sd 0"; // paired differences all equal: no band
        }
        return j.test() + String.format(Locale.ROOT, " ±%.2f", 100 * j.threshold());
    }

    /** {@code  (text)}, or empty for empty text. */
    private static String note(String text) {
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    private static String signedPoints(double delta) {
        return Double.isNaN(delta) ? "-" : String.format(Locale.ROOT, "%+.2f", 100 * delta);
    }

    // Rounded to 1e-6 points: beyond that the digits are float noise of the subtraction.
    private static double points(double fraction) {
        return Double.isNaN(fraction) ? fraction : Math.round(fraction * 1e8) / 1e6;
    }

    private static List<String> nonEmpty(String... values) {
        return Arrays.stream(values).filter(v -> !v.isEmpty()).toList();
    }
}
