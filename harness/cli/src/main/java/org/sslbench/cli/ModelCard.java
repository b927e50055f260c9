package org.sslbench.cli;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sslbench.data.ImageShape;
import org.sslbench.results.CellResult;
import org.sslbench.results.Status;
import org.sslbench.transfer.SavedModelExport;

/**
 * The model card written beside an exported encoder (model-card.md for people, model-card.json
 * for scripts): what the encoder is (method and params, backbone, pretext dataset and settings),
 * its interface (input and output tensors, the normalisation inside), where it comes from (spec,
 * pretext hash, checkpoint SHA-256, code identity from the checkpoint) and how well it did (every
 * completed cell of cells.csv evaluated on this pretext run).
 *
 * @param checkpointMeta the checkpoint's metadata (method, params, dataset, backbone, seed, epochs,
 *                       final_loss, code identity keys)
 * @param cells          rows of cells.csv with this pretext hash (any status; only ok ones are listed)
 */
record ModelCard(String spec, String pretextHash, String checkpoint, String checkpointSha256,
                 Map<String, String> checkpointMeta, ImageShape shape, int featureDim, String normalize,
                 String normalizeDataset, List<CellResult> cells) {

    /** The card as JSON (keys in a fixed order). */
    String json() {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("format", "tensorflow-savedmodel");
        card.put("tag", org.sslbench.transfer.EncoderWeights.TAG);
        card.put("signature", SavedModelExport.SIGNATURE);
        card.put("input", Map.of("name", SavedModelExport.INPUT, "dtype", "float32",
                "shape", List.of(-1, shape.height(), shape.width(), shape.channels()),
                "range", "[0, 1] (pixel / 255), channels last"));
        card.put("output", Map.of("name", SavedModelExport.OUTPUT, "dtype", "float32", "shape", List.of(-1, featureDim)));
        card.put("normalization", Map.of("mode", normalize, "statistics_from", normalizeDataset + " labelled training images",
                "in_graph", true));
        Map<String, Object> encoder = new LinkedHashMap<>();
        for (String k : List.of("method", "params", "backbone", "dataset", "seed", "epochs", "final_loss")) {
            encoder.put(k, checkpointMeta.getOrDefault(k, ""));
        }
        // The pool the pretext trained on: the evaluation dataset's own, or another's (pretext.dataset).
        encoder.put("pretext_dataset", pretextDataset());
        // The pretext session's effective precision (checkpoints from before issue 16: fp32).
        encoder.put("precision", checkpointMeta.getOrDefault("precision", "fp32"));
        if (checkpointMeta.containsKey("pretext_pool")) {
            encoder.put("pretext_pool", checkpointMeta.get("pretext_pool"));
        }
        card.put("encoder", encoder);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("spec", spec);
        provenance.put("pretext_hash", pretextHash);
        provenance.put("checkpoint", checkpoint);
        provenance.put("checkpoint_sha256", checkpointSha256);
        provenance.putAll(codeProvenance());
        card.put("provenance", provenance);
        List<Map<String, Object>> acc = new ArrayList<>();
        for (CellResult r : ok()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("protocol", r.protocol());
            row.put("n_labels", r.nLabels());
            row.put("subset_kind", r.subsetKind());
            row.put("test_accuracy", r.testAccuracy());
            row.put("precision", r.precision());
            row.put("config_hash", r.configHash());
            acc.add(row);
        }
        card.put("accuracy", acc);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(card) + "\n";
    }

    /** The card as Markdown. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        String method = checkpointMeta.getOrDefault("method", "?");
        md.append("# ").append(method).append(" encoder (").append(checkpointMeta.getOrDefault("backbone", "?"))
                .append(", ").append(checkpointMeta.getOrDefault("dataset", "?")).append(", seed ")
                .append(checkpointMeta.getOrDefault("seed", "?")).append(")\n\n");
        md.append("A TensorFlow SavedModel written by `sslbench export`.\n\n## Interface\n\n");
        md.append(String.format(Locale.ROOT, "- tag `%s`, signature `%s`%n", org.sslbench.transfer.EncoderWeights.TAG,
                SavedModelExport.SIGNATURE));
        md.append(String.format(Locale.ROOT, "- input `%s`: float32 [N, %d, %d, %d], pixels in [0, 1] (value / 255),"
                + " channels last%n", SavedModelExport.INPUT, shape.height(), shape.width(), shape.channels()));
        md.append(String.format(Locale.ROOT, "- output `%s`: float32 [N, %d], the encoder's features (BatchNorm in"
                + " inference mode)%n", SavedModelExport.OUTPUT, featureDim));
        md.append("- normalisation inside the graph: `").append(normalize).append("`, statistics of the ")
                .append(normalizeDataset).append(" labelled training images (feed raw pixels)\n\n");
        md.append("## Training\n\n");
        md.append("- method: ").append(method).append(", params ").append(checkpointMeta.getOrDefault("params", "{}"))
                .append('\n');
        md.append("- pretext: ").append(checkpointMeta.getOrDefault("epochs", "?")).append(" epochs on ")
                .append(checkpointMeta.containsKey("pretext_pool") ? "the pool of " + pretextDataset() + " ("
                        + checkpointMeta.get("pretext_pool") + "), evaluated on " + checkpointMeta.getOrDefault("dataset", "?")
                        : checkpointMeta.getOrDefault("dataset", "?")).append(", final loss ")
                .append(checkpointMeta.getOrDefault("final_loss", "?")).append(", precision ")
                .append(checkpointMeta.getOrDefault("precision", "fp32")).append('\n');
        md.append("\n## Provenance\n\n");
        md.append("- spec: ").append(spec).append(", pretext hash `").append(pretextHash).append("`\n");
        md.append("- checkpoint: ").append(checkpoint).append(" (SHA-256 `").append(checkpointSha256).append("`)\n");
        md.append("- code: sslbench ").append(checkpointMeta.getOrDefault("sslbench_version", "?")).append(", commit ")
                .append(checkpointMeta.getOrDefault("git_commit", "?")).append('\n');
        // Every jar with its content hash, as in model-card.json: a path alone does not say which build it was.
        Map<String, String> code = codeProvenance();
        for (Map.Entry<String, String> e : code.entrySet()) {
            String key = e.getKey();
            if (key.endsWith("_source")) {
                md.append("- ").append(key.substring(0, key.length() - "_source".length())).append(": ").append(e.getValue())
                        .append(" (SHA-256 `").append(code.getOrDefault(key + "_sha256", "?")).append("`)\n");
            } else if (key.endsWith("_sha256") && !code.containsKey(key.substring(0, key.length() - "_sha256".length()))) {
                md.append("- ").append(key).append(": `").append(e.getValue()).append("`\n");
            }
        }
        md.append("\n## Accuracy (cells.csv)\n\n");
        List<CellResult> ok = ok();
        if (ok.isEmpty()) {
            md.append("No completed cell of this encoder in cells.csv.\n");
        } else {
            md.append("| protocol | labels | subset | test accuracy |\n|---|---:|---|---:|\n");
            for (CellResult r : ok) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f |%n", r.protocol(), r.nLabels(), r.subsetKind(),
                        r.testAccuracy()));
            }
        }
        md.append("\nLoad it again in sslbench: `methods: [{name: pretrained, params: {weights: <this directory>}}]`.\n");
        return md.toString();
    }

    /**
     * The code identity from the checkpoint's metadata, in both cards: sslbench version, commit,
     * and each jar ({@code method_source}, {@code backbone_source}, {@code dataset_source}) with
     * its SHA-256 ({@code <key>_sha256}).
     */
    private Map<String, String> codeProvenance() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : checkpointMeta.entrySet()) {
            if (e.getKey().endsWith("_source") || e.getKey().endsWith("_sha256") || e.getKey().equals("git_commit")
                    || e.getKey().equals("sslbench_version")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** The dataset whose unlabeled pool the pretext trained on (checkpoint pretext_dataset, else its dataset). */
    private String pretextDataset() {
        return checkpointMeta.getOrDefault("pretext_dataset", checkpointMeta.getOrDefault("dataset", ""));
    }

    private List<CellResult> ok() {
        return cells.stream().filter(r -> r.status() == Status.OK)
                .sorted(java.util.Comparator.comparing(CellResult::protocol).thenComparingInt(CellResult::nLabels)
                        .thenComparingInt(CellResult::fold))
                .toList();
    }
}
