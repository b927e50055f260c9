package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.ImageShape;
import org.sslbench.matrix.Matrix;
import org.sslbench.method.Param;
import org.sslbench.testing.FakeCatalog;

/**
 * Method presets (README "Method presets"): which preset a spec gets (by image scale, by name, or
 * none), how spec keys override it, and the checks on a presets file (every value has a source).
 */
class PresetsTest {
    static final String PRESETS = """
            presets:
              small:
                description: small images
                params: {all_four: true, temperature: 0.2}
                pretext:
                  batch_size: 64
                  optimizer: {name: sgd, lr: 0.06, momentum: 0.9, weight_decay: 5.0e-4}
                  schedule: {name: cosine, warmup_epochs: 0}
                  augment_views:
                    - {crop: 0.08, hflip: true}
                    - {crop: 0.08, hflip: false}
                sources:
                  params: "paper A, table 1"
                  pretext.optimizer: "project B file.py@0123abcd: SGD 0.06"
                  pretext.batch_size: "project B file.py@0123abcd: batch 64"
                  pretext.augment_views: "project C aug.yaml@89abcdef"
                deviations:
                  pretext.schedule: "no warm-up: short CPU runs"
              imagenet:
                description: large images
                params: {all_four: false, temperature: 0.1}
                pretext:
                  batch_size: 32
                  optimizer: {name: adam, lr: 0.002}
                  schedule: {name: cosine, warmup_epochs: 1}
                  augment: {crop: 0.2, hflip: true}
                sources:
                  params: "paper A, table 2"
                  pretext: "project D in100.yaml@fedcba98"
            """;

    /** FakeCatalog plus a 96x96 dataset 'big', a 'crop' augmentation, a temperature param and rotation presets. */
    static final class PresetCatalog implements Catalog {
        private final FakeCatalog fake = new FakeCatalog();
        private final String presets;

        PresetCatalog(String presets) {
            this.presets = presets;
        }

        @Override public Map<String, List<Param>> methods() {
            Map<String, List<Param>> m = new LinkedHashMap<>(fake.methods());
            m.put("rotation", List.of(new Param("all_four", false, "all four rotations"),
                    Param.of("temperature", 0.5, "a temperature").greaterThan(0)));
            return m;
        }
        @Override public boolean pretrains(String method) { return fake.pretrains(method); }
        @Override public int views(String method) { return method.equals("rotation") ? 2 : 0; }
        @Override public Set<String> datasets() {
            Set<String> d = new LinkedHashSet<>(fake.datasets());
            d.add("big");
            return d;
        }
        @Override public Set<String> backbones() { return fake.backbones(); }
        @Override public Set<String> protocols() { return fake.protocols(); }
        @Override public Map<String, Class<?>> augmentations() {
            Map<String, Class<?>> a = new LinkedHashMap<>(fake.augmentations());
            a.put("crop", Double.class);
            return a;
        }
        @Override public PresetFile presets(String method) {
            return presets != null && method.equals("rotation") ? new PresetFile("rotation presets.yaml", presets) : null;
        }
        @Override public DatasetInfo describe(String name, Path dataDir) throws DataException {
            if (name.equals("big")) {
                DatasetInfo t = fake.describe(FakeCatalog.TINY_RGB, dataDir);
                return new DatasetInfo("big", new ImageShape(96, 96, 3), t.classNames(), t.unlabeledSize(), t.trainSize(),
                        t.trainPerClass(), t.testSize());
            }
            return fake.describe(name, dataDir);
        }
    }

    private static final String SPEC = """
            name: t
            datasets: [%s]
            backbone: small-cnn
            methods:
              - supervised
              - %s
            labels: [100]
            protocols:
              knn: {}
            """;

    private static Spec with(String datasets, String rotation) throws SpecException {
        return load(SPEC.formatted(datasets, rotation), PRESETS);
    }

    private static Spec load(String spec, String presets) throws SpecException {
        return SpecLoader.load("t.yaml", spec, new PresetCatalog(presets), Overrides.NONE);
    }

    private static MethodSpec rotation(Spec spec) {
        return spec.methods().stream().filter(m -> m.name().equals("rotation")).findFirst().orElseThrow();
    }

    @Test
    void smallImagesTakeTheSmallPresetWithEveryValue() throws SpecException {
        Spec spec = with("tiny", "rotation");
        MethodSpec m = rotation(spec);
        assertEquals(Map.of("all_four", true, "temperature", 0.2), m.params());
        TrainSpec t = m.pretext();
        assertEquals(64, t.batchSize());
        assertEquals(new OptimizerSpec("sgd", 0.06, 0.9, 5e-4, false), t.optimizer());
        assertEquals(0.0, t.schedule().warmupEpochs());
        // The preset's views exactly: the harness default shift must not leak in.
        assertEquals(List.of(Map.of("crop", 0.08, "hflip", true), Map.of("crop", 0.08, "hflip", false)), t.augmentViews());
        assertEquals(Defaults.PRETEXT.epochs(), t.epochs(), "the budget is not the preset's");
        assertEquals(Map.of("rotation", "small"), spec.presets());
    }

    @Test
    void largerImagesTakeTheImagenetPreset() throws SpecException {
        Spec spec = with("big", "rotation");
        assertEquals(Map.of("all_four", false, "temperature", 0.1), rotation(spec).params());
        assertEquals(32, rotation(spec).pretext().batchSize());
        assertEquals(Map.of("crop", 0.2, "hflip", true), rotation(spec).pretext().augment());
        assertEquals(Map.of("rotation", "imagenet"), spec.presets());
        assertEquals("small", Presets.forShape(new ImageShape(64, 48, 3)));
        assertEquals("imagenet", Presets.forShape(new ImageShape(65, 32, 3)));
    }

    @Test
    void aPresetByNameWithOneParamAndOnePretextKeyOverridden() throws SpecException {
        Spec spec = with("tiny", "{name: rotation, preset: imagenet, params: {temperature: 0.7},"
                + " pretext: {optimizer: {lr: 0.01}}}");
        MethodSpec m = rotation(spec);
        assertEquals(Map.of("all_four", false, "temperature", 0.7), m.params());
        assertEquals(new OptimizerSpec("adam", 0.01, 0.9, 0.0, false), m.pretext().optimizer());
        assertEquals(32, m.pretext().batchSize(), "keys not overridden keep the preset's value");
        assertEquals(1.0, m.pretext().schedule().warmupEpochs());
        assertEquals(Map.of("rotation", "imagenet"), spec.presets());
    }

    @Test
    void theSpecsPretextBlocksOverrideThePresetKeyByKey() throws SpecException {
        String spec = SPEC.formatted("tiny", "{name: rotation, pretext: {batch_size: 16}}")
                + "pretext: {epochs: 3, batch_size: 8, augment: {hflip: false}}\n";
        TrainSpec t = rotation(load(spec, PRESETS)).pretext();
        assertEquals(3, t.epochs());
        assertEquals(16, t.batchSize(), "the method's own block wins over the global one");
        // A global augment key lands in every view of the preset's pipelines, the rest stays.
        assertEquals(List.of(Map.of("crop", 0.08, "hflip", false), Map.of("crop", 0.08, "hflip", false)), t.augmentViews());
        assertEquals(new OptimizerSpec("sgd", 0.06, 0.9, 5e-4, false), t.optimizer());
    }

    @Test
    void anotherOptimizerNameStartsFromThatOptimizersDefaultsNotThePresetsValues() throws SpecException {
        String spec = SPEC.formatted("tiny", "rotation") + "pretext: {optimizer: {name: adam, lr: 0.001}}\n";
        assertEquals(new OptimizerSpec("adam", 0.001, 0.9, 0.0, false), rotation(load(spec, PRESETS)).pretext().optimizer(),
                "the preset's SGD weight decay must not carry over to a different optimizer");
    }

    @Test
    void presetNoneIsExactlyTheHarnessDefaultsAndKeepsTheOldHashes() throws SpecException {
        Spec none = with("tiny", "{name: rotation, preset: none}");
        Spec without = load(SPEC.formatted("tiny", "rotation"), null);
        assertEquals(rotation(without), rotation(none));
        assertEquals(Map.of("all_four", false, "temperature", 0.5), rotation(none).params());
        assertEquals(Map.of("rotation", "none"), none.presets());
        assertEquals(hashes(without), hashes(none));
        assertNotEquals(hashes(without), hashes(with("tiny", "rotation")), "a preset changes the identity of its pretext runs");
    }

    private static List<String> hashes(Spec spec) {
        return Matrix.expand(spec, Map.of("tiny", new int[] {100})).stream().map(g -> g.pretextHash()).toList();
    }

    @Test
    void aTopLevelPresetAppliesToEveryMethodWithoutItsOwn() throws SpecException {
        Spec spec = load(SPEC.formatted("tiny", "rotation") + "preset: imagenet\n", PRESETS);
        assertEquals(Map.of("rotation", "imagenet"), spec.presets());
        assertEquals(32, rotation(spec).pretext().batchSize());
    }

    @Test
    void aTopLevelPresetNoMethodTakesIsRefused() {
        SpecException e = assertThrows(SpecException.class, () -> load(SPEC.formatted("tiny", "{name: rotation, preset: small}")
                + "preset: imagenet\n", PRESETS));
        assertEquals("preset", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("preset has no effect"), e.getMessage());
        // none asks for nothing: accepted even where no method pretrains.
        assertEquals(Map.of(), assertDoesNotThrow(() -> load(SPEC.replace("  - %s\n", "").formatted("tiny")
                + "preset: none\n", PRESETS)).presets());
    }

    @Test
    void anUnknownPresetNameListsTheAllowedOnes() {
        SpecException e = assertThrows(SpecException.class, () -> with("tiny", "{name: rotation, preset: medium}"));
        assertEquals(6, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("method 'rotation' has no preset 'medium'; allowed: small, imagenet, none"),
                e.getMessage());
    }

    @Test
    void aMistypedPresetNameGetsTheNearestOne() {
        SpecException e = assertThrows(SpecException.class, () -> with("tiny", "{name: rotation, preset: smal}"));
        assertTrue(e.getMessage().contains("method 'rotation' has no preset 'smal'; did you mean 'small'? allowed: small,"
                + " imagenet, none"), e.getMessage());
    }

    @Test
    void datasetsOfTwoScalesWithoutAPresetNameAreRefusedAtTheMethod() {
        SpecException e = assertThrows(SpecException.class, () -> with("tiny, big", "rotation"));
        assertEquals(6, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("tiny (8x8 px: small), big (96x96 px: imagenet) would take different presets"
                + " of method 'rotation'; name one"), e.getMessage());
    }

    @Test
    void aMethodWithoutAPretextRunTakesNoPreset() {
        SpecException e = assertThrows(SpecException.class, () -> load(SPEC.formatted("tiny", "rotation")
                .replace("- supervised", "- {name: supervised, preset: small}"), PRESETS));
        assertTrue(e.getMessage().contains("method 'supervised' has no pretext run, so no preset"), e.getMessage());
    }

    @Test
    void aPluginWithoutPresetsRefusesANamedPresetButNotNone() throws SpecException {
        SpecException e = assertThrows(SpecException.class,
                () -> load(SPEC.formatted("tiny", "{name: rotation, preset: small}"), null));
        assertTrue(e.getMessage().contains("method 'rotation' ships no presets"), e.getMessage());
        assertEquals(Map.of("rotation", "none"), load(SPEC.formatted("tiny", "{name: rotation, preset: none}"), null).presets());
    }

    // ---- the presets file ----------------------------------------------------------------

    private static SpecException badFile(String presets) {
        return assertThrows(SpecException.class, () -> load(SPEC.formatted("tiny", "rotation"), presets));
    }

    @Test
    void aValueWithoutASourceIsRefusedAtItsLine() {
        SpecException e = badFile(PRESETS.replace("      pretext.batch_size: \"project B file.py@0123abcd: batch 64\"\n", ""));
        assertEquals("rotation presets.yaml", e.file());
        assertEquals(6, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("preset 'small': pretext.batch_size names no source"), e.getMessage());
    }

    @Test
    void aSourceForAKeyThePresetDoesNotSetIsRefused() {
        SpecException e = badFile(PRESETS.replace("pretext.optimizer: \"project B", "pretext.optimiser: \"project B"));
        assertTrue(e.getMessage().contains("sources names 'pretext.optimiser', which this preset does not set"), e.getMessage());
    }

    @Test
    void aPresetMustListEveryParamAndNoEpochs() {
        SpecException missing = badFile(PRESETS.replace("{all_four: true, temperature: 0.2}", "{all_four: true}"));
        assertTrue(missing.getMessage().contains("does not set rotation param 'temperature'"), missing.getMessage());
        SpecException epochs = badFile(PRESETS.replace("      batch_size: 64\n", "      batch_size: 64\n      epochs: 5\n"));
        assertTrue(epochs.getMessage().contains("a preset does not set epochs"), epochs.getMessage());
        SpecException noAugment = badFile(PRESETS.replace("      augment: {crop: 0.2, hflip: true}\n", ""));
        assertTrue(noAugment.getMessage().contains("preset 'imagenet' sets no augmentation"), noAugment.getMessage());
    }

    @Test
    void aPresetValueOutsideItsRangeIsRefusedAtThePresetsLine() {
        SpecException e = badFile(PRESETS.replace("temperature: 0.2}", "temperature: 0}"));
        assertEquals("rotation presets.yaml", e.file());
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("rotation param 'temperature' must be > 0"), e.getMessage());
    }

    @Test
    void viewPipelinesThatDoNotMatchTheMethodsViewsAreRefusedInThePresetsFile() {
        SpecException e = badFile(PRESETS.replace("        - {crop: 0.08, hflip: false}\n", ""));
        assertEquals("rotation presets.yaml", e.file());
        assertTrue(e.getMessage().contains("preset 'small' has 1 pipeline making 1 view (count 1, count defaults to 1) but"
                + " method 'rotation' takes 2 views; give one pipeline per view, or set count"), e.getMessage());
    }

    @Test
    void describeGivesEveryValueWithItsSources() throws SpecException {
        List<Presets.Described> d = Presets.describe(new PresetCatalog(PRESETS), "rotation");
        assertEquals(List.of("small", "imagenet"), d.stream().map(Presets.Described::name).toList());
        Presets.Entry optimizer = d.get(0).entries().stream().filter(x -> x.key().equals("pretext.optimizer")).findFirst()
                .orElseThrow();
        assertEquals("{name: sgd, lr: 0.06, momentum: 0.9, weight_decay: 5.0e-4}", optimizer.value());
        assertEquals(List.of("project B file.py@0123abcd: SGD 0.06"), optimizer.sources());
        Presets.Entry view1 = d.get(0).entries().stream().filter(x -> x.key().equals("pretext.augment_views[1]")).findFirst()
                .orElseThrow();
        assertEquals("{crop: 0.08, hflip: false}", view1.value());
        Presets.Entry schedule = d.get(0).entries().stream().filter(x -> x.key().equals("pretext.schedule")).findFirst()
                .orElseThrow();
        assertEquals(List.of(), schedule.sources());
        assertEquals(List.of("no warm-up: short CPU runs"), schedule.deviation());
        assertEquals(List.of("paper A, table 2"), d.get(1).entries().get(0).sources());
        assertEquals(List.of(), Presets.describe(new PresetCatalog(null), "rotation"));
    }
}
