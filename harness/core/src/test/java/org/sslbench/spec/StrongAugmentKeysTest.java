package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sslbench.testing.FakeCatalog;
import org.sslbench.train.Augmenter;

/** FixMatch's strong-augmentation keys and schedule as a spec gives them (issue 15). */
class StrongAugmentKeysTest {
    /** FakeCatalog with every augmentation of the harness. */
    private static Catalog catalog() {
        return (Catalog) java.lang.reflect.Proxy.newProxyInstance(StrongAugmentKeysTest.class.getClassLoader(),
                new Class<?>[] {Catalog.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "augmentations" -> Augmenter.KNOWN;
                    case "defaultAugment" -> List.of();
                    default -> {
                        try {
                            yield method.invoke(new FakeCatalog(), args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    private static String spec(String finetune) {
        return "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100]\nmethods: [supervised]\n"
                + "protocols:\n  finetune:\n" + finetune;
    }

    @Test
    void randaugmentCutoutAndTheFixmatchScheduleAreAccepted() throws SpecException {
        Spec s = SpecLoader.load("t.yaml", spec("    augment: {randaugment: 2, cutout: 0.5}\n"
                + "    schedule: {name: fixmatch_cosine}\n"), catalog(), Overrides.NONE);
        TrainSpec train = s.protocols().get("finetune").train();
        assertEquals(2, train.augment().get("randaugment"));
        assertEquals(0.5, train.augment().get("cutout"));
        assertEquals("fixmatch_cosine", train.schedule().name());
    }

    @Test
    void outOfRangeOrMistypedValuesAreRefusedAtTheirLine() {
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml",
                spec("    augment: {randaugment: 20}\n"), catalog(), Overrides.NONE));
        assertEquals(8, e.line());
        assertEquals("protocols.finetune.augment.randaugment", e.field());
        assertTrue(e.getMessage().contains("must be in [0, 14], got 20 (RandAugment transformations per image"), e.getMessage());
        SpecException typed = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml",
                spec("    augment: {randaugment: 1.5}\n"), catalog(), Overrides.NONE));
        assertEquals("protocols.finetune.augment.randaugment", typed.field());
        SpecException cut = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml",
                spec("    augment: {cutout: 2}\n"), catalog(), Overrides.NONE));
        assertTrue(cut.getMessage().contains("must be in [0, 1], got 2 (largest side of the gray Cutout square"), cut.getMessage());
    }
}
