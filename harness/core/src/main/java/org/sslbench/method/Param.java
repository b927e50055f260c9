package org.sslbench.method;

import java.util.List;

/**
 * A hyperparameter a method accepts in a spec's {@code params}. The default's Java type
 * (Integer, Double, Boolean, String) is the type the spec value must have (an int is accepted
 * where a double is expected).
 *
 * <p>A numeric param may declare the {@link ParamRange} its values must lie in, and a String
 * param the values it allows; {@code validate} and {@code bench} refuse anything else before any
 * work starts (file, line, field and the allowed values), and {@code list} shows them:
 * <pre>{@code
 * Param.of("temperature", 0.1, "softmax temperature of InfoNCE").greaterThan(0)
 * Param.of("queue_size", 4096, "negatives kept").atLeast(1)
 * Param.of("momentum", 0.99, "EMA momentum of the key encoder").between(0, 1)
 * Param.of("norm", "l2", "feature normalisation").oneOf("l2", "none")
 * }</pre>
 * The three-argument constructor (no range) keeps working for plugins written before ranges existed.
 *
 * <p>A renamed param keeps old specs working with {@link #renamedFrom}: the spec reader reads the
 * old key as the new one (before hashing, so both spellings give the same cell), prints a note
 * naming the new key, and refuses a params block that writes both:
 * <pre>{@code
 * Param.of("proj_output_dim", 256, "projector output width").between(1, Param.MAX_WIDTH).renamedFrom("projector_dim")
 * }</pre>
 * Several params may name the same old key (one old width split into a hidden and an output
 * width): the old key then sets each of them.
 *
 * @param range       allowed interval of a numeric param ({@link ParamRange#ANY} when none is declared;
 *                    always {@code ANY} for Boolean and String params)
 * @param allowed     allowed values of a String param; empty = any string (always empty for other types)
 * @param formerNames names this param had before (accepted in a spec's params with a note); empty for most
 */
public record Param(String name, Object defaultValue, String description, ParamRange range, List<String> allowed,
                    List<String> formerNames) {
    /**
     * Largest layer width (projector, predictor, expander) the built-in methods accept: twice the
     * largest in their papers (Barlow Twins and VICReg use 8192). A width x width weight matrix is
     * then 2^28 floats, and every variable stays below 2^31 - 1 elements, the largest Java array a
     * variable is copied into for checkpoints (2e9 failed at run time with an int overflow).
     */
    public static final int MAX_WIDTH = 16384;

    /**
     * Largest feature queue (MoCo negatives, NNCLR support set) the built-in methods accept: above
     * the papers' largest (NNCLR 98304, MoCo 65536), and {@code MAX_QUEUE * MAX_WIDTH} = 1.64e9
     * elements, below 2^31 - 1, so the [queue, dim] variable never overflows int sizes.
     */
    public static final int MAX_QUEUE = 100_000;

    /**
     * Smallest softmax temperature the built-in contrastive methods accept. Logits are cos/tau with
     * |cos| &lt;= 1; TensorFlow's softmax cross-entropy is stable (it subtracts the row maximum), so
     * exp never overflows, but the loss and its gradient grow as 1/tau: measured on NT-Xent
     * (8 x 16 Gaussian embeddings) loss 479 at 1e-3, 4785 at 1e-4, 4.8e5 at 1e-6, and infinity at
     * the smallest normal float32 1.2e-38 (TemperatureFloorTest). 1e-4 is two orders of magnitude
     * below the smallest temperatures the papers use (SimCLR sweeps 0.05 to 1; MoCo 0.07; NNCLR 0.1).
     */
    public static final double MIN_TEMPERATURE = 1e-4;

    public Param {
        if (!(defaultValue instanceof Integer || defaultValue instanceof Double
                || defaultValue instanceof Boolean || defaultValue instanceof String)) {
            throw new IllegalArgumentException("param " + name + ": default must be Integer, Double, Boolean or String");
        }
        range = range == null ? ParamRange.ANY : range;
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        formerNames = formerNames == null ? List.of() : List.copyOf(formerNames);
        if (formerNames.contains(name)) {
            throw new IllegalArgumentException("param " + name + ": renamedFrom must name its old name, not " + name);
        }
        if (!range.equals(ParamRange.ANY) && !(defaultValue instanceof Number)) {
            throw new IllegalArgumentException("param " + name + ": only Integer and Double params take a range");
        }
        if (!allowed.isEmpty() && !(defaultValue instanceof String)) {
            throw new IllegalArgumentException("param " + name + ": only String params take a list of allowed values");
        }
        // A default outside its own range is a plugin bug: fail when the plugin loads, not in a spec.
        if (defaultValue instanceof Number n && !range.contains(n.doubleValue())) {
            throw new IllegalArgumentException("param " + name + ": default " + defaultValue + " is not " + range.describe());
        }
        if (defaultValue instanceof Double d && float32Problem(d) != null) {
            throw new IllegalArgumentException("param " + name + ": default " + defaultValue + " " + float32Problem(d));
        }
        if (!allowed.isEmpty() && !allowed.contains(defaultValue)) {
            throw new IllegalArgumentException("param " + name + ": default '" + defaultValue + "' is not one of " + allowed);
        }
    }

    /** A param that was never renamed (source- and binary-compatible with plugins built before renames). */
    public Param(String name, Object defaultValue, String description, ParamRange range, List<String> allowed) {
        this(name, defaultValue, description, range, allowed, List.of());
    }

    /** A param with no declared range (source- and binary-compatible with plugins built before ranges). */
    public Param(String name, Object defaultValue, String description) {
        this(name, defaultValue, description, ParamRange.ANY, List.of());
    }

    /** Same as the three-argument constructor; chain {@link #range}, {@link #greaterThan}, ... on it. */
    public static Param of(String name, Object defaultValue, String description) {
        return new Param(name, defaultValue, description);
    }

    /** This param restricted to {@code range} (numeric params only). */
    public Param range(ParamRange range) {
        return new Param(name, defaultValue, description, range, allowed, formerNames);
    }

    /** Values {@code > min}, e.g. a temperature. */
    public Param greaterThan(double min) {
        return range(ParamRange.greaterThan(min));
    }

    /** Values {@code >= min}, e.g. a width or queue size of at least 1. */
    public Param atLeast(double min) {
        return range(ParamRange.atLeast(min));
    }

    /** Values {@code <= max} on top of the lower bound already declared, e.g. a width that must fit int arithmetic. */
    public Param atMost(double max) {
        return range(new ParamRange(range.min(), range.minOpen(), max, false));
    }

    /** Values in {@code [min, max]}, both ends included, e.g. a probability. */
    public Param between(double min, double max) {
        return range(ParamRange.closed(min, max));
    }

    /** This String param restricted to {@code values}. */
    public Param oneOf(String... values) {
        return new Param(name, defaultValue, description, range, List.of(values), formerNames);
    }

    /**
     * This param, also read from a spec under its old name(s) {@code oldNames} (with a note that
     * names the new key). Chain it last, after the range.
     */
    public Param renamedFrom(String... oldNames) {
        List<String> all = new java.util.ArrayList<>(formerNames);
        all.addAll(List.of(oldNames));
        return new Param(name, defaultValue, description, range, allowed, all);
    }

    /**
     * Null when the names of {@code params} are usable in a spec, else why not: a name declared
     * twice, or an old name ({@link #renamedFrom}) that is also a current name (a spec key would be
     * ambiguous). Checked when a plugin loads.
     */
    public static String namesProblem(List<Param> params) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Param p : params) {
            if (!names.add(p.name())) {
                return "param '" + p.name() + "' is declared twice";
            }
        }
        for (Param p : params) {
            for (String old : p.formerNames()) {
                if (names.contains(old)) {
                    return "param '" + p.name() + "' is renamedFrom '" + old + "', which is also a current param name";
                }
            }
        }
        return null;
    }

    /** Null when {@code value} (already of this param's type) is allowed, else why not: "must be > 0". */
    public String problem(Object value) {
        if (value instanceof Number n && !range.contains(n.doubleValue())) {
            return "must be " + range.describe();
        }
        if (defaultValue instanceof Double && value instanceof Number n && float32Problem(n.doubleValue()) != null) {
            return float32Problem(n.doubleValue());
        }
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            return "must be one of " + String.join(", ", allowed);
        }
        return null;
    }

    /**
     * Null when {@code v} survives the cast to float32, else why not. Every Double param reaches the
     * TensorFlow graph as a float32 constant (losses, EMA rates, weights), so a value that is finite
     * and inside its range as a double can still become infinity (|v| &gt; {@link Float#MAX_VALUE}) or
     * lose its sign and meaning in the cast (0 &lt; |v| &lt; {@link Float#MIN_NORMAL}: subnormal or 0,
     * e.g. a temperature of 1e-46 becomes 0 and the loss divides by it). Checked for every Double
     * param, declared range or not.
     */
    public static String float32Problem(double v) {
        if (v != 0 && (Math.abs(v) > Float.MAX_VALUE || Math.abs(v) < Float.MIN_NORMAL)) {
            return "must be 0 or of magnitude between " + Float.MIN_NORMAL + " and " + Float.MAX_VALUE
                    + " (the computation uses 32-bit floats, where this value becomes 0, subnormal or infinite)";
        }
        return null;
    }

    /** The declared constraint as {@code list} shows it ("> 0", "one of a, b"); empty when none. */
    public String constraint() {
        if (!allowed.isEmpty()) {
            return "one of " + String.join(", ", allowed);
        }
        return range.equals(ParamRange.ANY) ? "" : range.describe();
    }
}
