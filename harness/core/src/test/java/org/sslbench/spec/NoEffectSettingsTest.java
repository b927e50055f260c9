package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.train.Augmenter;

/**
 * Settings that would be accepted, change the config hash and not the result (issue 10, case 1)
 * where the refusal depends on how blocks merge; single-file cases are rows of
 * {@link SpecValidationTest}.
 */
class NoEffectSettingsTest {
    /** FakeCatalog with every augmentation of the harness and, for rotation, a default recipe. */
    private static Catalog catalog(List<Map<String, Object>> rotationDefaults) {
        return (Catalog) java.lang.reflect.Proxy.newProxyInstance(NoEffectSettingsTest.class.getClassLoader(),
                new Class<?>[] {Catalog.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "augmentations" -> Augmenter.KNOWN;
                    case "defaultAugment" -> "rotation".equals(args[0]) ? rotationDefaults : List.of();
                    default -> {
                        try {
                            yield method.invoke(new FakeCatalog(), args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100]\n"
            + "protocols: {finetune: {}}\n"; // five lines

    private static SpecException refused(String yaml, Catalog catalog) {
        return assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, catalog, Overrides.NONE));
    }

    @Test
    void jitterStrengthWithoutJitterIsRefused() {
        SpecException e = refused(HEAD + "methods: [rotation]\npretext:\n  augment: {brightness: 0.4}\n", catalog(List.of()));
        assertEquals(8, e.line());
        assertEquals("pretext.augment.brightness", e.field());
        assertTrue(e.getMessage().contains("brightness is a colour-jitter strength and has no effect while jitter"
                + " (the probability of colour jitter) is 0 here; set jitter > 0"), e.getMessage());
    }

    @Test
    void jitterWithoutAnyStrengthIsRefused() {
        String yaml = HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune:\n    augment: {jitter: 0.8}")
                + "methods: [supervised]\n";
        SpecException e = refused(yaml, catalog(List.of()));
        assertEquals("protocols.finetune.augment.jitter", e.field());
        assertTrue(e.getMessage().contains("jitter 0.8 has no effect while every strength (brightness, contrast,"
                + " saturation, hue) is 0 here"), e.getMessage());
    }

    @Test
    void strengthsFromAMethodRecipeMayBeTurnedOffWithJitterZero() throws SpecException {
        Catalog c = catalog(List.of(Map.of("jitter", 0.8, "brightness", 0.4)));
        Spec spec = SpecLoader.load("t.yaml", HEAD + "methods: [rotation]\npretext:\n  augment: {jitter: 0}\n", c, null);
        assertEquals(0.0, ((Number) spec.methods().get(0).pretext().augment().get("jitter")).doubleValue());
    }

    @Test
    void strengthAddedToAMethodRecipeWithJitterActs() throws SpecException {
        Catalog c = catalog(List.of(Map.of("jitter", 0.8, "brightness", 0.4)));
        // hue acts on colour images only: a colour dataset
        Spec spec = SpecLoader.load("t.yaml", HEAD.replace("[tiny]", "[tiny-rgb]")
                + "methods: [rotation]\npretext:\n  augment: {hue: 0.1}\n", c, null);
        assertEquals(0.1, spec.methods().get(0).pretext().augment().get("hue"));
    }

    @Test
    void hueAboveHalfATurnIsRefused() {
        SpecException e = refused(HEAD + "methods: [rotation]\npretext:\n  augment: {jitter: 0.8, hue: 0.7}\n",
                catalog(List.of()));
        assertEquals("pretext.augment.hue", e.field());
        assertTrue(e.getMessage().contains("must be in [0, 0.5], got 0.7"), e.getMessage());
    }

    /** The global milestone is fine for the global 10 epochs but never reached in the method's 4. */
    @Test
    void milestoneUnreachedAfterAMethodShortensTrainingPointsAtTheMilestone() {
        String yaml = HEAD + """
                methods:
                  - name: rotation
                    pretext: {epochs: 4}
                pretext:
                  epochs: 10
                  schedule: {name: step, milestones: [5], factors: [0.1]}
                """;
        SpecException e = refused(yaml, new FakeCatalog());
        assertEquals(11, e.line());
        assertEquals("pretext.schedule.milestones[0]", e.field());
        assertTrue(e.getMessage().contains("milestone 5 is never reached in 4 epochs"), e.getMessage());
    }

    /** Momentum inherited from a global sgd block means nothing for a method that switches to adam. */
    @Test
    void adamDropsMomentumInheritedFromSgd() throws SpecException {
        String yaml = HEAD + """
                methods:
                  - name: rotation
                    pretext: {optimizer: {name: adam}}
                pretext:
                  optimizer: {name: sgd, momentum: 0.5, nesterov: true}
                """;
        OptimizerSpec o = SpecLoader.load("t.yaml", yaml, new FakeCatalog(), null).methods().get(0).pretext().optimizer();
        assertEquals(Defaults.ADAM, o);
    }

    /** Checks use the resolved count: uneven acts when one dataset's count is not a multiple of its classes. */
    @Test
    void unevenThatActsOnAFractionIsAccepted() throws SpecException {
        String yaml = HEAD.replace("labels: [100]", "labels: {fractions: [0.25], uneven: true}") + "methods: [supervised]\n";
        Spec spec = SpecLoader.load("t.yaml", yaml, new FakeCatalog(), null);
        assertEquals(125, SpecValidator.labelCounts(spec, new FakeCatalog()).get("tiny")[0]);
    }

    /**
     * Issue 10 follow-up: hue, saturation and grayscale act only on colour images; written on a spec
     * whose every dataset has one channel, they change the hash and nothing else.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            global  | {jitter: 0.8, brightness: 0.4, hue: 0.3} | 8 | pretext.augment.hue
            global  | {jitter: 0.8, saturation: 0.4}           | 8 | pretext.augment.saturation
            global  | {grayscale: 0.2}                         | 8 | pretext.augment.grayscale
            method  | {grayscale: 0.2}                         | 9 | methods[0].pretext.augment.grayscale
            """)
    void colourOnlyKeysOnGrayscaleDataAreRefused(String where, String augment, int line, String field) {
        String yaml = where.equals("method")
                ? HEAD + "methods:\n  - name: rotation\n    pretext:\n      augment: " + augment + "\n"
                : HEAD + "methods: [rotation]\npretext:\n  augment: " + augment + "\n";
        SpecException e = refused(yaml, catalog(List.of()));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        String key = field.substring(field.lastIndexOf('.') + 1);
        assertTrue(e.getMessage().contains(key + " acts only on colour images and has no effect here: every dataset of"
                + " this spec (tiny) has a single channel; remove " + key), e.getMessage());
    }

    @Test
    void colourOnlyKeysInAFinetuneBlockOnGrayscaleDataAreRefused() {
        String yaml = HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune:\n    augment: {grayscale: 0.5}")
                + "methods: [supervised]\n";
        SpecException e = refused(yaml, catalog(List.of()));
        assertEquals("protocols.finetune.augment.grayscale", e.field());
    }

    @Test
    void colourOnlyKeysActWhenOneDatasetHasColour() throws SpecException {
        String yaml = HEAD.replace("[tiny]", "[tiny, tiny-rgb]") + "methods: [rotation]\npretext:\n  augment: {grayscale: 0.2}\n";
        Spec spec = SpecLoader.load("t.yaml", yaml, catalog(List.of()), null);
        assertEquals(0.2, spec.methods().get(0).pretext().augment().get("grayscale"));
    }

    /** A method's default recipe with colour jitter is not the user's doing: never blamed on grayscale data. */
    @Test
    void aMethodRecipeWithColourKeysIsAcceptedOnGrayscaleData() throws SpecException {
        Catalog c = catalog(List.of(Map.of("jitter", 0.8, "hue", 0.1, "saturation", 0.4, "grayscale", 0.2)));
        Spec spec = SpecLoader.load("t.yaml", HEAD + "methods: [rotation]\n", c, null);
        assertEquals(0.1, spec.methods().get(0).pretext().augment().get("hue"));
    }

    /** Issue 10 follow-up: a step factor equal to the one in force changes nothing (factors [1.0] is constant). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            [1]     | [1.0]      | factors[0] | factor 1 at milestone 1 equals the factor already in force (1, the base rate)
            [1, 2]  | [0.1, 0.1] | factors[1] | factor 0.1 at milestone 2 equals the factor already in force (0.1)
            """)
    void aStepFactorThatChangesNothingIsRefused(String milestones, String factors, String at, String message) {
        String yaml = HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {epochs: 3, schedule: "
                + "{name: step, milestones: " + milestones + ", factors: " + factors + "}}") + "methods: [supervised]\n";
        SpecException e = refused(yaml, new FakeCatalog());
        assertEquals("protocols.finetune.schedule." + at, e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aStepBackToTheBaseRateActs() throws SpecException {
        String yaml = HEAD.replace("protocols: {finetune: {}}", "protocols:\n  finetune: {epochs: 3, schedule: "
                + "{name: step, milestones: [1, 2], factors: [0.1, 1.0]}}") + "methods: [supervised]\n";
        Spec spec = SpecLoader.load("t.yaml", yaml, new FakeCatalog(), null);
        assertEquals(List.of(0.1, 1.0), spec.protocols().get("finetune").train().schedule().factors());
    }

    /** A warm-up as long as training: the named schedule never starts, so its name changes nothing. */
    @Test
    void warmupAsLongAsTrainingIsRefused() throws SpecException {
        String yaml = HEAD.replace("protocols: {finetune: {}}",
                "protocols:\n  finetune: {epochs: 2, schedule: {name: cosine, warmup_epochs: 2}}") + "methods: [supervised]\n";
        SpecException e = refused(yaml, new FakeCatalog());
        assertEquals("protocols.finetune.schedule.warmup_epochs", e.field());
        assertTrue(e.getMessage().contains("warmup_epochs 2 is not below the 2 epochs of training, so training ends"
                + " during warm-up"), e.getMessage());
        Spec ok = SpecLoader.load("t.yaml", yaml.replace("warmup_epochs: 2", "warmup_epochs: 1.5"), new FakeCatalog(), null);
        assertEquals(1.5, ok.protocols().get("finetune").train().schedule().warmupEpochs());
    }

    /** Issue 10 follow-up: jitter strengths have an upper bound (1e308 used to make NaN pixels). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"brightness", "contrast", "saturation"})
    void jitterStrengthsAboveTwoAreRefused(String key) throws SpecException {
        String head = HEAD.replace("[tiny]", "[tiny-rgb]") + "methods: [rotation]\npretext:\n  augment: {jitter: 1.0, ";
        SpecException e = refused(head + key + ": 1.0e+308}\n", catalog(List.of()));
        assertEquals("pretext.augment." + key, e.field());
        assertTrue(e.getMessage().contains("must be in [0, 2], got 1.0E308"), e.getMessage());
        Spec spec = SpecLoader.load("t.yaml", head + key + ": 2}\n", catalog(List.of()), null);
        assertEquals(2, ((Number) spec.methods().get(0).pretext().augment().get(key)).doubleValue());
    }

    /** Pretext batch capped by the pool (unlabeled_limit): only a written value is blamed, the pool size itself acts. */
    @Test
    void pretextBatchAtThePoolActsAndTheDefaultAboveASmallPoolIsNotBlamed() throws SpecException {
        String head = "name: t\ndatasets: [{name: tiny, unlabeled_limit: 100}]\nbackbone: small-cnn\nlabels: [100]\n"
                + "protocols: {knn: {}}\nmethods: [rotation]\n";
        // default batch_size 128 > pool 100: not the user's claim
        assertEquals(128, SpecLoader.load("t.yaml", head, new FakeCatalog(), null).methods().get(0).pretext().batchSize());
        assertEquals(100, SpecLoader.load("t.yaml", head + "pretext: {batch_size: 100}\n", new FakeCatalog(), null)
                .methods().get(0).pretext().batchSize());
        SpecException e = refused(head + "pretext: {batch_size: 101}\n", new FakeCatalog());
        assertEquals(7, e.line(), e.getMessage());
        assertEquals("pretext.batch_size", e.field());
        assertTrue(e.getMessage().contains("batch_size 101 is larger than the unlabeled pool of every dataset of this spec"
                + " (at most 100 images, after unlabeled_limit)"), e.getMessage());
    }

    /** The largest pool counts: a batch above one dataset's pool still acts on another's. */
    @Test
    void pretextBatchBelowTheLargestPoolIsAccepted() throws SpecException {
        String yaml = "name: t\ndatasets: [{name: tiny, unlabeled_limit: 100}, tiny-rgb]\nbackbone: small-cnn\n"
                + "labels: [100]\nprotocols: {knn: {}}\nmethods: [rotation]\npretext: {batch_size: 256}\n";
        assertEquals(256, SpecLoader.load("t.yaml", yaml, new FakeCatalog(), null).methods().get(0).pretext().batchSize());
    }

    @Test
    void knnTemperatureActsOnlyWithMoreThanOneNeighbour() throws SpecException {
        String head = "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100]\nmethods: [supervised]\n";
        assertEquals(1, SpecLoader.load("t.yaml", head + "protocols: {knn: {k: 1}}\n", new FakeCatalog(), null)
                .protocols().get("knn").k());
        assertEquals(0.5, SpecLoader.load("t.yaml", head + "protocols: {knn: {temperature: 0.5}}\n", new FakeCatalog(), null)
                .protocols().get("knn").temperature());
        assertEquals(0.5, SpecLoader.load("t.yaml", head + "protocols: {knn: {k: 2, temperature: 0.5}}\n", new FakeCatalog(), null)
                .protocols().get("knn").temperature());
        SpecException e = refused(head + "protocols: {knn: {k: 1, temperature: 0.5}}\n", new FakeCatalog());
        assertEquals("protocols.knn.temperature", e.field());
        assertTrue(e.getMessage().contains("temperature has no effect with k 1"), e.getMessage());
    }

    /** The optimizer ranges' edges are allowed values (SimCLR's LARS lr 4.8 fits under 10). */
    @Test
    void optimizerRangeEdgesAreAccepted() throws SpecException {
        OptimizerSpec o = SpecLoader.load("t.yaml", HEAD + "methods: [rotation]\n"
                + "pretext: {optimizer: {name: sgd, lr: 10, weight_decay: 1, momentum: 0}}\n", new FakeCatalog(), null)
                .methods().get(0).pretext().optimizer();
        assertEquals(10, o.lr());
        assertEquals(1, o.weightDecay());
        SpecException e = refused(HEAD + "methods: [rotation]\npretext: {optimizer: {lr: 10.5}}\n", new FakeCatalog());
        assertEquals("pretext.optimizer.lr", e.field());
        assertTrue(e.getMessage().contains("must be in (0, 10], got 10.5"), e.getMessage());
        e = refused(HEAD + "methods: [rotation]\npretext: {optimizer: {weight_decay: -0.1}}\n", new FakeCatalog());
        assertTrue(e.getMessage().contains("must be in [0, 1], got -0.1"), e.getMessage());
    }
}
