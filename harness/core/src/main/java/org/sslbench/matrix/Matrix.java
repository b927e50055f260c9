package org.sslbench.matrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sslbench.spec.DatasetRef;
import org.sslbench.spec.MethodSpec;
import org.sslbench.spec.Spec;

/** Expands a spec into its pretext groups and cells, in the one order runs and reports use. */
public final class Matrix {
    private Matrix() {
    }

    /**
     * Groups ordered by dataset, backbone, method (all in spec order) and seed (spec order); cells
     * within a group by protocol (spec order), then label count ascending.
     *
     * @param labelCountsPerDataset dataset name → absolute label counts, as
     *                              {@link org.sslbench.spec.SpecValidator#labelCounts} resolves them
     */
    public static List<PretextGroup> expand(Spec spec, Map<String, int[]> labelCountsPerDataset) {
        return expand(spec, labelCountsPerDataset, Map.of());
    }

    /** As {@link #expand(Spec, Map)}, plus one cell per predefined fold of the datasets in {@code foldSizes}. */
    public static List<PretextGroup> expand(Spec spec, Map<String, int[]> labelCountsPerDataset,
                                            Map<String, int[]> foldSizes) {
        List<PretextGroup> groups = new ArrayList<>();
        for (DatasetRef dataset : spec.datasets()) {
            int[] folds = foldSizes.getOrDefault(dataset.name(), new int[0]);
            int[] nLabels = folds.length > 0 && labelCountsPerDataset.get(dataset.name()).length == 0 ? new int[0]
                    : ascendingDistinct(dataset.name(), labelCountsPerDataset.get(dataset.name()));
            for (String backbone : spec.backbones()) {
                for (MethodSpec method : spec.methods()) {
                    for (int seed : spec.seeds()) {
                        groups.add(new PretextGroup(method, dataset, backbone, seed, spec.preprocess(),
                                spec.protocols().values(), nLabels, folds));
                    }
                }
            }
        }
        return List.copyOf(groups);
    }

    /**
     * What the matrix leaves out of {@code spec} on purpose, one line each for validate and bench
     * to print: a method whose features are the pixels gets no cells of the protocols that train
     * an encoder (finetune, supcon, fixmatch); and which preset each pretraining method took (README "Method
     * presets"; {@code none} included); and the spec reader's own notes ({@link Spec#notes}: a renamed
     * param's old key read as the new one). Empty when every method runs every protocol and none pretrains.
     */
    public static List<String> notes(Spec spec) {
        List<String> out = new ArrayList<>(spec.notes());
        if (!spec.presets().isEmpty()) {
            List<String> taken = new ArrayList<>();
            spec.presets().forEach((method, preset) -> taken.add(method + " " + preset));
            out.add("presets: " + String.join(", ", taken) + " (each value and its source: make list METHOD=<name>;"
                    + " the merged settings: validate)");
        }
        for (MethodSpec method : spec.methods()) {
            List<String> skipped = spec.protocols().values().stream().filter(p -> !method.runs(p))
                    .map(org.sslbench.spec.ProtocolSpec::name).toList();
            if (!skipped.isEmpty()) {
                List<String> kept = spec.protocols().values().stream().filter(method::runs)
                        .map(org.sslbench.spec.ProtocolSpec::name).toList();
                out.add(method.name() + ": " + String.join(", ", kept) + " only, no " + String.join(", ", skipped)
                        + " cells (its features are the raw normalised pixels; there is no encoder to "
                        + (skipped.equals(List.of("finetune")) ? "fine-tune" : "train") + ")");
            }
        }
        return out;
    }

    /**
     * Each pretraining method's effective params and pretext settings, its preset merged with the
     * spec's keys, one line per method in the {@code key=value;...} form of configs.csv's
     * {@code settings} (what {@code validate} prints before anything runs).
     */
    public static List<String> pretextSettings(Spec spec) {
        List<String> out = new ArrayList<>();
        for (MethodSpec m : spec.methods()) {
            if (m.pretext() == null) {
                continue;
            }
            Map<String, String> flat = org.sslbench.matrix.ConfigHash.flatten(Map.of("params", m.params(), "pretext", m.pretext()));
            List<String> pairs = new ArrayList<>();
            flat.forEach((k, v) -> pairs.add(k + "=" + v));
            out.add(m.name() + " (preset " + spec.presets().getOrDefault(m.name(), org.sslbench.spec.Presets.NONE) + "): "
                    + String.join(";", pairs));
        }
        return out;
    }

    /** Every cell of {@code groups}, in order. */
    public static List<Cell> cells(List<PretextGroup> groups) {
        return groups.stream().flatMap(g -> g.cells().stream()).toList();
    }

    private static int[] ascendingDistinct(String dataset, int[] counts) {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("no label counts for dataset " + dataset);
        }
        int[] out = Arrays.stream(counts).distinct().sorted().toArray();
        if (out[0] <= 0) {
            throw new IllegalArgumentException("label counts must be positive for dataset " + dataset + ": "
                    + Arrays.toString(counts));
        }
        return out;
    }
}
