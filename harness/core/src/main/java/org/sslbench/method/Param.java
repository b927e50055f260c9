package org.sslbench.method;

/**
 * A hyperparameter a method accepts in a spec's {@code params}. The default's Java type
 * (Integer, Double, Boolean, String) is the type the spec value must have (an int is accepted
 * where a double is expected).
 */
public record Param(String name, Object defaultValue, String description) {
    public Param {
        if (!(defaultValue instanceof Integer || defaultValue instanceof Double
                || defaultValue instanceof Boolean || defaultValue instanceof String)) {
            throw new IllegalArgumentException("param " + name + ": default must be Integer, Double, Boolean or String");
        }
    }
}
