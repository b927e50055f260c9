package org.sslbench.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated benchmark spec: the matrix datasets × backbones × methods × label counts × seeds,
 * the pretext settings and the downstream protocols. Built only by {@link SpecLoader}.
 *
 * @param file        the YAML file (or {@code <embedded default>})
 * @param name        results go to {@code results/<name>/} unless {@code output.dir} says otherwise
 * @param description free text; empty when the spec has none
 * @param protocols   protocol name (finetune, linear, knn) → its settings, in spec order
 * @param outputDir   where cells.csv and leaderboard.csv go; null = results/&lt;name&gt;
 * @param pluginsDir  extra plugin jars; null = none
 * @param dataDir     dataset files; null = each dataset's default location
 * @param presets     pretraining method → the preset it took ({@code small}, {@code imagenet}, or
 *                    {@code none} for the harness defaults), in spec order (README "Method presets");
 *                    provenance only: the preset's values are in each method's params and pretext
 * @param notes       how the reader read the spec where it is worth telling (a renamed param's old key
 *                    read as the new one, with file and line), printed by validate and bench; not hashed
 */
public record Spec(String file, String name, String description,
                   List<DatasetRef> datasets, List<String> backbones, List<MethodSpec> methods,
                   LabelSpec labels, List<Integer> seeds, Map<String, ProtocolSpec> protocols,
                   Preprocess preprocess, Path outputDir, Path pluginsDir, Path dataDir,
                   Map<String, String> presets, List<String> notes) {
    public Spec {
        presets = presets == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(presets));
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A spec without reading notes. */
    public Spec(String file, String name, String description, List<DatasetRef> datasets, List<String> backbones,
                List<MethodSpec> methods, LabelSpec labels, List<Integer> seeds, Map<String, ProtocolSpec> protocols,
                Preprocess preprocess, Path outputDir, Path pluginsDir, Path dataDir, Map<String, String> presets) {
        this(file, name, description, datasets, backbones, methods, labels, seeds, protocols, preprocess, outputDir,
                pluginsDir, dataDir, presets, List.of());
    }
}
