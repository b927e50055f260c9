package org.sslbench.method;

import java.math.BigDecimal;

/**
 * The interval a numeric {@link Param} must lie in, with open or closed ends, e.g. a softmax
 * temperature {@code > 0} or an EMA momentum in {@code [0, 1]}. Checked by {@code validate} and
 * {@code bench} before any work, and shown by {@code list}.
 *
 * @param min     lower bound ({@link Double#NEGATIVE_INFINITY} = none)
 * @param minOpen true when {@code min} itself is excluded
 * @param max     upper bound ({@link Double#POSITIVE_INFINITY} = none)
 * @param maxOpen true when {@code max} itself is excluded
 */
public record ParamRange(double min, boolean minOpen, double max, boolean maxOpen) {
    /** Any finite number (the range of a numeric param that declares none). */
    public static final ParamRange ANY = new ParamRange(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);

    public ParamRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max || (min == max && (minOpen || maxOpen))) {
            throw new IllegalArgumentException("empty range: " + describe(min, minOpen, max, maxOpen));
        }
    }

    /** {@code > min}. */
    public static ParamRange greaterThan(double min) {
        return new ParamRange(min, true, Double.POSITIVE_INFINITY, true);
    }

    /** {@code >= min}. */
    public static ParamRange atLeast(double min) {
        return new ParamRange(min, false, Double.POSITIVE_INFINITY, true);
    }

    /** {@code [min, max]}, both ends included. */
    public static ParamRange closed(double min, double max) {
        return new ParamRange(min, false, max, false);
    }

    /** True for finite values inside the range (NaN and infinities are never valid hyperparameters). */
    public boolean contains(double v) {
        return Double.isFinite(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    }

    /** As the spec reader words it: {@code > 0}, {@code >= 1}, {@code <= 1}, {@code in [0, 1)}, {@code any number}. */
    public String describe() {
        return describe(min, minOpen, max, maxOpen);
    }

    private static String describe(double min, boolean minOpen, double max, boolean maxOpen) {
        boolean noMin = min == Double.NEGATIVE_INFINITY;
        boolean noMax = max == Double.POSITIVE_INFINITY;
        if (noMin && noMax) {
            return "any number";
        }
        if (noMax) {
            return (minOpen ? "> " : ">= ") + format(min);
        }
        if (noMin) {
            return (maxOpen ? "< " : "<= ") + format(max);
        }
        return "in " + (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]");
    }

    /** Whole numbers without ".0" and no exponent, so messages echo what the user wrote. */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return v == 0 ? "0" : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
