package org.sslbench.method;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A method's or a protocol's effective hyperparameters (defaults overlaid with the spec), with
 * typed getters. In a configuration hash it is its map of values, and left out when empty
 * ({@link org.sslbench.data.Fingerprinted}): a protocol without params (finetune, linear, knn)
 * keeps the hash it had before protocols had params.
 */
public final class Params implements org.sslbench.data.Fingerprinted {
    /** No params. */
    public static final Params EMPTY = new Params(Map.of());

    private final Map<String, Object> values;

    public Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Defaults of {@code method} overlaid with {@code overrides}; a renamed param's old key
     * ({@link Param#renamedFrom}) sets the param(s) that took its name, as in a spec.
     *
     * @throws IllegalArgumentException when an old key and its new one are both given
     */
    public static Params of(Method method, Map<String, Object> overrides) {
        Map<String, Object> merged = new TreeMap<>();
        for (Param p : method.params()) {
            merged.put(p.name(), p.defaultValue());
        }
        Map<String, Object> rest = new TreeMap<>(overrides);
        for (Param p : method.params()) {
            for (String old : p.formerNames()) {
                if (overrides.containsKey(old)) {
                    if (overrides.containsKey(p.name())) {
                        throw new IllegalArgumentException("param '" + old + "' is the old name of '" + p.name()
                                + "', also given: keep only '" + p.name() + "'");
                    }
                    merged.put(p.name(), overrides.get(old));
                }
                rest.remove(old);
            }
        }
        merged.putAll(rest);
        return new Params(merged);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' (have " + values.keySet() + ")");
        }
        return v;
    }

    public int getInt(String name) {
        return ((Number) get(name)).intValue();
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return get(name).toString();
    }

    /** The values by name; an empty Optional when there are none (left out of hashes). */
    @Override
    public Object identity() {
        return values.isEmpty() ? java.util.Optional.empty() : values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
