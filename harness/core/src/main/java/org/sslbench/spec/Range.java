package org.sslbench.spec;

/** An allowed interval for a number in a spec, worded for error messages ("must be > 0, got 0"). */
record Range(double min, boolean minOpen, double max, boolean maxOpen) {
    static final Range POSITIVE = new Range(0, true, Double.POSITIVE_INFINITY, true);
    static final Range NON_NEGATIVE = new Range(0, false, Double.POSITIVE_INFINITY, true);
    /** Fractions of a pool: 0 would be no labels, 1 all of them. */
    static final Range FRACTION = new Range(0, true, 1, false);
    /** SGD momentum: 1 would never forget a gradient. */
    static final Range MOMENTUM = new Range(0, false, 1, true);

    boolean contains(double v) {
        return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    }

    String describe() {
        if (Double.isInfinite(max)) {
            return (minOpen ? "> " : ">= ") + format(min);
        }
        return "in " + (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]");
    }

    /** Whole numbers without ".0", so messages echo what the user wrote. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
