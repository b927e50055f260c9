package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.testing.FakeCatalog;

/** A method's default per-view pipelines, overridden by `augment` (every view) and `augment_views` (per view). */
class AugmentResolutionTest {
    /** FakeCatalog where rotation takes 2 views with asymmetric defaults. */
    private static Catalog twoViews(List<Map<String, Object>> defaults) {
        return (Catalog) java.lang.reflect.Proxy.newProxyInstance(AugmentResolutionTest.class.getClassLoader(),
                new Class<?>[] {Catalog.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "views" -> "rotation".equals(args[0]) ? 2 : 0;
                    case "defaultAugment" -> "rotation".equals(args[0]) ? defaults : List.of();
                    default -> {
                        try {
                            yield method.invoke(new FakeCatalog(), args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    private static final List<Map<String, Object>> ASYMMETRIC = List.of(Map.of("shift", 0.1), Map.of("hflip", true));

    private static TrainSpec pretext(String pretextBlock, Catalog catalog) throws SpecException {
        String yaml = "name: aug\ndatasets: [tiny]\nbackbone: small-cnn\nmethods: [rotation]\nlabels: [100]\n"
                + pretextBlock + "protocols: {knn: {k: 3}}\n";
        return SpecLoader.load("aug.yaml", yaml, catalog, Overrides.NONE).methods().get(0).pretext();
    }

    @Test
    void methodDefaultsApplyWhenTheSpecSaysNothing() throws SpecException {
        TrainSpec p = pretext("", twoViews(ASYMMETRIC));
        assertEquals(Map.of("shift", 0.1), p.augmentFor(0));
        assertEquals(Map.of("hflip", true), p.augmentFor(1));
    }

    @Test
    void augmentOverridesItsKeysInEveryView() throws SpecException {
        TrainSpec p = pretext("pretext: {augment: {shift: 0.3}}\n", twoViews(ASYMMETRIC));
        assertEquals(Map.of("shift", 0.3), p.augmentFor(0));
        assertEquals(Map.of("hflip", true, "shift", 0.3), p.augmentFor(1));
    }

    @Test
    void augmentViewsOverridePerView() throws SpecException {
        TrainSpec p = pretext("pretext:\n  augment_views:\n    - {hflip: true}\n    - {hflip: false}\n", twoViews(ASYMMETRIC));
        assertEquals(Map.of("shift", 0.1, "hflip", true), p.augmentFor(0));
        assertEquals(Map.of("hflip", false), p.augmentFor(1));
    }

    @Test
    void aSingleDefaultPipelineIsSharedByAllViews() throws SpecException {
        TrainSpec p = pretext("", twoViews(List.of(Map.of("shift", 0.2))));
        assertEquals(p.augmentFor(0), p.augmentFor(1));
        assertEquals(Map.of("shift", 0.2), p.augmentFor(1));
    }

    @Test
    void wrongNumberOfPipelinesIsRefusedAtItsLine() {
        SpecException e = assertThrows(SpecException.class, () -> pretext(
                "pretext:\n  augment_views: [{hflip: true}, {hflip: true}, {hflip: false}]\n", twoViews(ASYMMETRIC)));
        assertEquals(7, e.line(), "the augment_views line");
        assertTrue(e.getMessage().contains("3 pipelines") && e.getMessage().contains("2 views"), e.getMessage());
    }
}
