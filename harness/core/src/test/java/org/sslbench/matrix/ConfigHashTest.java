package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;

class ConfigHashTest {
    private static final OptimizerSpec ADAM = new OptimizerSpec("adam", 0.001, 0.9, 0.0, false);

    /** Pinned: a change here silently orphans every stored result, so it must be deliberate. */
    @Test
    void canonicalFormAndHashArePinned() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", Arrays.asList(1, 2.5, "x\"y", null));
        value.put("a", ADAM);
        String canonical = ConfigHash.canonical(value);
        assertEquals("{\"a\":{\"lr\":0.001,\"momentum\":0.9,\"name\":\"adam\",\"nesterov\":false,\"weightDecay\":0},"
                + "\"b\":[1,2.5,\"x\\\"y\",null]}", canonical);
        assertEquals("edbe2632f3862928", ConfigHash.of(value));
    }

    @Test
    void mapKeyOrderDoesNotMatter() {
        Map<String, Object> forward = new LinkedHashMap<>();
        Map<String, Object> backward = new LinkedHashMap<>();
        List<String> keys = List.of("shift", "hflip", "crop", "alpha", "zeta");
        for (int i = 0; i < keys.size(); i++) {
            forward.put(keys.get(i), i);
            backward.put(keys.get(keys.size() - 1 - i), keys.size() - 1 - i);
        }
        Map<String, Object> hashed = new HashMap<>(forward);
        assertEquals(ConfigHash.of(forward), ConfigHash.of(backward));
        assertEquals(ConfigHash.of(forward), ConfigHash.of(hashed));
        assertEquals(ConfigHash.of(Map.of("nested", forward)), ConfigHash.of(Map.of("nested", backward)));
    }

    @Test
    void listOrderDoesMatter() {
        assertNotEquals(ConfigHash.of(List.of(80, 120)), ConfigHash.of(List.of(120, 80)));
    }

    @Test
    void everySingleFieldOfATrainSpecChangesTheHash() {
        TrainSpec base = train(10, 128, ADAM, "cosine", 0, List.of(), List.of(), 0.1);
        List<TrainSpec> edits = List.of(
                train(11, 128, ADAM, "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 64, ADAM, "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 128, new OptimizerSpec("sgd", 0.001, 0.9, 0.0, false), "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 128, new OptimizerSpec("adam", 0.002, 0.9, 0.0, false), "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 128, new OptimizerSpec("adam", 0.001, 0.8, 0.0, false), "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 128, new OptimizerSpec("adam", 0.001, 0.9, 1e-4, false), "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 128, new OptimizerSpec("adam", 0.001, 0.9, 0.0, true), "cosine", 0, List.of(), List.of(), 0.1),
                train(10, 128, ADAM, "constant", 0, List.of(), List.of(), 0.1),
                train(10, 128, ADAM, "cosine", 0.5, List.of(), List.of(), 0.1),
                train(10, 128, ADAM, "cosine", 0, List.of(5), List.of(), 0.1),
                train(10, 128, ADAM, "cosine", 0, List.of(), List.of(0.1), 0.1),
                train(10, 128, ADAM, "cosine", 0, List.of(), List.of(), 0.2),
                train(10, 128, ADAM, "cosine", 0, List.of(), List.of(), 0.1).withBnMomentum(0.99));
        long distinct = edits.stream().map(ConfigHash::of).filter(h -> !h.equals(ConfigHash.of(base))).distinct().count();
        assertEquals(edits.size(), distinct);
    }

    /** An empty Optional is left out, so a setting added that way keeps every older hash; present, it is its value. */
    @Test
    void emptyOptionalsAreLeftOutAndPresentOnesAreTheirValue() {
        TrainSpec plain = train(10, 128, ADAM, "cosine", 0, List.of(), List.of(), 0.1);
        assertEquals(-1, ConfigHash.canonical(plain).indexOf("bnMomentum"), ConfigHash.canonical(plain));
        assertEquals(ConfigHash.of(Map.of("a", 1)), ConfigHash.of(Map.of("a", 1, "b", java.util.Optional.empty())));
        assertEquals(ConfigHash.of(Map.of("a", 1, "b", 0.5)), ConfigHash.of(Map.of("a", 1, "b", java.util.Optional.of(0.5))));
        assertEquals(ConfigHash.of(plain), ConfigHash.of(plain.withBnMomentum(TrainSpec.DEFAULT_BN_MOMENTUM)));
        assertTrue(ConfigHash.canonical(plain.withBnMomentum(0.99)).contains("\"bnMomentum\":0.99"));
        assertEquals("0.99", ConfigHash.flatten(Map.of("pretext", plain.withBnMomentum(0.99))).get("pretext.bn_momentum"));
        assertFalse(ConfigHash.flatten(Map.of("pretext", plain)).containsKey("pretext.bn_momentum"));
    }

    @Test
    void numbersAreLocaleFreeAndSpellingFree() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("[0.001,1000000,0]", ConfigHash.canonical(List.of(1e-3, 1e6, -0.0)));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {Object.class, AtomicInteger.class})
    void typesWithoutACanonicalFormAreRefused(Class<?> type) throws Exception {
        Object value = type.getDeclaredConstructor().newInstance();
        assertThrows(IllegalArgumentException.class, () -> ConfigHash.of(List.of(value)).length());
    }

    private static TrainSpec train(int epochs, int batch, OptimizerSpec optimizer, String schedule, double warmup,
                                   List<Integer> milestones, List<Double> factors, double shift) {
        return new TrainSpec(epochs, batch, optimizer, new ScheduleSpec(schedule, warmup, milestones, factors),
                Map.of("shift", shift, "hflip", true));
    }
}
