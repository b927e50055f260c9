package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;

/** model-card.md and model-card.json state the same provenance: every jar with its content hash. */
class ModelCardTest {
    @Test
    void theMarkdownCardNamesEveryJarAndHashTheJsonCardHas() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("method", "rotation");
        meta.put("backbone", "small-cnn");
        meta.put("dataset", "my-images");
        meta.put("sslbench_version", "1.2.3");
        meta.put("git_commit", "abc1234");
        meta.put("method_source", "plugins/rotation-1.0.jar");
        meta.put("method_source_sha256", "m".repeat(64));
        meta.put("backbone_source", "sslbench-core.jar");
        meta.put("backbone_source_sha256", "b".repeat(64));
        meta.put("dataset_source", "image folder");
        meta.put("dataset_source_sha256", "d".repeat(64));
        ModelCard card = new ModelCard("mine", "f00d", "pretext/f00d.ckpt", "c".repeat(64), meta, new ImageShape(8, 8, 3),
                128, "standardize", "my-images", List.of());
        JsonObject provenance = JsonParser.parseString(card.json()).getAsJsonObject().getAsJsonObject("provenance");
        assertEquals(12, provenance.size(), provenance.toString());
        String md = card.markdown();
        for (String key : provenance.keySet()) {
            assertTrue(md.contains(provenance.get(key).getAsString()), key + " missing from model-card.md:\n" + md);
        }
        assertTrue(md.contains("- method: plugins/rotation-1.0.jar (SHA-256 `" + "m".repeat(64) + "`)"), md);
        assertTrue(md.contains("- backbone: sslbench-core.jar (SHA-256 `" + "b".repeat(64) + "`)"), md);
        // the pretext's precision (issue 16): fp32 for checkpoints from before it was recorded
        assertEquals("fp32", JsonParser.parseString(card.json()).getAsJsonObject().getAsJsonObject("encoder")
                .get("precision").getAsString());
        assertTrue(md.contains(", precision fp32\n"), md);
        meta.put("precision", "bf16");
        ModelCard bf16 = new ModelCard("mine", "f00d", "pretext/f00d.ckpt", "c".repeat(64), meta, new ImageShape(8, 8, 3),
                128, "standardize", "my-images", List.of());
        assertEquals("bf16", JsonParser.parseString(bf16.json()).getAsJsonObject().getAsJsonObject("encoder")
                .get("precision").getAsString());
        assertTrue(bf16.markdown().contains(", precision bf16\n"), bf16.markdown());
    }
}
