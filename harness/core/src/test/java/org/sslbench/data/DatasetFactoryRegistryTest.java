package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetFactoryRegistryTest {
    @Test
    void builtInFactoriesAreRegisteredUnderTheirNames() {
        Set<String> names = ServiceLoader.load(DatasetFactory.class).stream()
                .map(p -> p.get().name()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("fashion-mnist", "fashion-mnist-embedded", "cifar10", "stl10")), names.toString());
        for (DatasetFactory f : ServiceLoader.load(DatasetFactory.class)) {
            assertTrue(f.name().matches("[a-z0-9-]+"), f.name());
            assertTrue(!f.description().isBlank(), f.name());
        }
        assertEquals(names.size(), ServiceLoader.load(DatasetFactory.class).stream().count(), "names are unique");
    }
}
