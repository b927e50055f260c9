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
        Spec spec = SpecLoader.load("t.yaml", HEAD + "methods: [rotation]\npretext:\n  augment: {hue: 0.1}\n", c, null);
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
}
