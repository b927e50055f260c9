package org.sslbench.plugin;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything of one kind (methods, datasets, backbones) found on the classpath and in plugin
 * jars, by name, with where each came from.
 */
public final class Registry<T extends Named> {
    /** One entry and the jar (or classes directory) it was loaded from. */
    public record Entry<T>(String name, T value, String source) {
    }

    private final String kind;
    private final Map<String, Entry<T>> entries;

    Registry(String kind, Map<String, Entry<T>> entries) {
        this.kind = kind;
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** A registry over given entries (tests, embedded use). */
    @SafeVarargs
    public static <T extends Named> Registry<T> of(String kind, T... values) {
        Map<String, Entry<T>> map = new TreeMap<>();
        for (T v : values) {
            map.put(v.name(), new Entry<>(v.name(), v, PluginLoader.sourceOf(v.getClass())));
        }
        return new Registry<>(kind, map);
    }

    /** "method", "dataset", "backbone". */
    public String kind() {
        return kind;
    }

    public Optional<T> find(String name) {
        Entry<T> e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /** The entry named {@code name}; an unknown name lists what exists. */
    public T get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + kind + " '" + name + "'; available: " + String.join(", ", names())));
    }

    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public List<Entry<T>> entries() {
        return List.copyOf(entries.values());
    }
}
