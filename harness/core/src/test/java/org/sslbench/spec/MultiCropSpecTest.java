package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.method.Param;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.train.Augmenter;

/**
 * The multi-crop augmentation keys in specs: {@code size}, {@code crop_max}, {@code count}; view
 * counts and default pipelines that follow the method's params; errors with their line.
 */
class MultiCropSpecTest {
    private static final Map<String, Object> GLOBAL = Map.of("crop", 0.14, "hflip", true);
    private static final java.util.function.IntFunction<Map<String, Object>> LOCAL = n -> Map.of("crop", 0.05, "crop_max", 0.4,
            "size", 0.5, "count", n);

    /**
     * FakeCatalog with the real augmentation keys, where {@code rotation} is a multi-crop method:
     * 2 global views plus 2 local ones, or 4 local ones with {@code all_four: true}; its own
     * pipelines follow (the local one's count is the local view count).
     */
    static final Catalog CATALOG = new MultiCropCatalog(null);

    private static final class MultiCropCatalog implements Catalog {
        private final FakeCatalog fake = new FakeCatalog();
        private final String presets;
        /** As DINO and SwAV: 2 global views by default, 2 more local ones with {@code all_four: true}. */
        private final boolean localsOnlyWithParam;

        MultiCropCatalog(String presets) {
            this(presets, false);
        }

        MultiCropCatalog(String presets, boolean localsOnlyWithParam) {
            this.presets = presets;
            this.localsOnlyWithParam = localsOnlyWithParam;
        }

        @Override
        public PresetFile presets(String method) {
            return presets != null && method.equals("rotation") ? new PresetFile("rotation presets.yaml", presets) : null;
        }

        @Override public Map<String, List<Param>> methods() { return fake.methods(); }
        @Override public boolean pretrains(String method) { return fake.pretrains(method); }
        @Override public Set<String> datasets() { return fake.datasets(); }
        @Override public DatasetInfo describe(String d, Path dir) throws DataException { return fake.describe(d, dir); }
        @Override public Set<String> backbones() { return fake.backbones(); }
        @Override public Set<String> protocols() { return fake.protocols(); }
        @Override public Map<String, Class<?>> augmentations() { return Augmenter.KNOWN; }
        @Override public int views(String method) { return views(method, Map.of("all_four", false)); }

        @Override
        public int views(String method, Map<String, Object> params) {
            int extra = localsOnlyWithParam ? 0 : 2;
            return !method.equals("rotation") ? 0 : Boolean.TRUE.equals(params.get("all_four")) ? 4 + extra : 2 + extra;
        }

        @Override
        public List<Map<String, Object>> defaultAugment(String method, Map<String, Object> params) {
            if (!method.equals("rotation")) {
                return List.of();
            }
            return views(method, params) == 2 ? List.of(GLOBAL, GLOBAL) : List.of(GLOBAL, GLOBAL, LOCAL.apply(views(method, params) - 2));
        }
    }

    private static TrainSpec pretext(String method, String pretextBlock) throws SpecException {
        String yaml = "name: mc\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [" + method + "]\nlabels: [100]\n"
                + pretextBlock + "protocols: {knn: {k: 3}}\n";
        return SpecLoader.load("mc.yaml", yaml, CATALOG, Overrides.NONE).methods().get(0).pretext();
    }

    private static SpecException refused(String method, String block) {
        return assertThrows(SpecException.class, () -> pretext(method, block));
    }

    @Test
    void theMethodsPipelinesFollowItsParams() throws SpecException {
        TrainSpec two = pretext("rotation", "");
        assertEquals(4, two.viewsOfPipelines());
        assertEquals(GLOBAL, two.augmentFor(1));
        assertEquals(0.5, two.augmentFor(3).get("size"));
        TrainSpec four = pretext("{name: rotation, params: {all_four: true}}", "");
        assertEquals(6, four.viewsOfPipelines());
        assertEquals(0.4, four.augmentFor(5).get("crop_max"));
    }

    @Test
    void augmentViewsOverrideTheMethodsPipelinesKeyByKeyPerIndex() throws SpecException {
        TrainSpec p = pretext("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {}\n    - {size: 0.43, blur: 0.5}\n");
        assertEquals(Map.of("crop", 0.4, "hflip", true), p.augmentFor(0));
        assertEquals(GLOBAL, p.augmentFor(1));
        // The local pipeline keeps its crop, crop_max and count (2) and takes the new size and blur.
        assertEquals(Map.of("crop", 0.05, "crop_max", 0.4, "size", 0.43, "count", 2, "blur", 0.5), p.augmentFor(2));
        assertEquals(p.augmentFor(2), p.augmentFor(3));
        assertEquals(4, p.viewsOfPipelines());
    }

    @Test
    void aSpecMakesLocalCropsWithCount() throws SpecException {
        TrainSpec p = pretext("{name: rotation, params: {all_four: true}}", "pretext:\n  augment_views:\n"
                + "    - {crop: 0.4}\n    - {crop: 0.4}\n    - {crop: 0.05, crop_max: 0.4, size: 0.43, count: 4}\n");
        assertEquals(6, p.viewsOfPipelines());
        for (int v = 2; v < 6; v++) {
            assertEquals(0.43, p.augmentFor(v).get("size"), "view " + v);
        }
    }

    @Test
    void countsThatDoNotSumToTheViewsAreRefusedAtAugmentViews() {
        SpecException e = refused("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {crop: 0.4}\n"
                + "    - {count: 3}\n");
        assertEquals(8, e.line(), "the augment_views list: " + e.getMessage());
        assertTrue(e.field().endsWith("pretext.augment_views"), e.field());
        String m = e.getMessage();
        assertTrue(m.contains("pretext.augment_views has 3 pipelines making 5 views (counts 1 + 1 + 3"), m);
        assertTrue(m.contains("method 'rotation' takes 4 views"), m);
        assertTrue(m.contains("so the counts sum to 4"), m);
    }

    @Test
    void theViewCountMessageNamesParamsThatChangedIt() {
        SpecException e = refused("{name: rotation, params: {all_four: true}}",
                "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {crop: 0.4}\n    - {count: 2}\n");
        assertTrue(e.getMessage().contains("takes 6 views with these params (4 with its default params)"), e.getMessage());
    }

    @Test
    void cropMaxBelowCropIsRefusedAtItsLine() {
        SpecException e = refused("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {crop: 0.4}\n"
                + "    - {crop: 0.3, crop_max: 0.2}\n");
        assertEquals(10, e.line(), e.getMessage());
        assertTrue(e.field().endsWith("augment_views[2].crop_max"), e.field());
        assertTrue(e.getMessage().contains("crop_max 0.2 is below crop 0.3"), e.getMessage());
        // A crop raised above the method's crop_max is refused at the crop.
        SpecException c = refused("rotation", "pretext:\n  augment: {crop: 0.5}\n");
        assertEquals(7, c.line(), c.getMessage());
        assertTrue(c.getMessage().contains("crop_max 0.4 is below crop 0.5"), c.getMessage());
    }

    @Test
    void sizeOutsideZeroToOneIsRefused() {
        for (String size : List.of("0", "1.5", "-0.2")) {
            SpecException e = refused("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {crop: 0.4}\n"
                    + "    - {size: " + size + "}\n");
            assertEquals(10, e.line(), e.getMessage());
            assertTrue(e.getMessage().contains("must be in (0, 1]") || e.getMessage().contains("must be > 0"), e.getMessage());
            assertTrue(e.getMessage().contains("view side as a fraction"), e.getMessage());
        }
    }

    @Test
    void countOutsideAugmentViewsIsRefused() {
        SpecException shared = refused("rotation", "pretext:\n  augment: {count: 2}\n");
        assertEquals(7, shared.line());
        assertTrue(shared.getMessage().contains("count (views this pipeline makes) belongs in an entry of pretext.augment_views"),
                shared.getMessage());
        SpecException downstream = assertThrows(SpecException.class, () -> SpecLoader.load("mc.yaml",
                "name: mc\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [rotation]\nlabels: [100]\nprotocols:\n"
                        + "  finetune: {epochs: 2, augment: {count: 2}}\n", CATALOG, Overrides.NONE));
        assertEquals(7, downstream.line());
        assertTrue(downstream.getMessage().contains("one view per image"), downstream.getMessage());
        SpecException zero = refused("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {crop: 0.4}\n"
                + "    - {count: 0}\n");
        assertEquals(10, zero.line());
        assertTrue(zero.getMessage().contains("must be > 0, got 0"), zero.getMessage());
    }

    @Test
    void sizeIsForPretextViewsOnly() {
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("mc.yaml",
                "name: mc\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [rotation]\nlabels: [100]\nprotocols:\n"
                        + "  finetune: {epochs: 2, augment: {size: 0.5}}\n", CATALOG, Overrides.NONE));
        assertEquals(7, e.line());
        assertTrue(e.getMessage().contains("downstream protocols always train and evaluate on the whole image"), e.getMessage());
    }

    @Test
    void cropMaxWithoutACropIsRefusedAsWithoutEffect() {
        SpecException e = refused("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4}\n    - {crop: 0.4}\n"
                + "    - {crop: 0, crop_max: 0.3}\n");
        assertEquals(10, e.line());
        assertTrue(e.getMessage().contains("crop_max bounds the area of the random resized crop"), e.getMessage());
    }

    @Test
    void theDefaultsWrittenOutAreStoredAsAbsent() throws SpecException {
        TrainSpec p = pretext("supervised", "");
        assertNull(p);
        TrainSpec q = pretext("rotation", "pretext:\n  augment_views:\n    - {crop: 0.4, size: 1, crop_max: 1.0}\n"
                + "    - {}\n    - {}\n");
        assertEquals(Map.of("crop", 0.4, "hflip", true), q.augmentFor(0));
    }

    /** A multi-crop preset whose local pipeline writes no count: the count follows the params. */
    private static final String PRESETS = """
            presets:
              small:
                description: multi-crop
                params: {all_four: false}
                pretext:
                  batch_size: 64
                  optimizer: {name: adam, lr: 0.001}
                  schedule: {name: constant}
                  augment_views:
                    - {crop: 0.3}
                    - {crop: 0.3}
                    - {crop: 0.05, crop_max: 0.4, size: 0.5}
                sources:
                  params: "test"
                  pretext: "test"
            """;

    @Test
    void aPresetsLocalPipelineWithoutCountTakesTheMethodsCountForTheParams() throws SpecException {
        Catalog withPresets = new MultiCropCatalog(PRESETS);
        String yaml = "name: mc\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [%s]\nlabels: [100]\nprotocols: {knn: {k: 3}}\n";
        TrainSpec byDefault = SpecLoader.load("mc.yaml", yaml.formatted("rotation"), withPresets, Overrides.NONE)
                .methods().get(0).pretext();
        assertEquals(4, byDefault.viewsOfPipelines());
        assertEquals(Map.of("crop", 0.3), byDefault.augmentFor(1));
        assertEquals(Map.of("crop", 0.05, "crop_max", 0.4, "size", 0.5, "count", 2), byDefault.augmentFor(3));
        TrainSpec four = SpecLoader.load("mc.yaml", yaml.formatted("{name: rotation, params: {all_four: true}}"), withPresets,
                Overrides.NONE).methods().get(0).pretext();
        assertEquals(6, four.viewsOfPipelines());
        assertEquals(4, Augmenter.count(four.augmentFor(5)));
    }

    /** A 2-crop preset (solo-learn's DINO / SwAV configs): its two pipelines, or one shared {@code augment}. */
    private static final String TWO_CROP_PRESETS = """
            presets:
              small:
                description: two crops
                params: {all_four: false}
                pretext:
                  batch_size: 64
                  optimizer: {name: adam, lr: 0.001}
                  schedule: {name: constant}
                  augment_views:
                    - {crop: 0.08, blur: 1.0}
                    - {crop: 0.08, solarize: 0.2}
                sources:
                  params: "test"
                  pretext: "test"
            """;

    private static Spec twoCropSpec(String presets, String method, String pretextBlock) throws SpecException {
        String yaml = "name: mc\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [" + method + "]\nlabels: [100]\n"
                + pretextBlock + "protocols: {knn: {k: 3}}\n";
        return SpecLoader.load("mc.yaml", yaml, new MultiCropCatalog(presets, true), Overrides.NONE);
    }

    @Test
    void paramsAddingLocalCropsToATwoCropPresetTakeTheMethodsLocalPipeline() throws SpecException {
        Spec spec = twoCropSpec(TWO_CROP_PRESETS, "{name: rotation, params: {all_four: true}}", "");
        TrainSpec p = spec.methods().get(0).pretext();
        assertEquals(3, p.augmentViews().size(), p.augmentViews().toString());
        assertEquals(4, p.viewsOfPipelines());
        // the preset's global pipelines stay, the method's local one follows, sized and counted
        assertEquals(Map.of("crop", 0.08, "blur", 1.0), p.augmentFor(0));
        assertEquals(Map.of("crop", 0.08, "solarize", 0.2), p.augmentFor(1));
        for (int v = 2; v < 4; v++) {
            assertEquals(LOCAL.apply(2), p.augmentFor(v), "view " + v);
        }
        String notes = String.join("\n", spec.notes());
        assertTrue(notes.contains("mc.yaml line 4: method 'rotation' takes 4 views with these params, preset 'small' has"
                + " pipelines for 2: views 2-3 take the method's own pipeline {count: 2, crop: 0.05, crop_max: 0.4,"
                + " size: 0.5} after the preset's"), notes);
        // a spec's augment still overrides every view's pipeline, the local one included
        TrainSpec blurred = twoCropSpec(TWO_CROP_PRESETS, "{name: rotation, params: {all_four: true}}",
                "pretext:\n  augment: {blur: 0.3}\n").methods().get(0).pretext();
        assertEquals(0.3, blurred.augmentFor(3).get("blur"));
        assertEquals(0.5, blurred.augmentFor(3).get("size"));
    }

    @Test
    void aTwoCropPresetWithoutLocalCropsIsUnchanged() throws SpecException {
        Spec spec = twoCropSpec(TWO_CROP_PRESETS, "rotation", "");
        TrainSpec p = spec.methods().get(0).pretext();
        assertEquals(List.of(Map.of("crop", 0.08, "blur", 1.0), Map.of("crop", 0.08, "solarize", 0.2)), p.augmentViews());
        assertEquals(List.of(), spec.notes());
    }

    @Test
    void aPresetsSharedAugmentServesItsViewsAndTheMethodsLocalPipelineTheRest() throws SpecException {
        String shared = TWO_CROP_PRESETS.replace("      augment_views:\n        - {crop: 0.08, blur: 1.0}\n"
                + "        - {crop: 0.08, solarize: 0.2}\n", "      augment: {crop: 0.08, blur: 0.5}\n");
        TrainSpec none = twoCropSpec(shared, "rotation", "").methods().get(0).pretext();
        assertEquals(List.of(), none.augmentViews());
        assertEquals(Map.of("crop", 0.08, "blur", 0.5), none.augment());
        TrainSpec p = twoCropSpec(shared, "{name: rotation, params: {all_four: true}}", "").methods().get(0).pretext();
        assertEquals(List.of(Map.of("crop", 0.08, "blur", 0.5, "count", 2), LOCAL.apply(2)), p.augmentViews());
        assertEquals(Map.of("crop", 0.08, "blur", 0.5, "count", 2), p.augmentFor(1));
        assertEquals(0.5, p.augmentFor(3).get("size"));
    }

    @Test
    void aMethodsOwnPipelinesAreCheckedForCountsAndCropMax() {
        var known = Augmenter.KNOWN;
        assertNull(AugmentDefaults.problem(List.of(GLOBAL, GLOBAL, Map.of("crop", 0.05, "crop_max", 0.4, "count", 6)), known, 8));
        assertTrue(AugmentDefaults.problem(List.of(GLOBAL, GLOBAL, Map.of("count", 6)), known, 4)
                .contains("3 pipelines making 8 views"));
        assertTrue(AugmentDefaults.problem(List.of(Map.of("count", 2)), known, 2).contains("count needs several pipelines"));
        assertTrue(AugmentDefaults.problem(List.of(GLOBAL, Map.of("crop", 0.5, "crop_max", 0.4)), known, 2)
                .contains("crop_max 0.4 is below crop 0.5"));
        assertTrue(AugmentDefaults.problem(List.of(GLOBAL, Map.of("size", 1.5)), known, 2).contains("size must be"));
        assertTrue(AugmentDefaults.problem(List.of(GLOBAL, Map.of("count", 0)), known, 1).contains("count must be > 0"));
    }
}
