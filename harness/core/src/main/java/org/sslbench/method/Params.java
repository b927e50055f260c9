package org.sslbench.method;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A method's effective hyperparameters (defaults overlaid with the spec), with typed getters. */
public final class Params {
    private final Map<String, Object> values;

    public Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Defaults of {@code method} overlaid with {@code overrides}. */
    public static Params of(Method method, Map<String, Object> overrides) {
        Map<String, Object> merged = new TreeMap<>();
        for (Param p : method.params()) {
            merged.put(p.name(), p.defaultValue());
        }
        merged.putAll(overrides);
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

    @Override
    public String toString() {
        return values.toString();
    }
}
