package org.sslbench.matrix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Content hashes of configurations, stable across JVMs, locales and map orders: what identifies a
 * result so that it can be reused, and changes whenever anything that changes the result does.
 *
 * <p>The canonical form is JSON-like: maps (and records, as maps of their components) with keys
 * sorted, lists in order, strings quoted, numbers in plain decimal without trailing zeros (so
 * {@code 0.001} never becomes {@code 1.0E-3} or {@code 0,001}). Any other type is refused rather
 * than hashed through an unstable {@code toString}.
 *
 * <p>An {@link Optional} value of a map or record is its content when present and left out when
 * empty: a setting added later as an empty-by-default Optional (e.g. a training block's
 * {@code bn_momentum}) keeps the hash of every configuration that does not use it. So does a
 * {@link org.sslbench.data.Fingerprinted} value whose identity is an empty Optional.
 */
public final class ConfigHash {
    /** 16 hex digits (64 bits): short enough for file names, collisions negligible for a benchmark. */
    public static final int LENGTH = 16;

    private ConfigHash() {
    }

    /** The first {@link #LENGTH} hex digits of the SHA-256 of {@link #canonical(Object)}. */
    public static String of(Object value) {
        return sha256Hex(canonical(value), LENGTH);
    }

    /**
     * The first {@code digits} hex digits of the SHA-256 of {@code text}'s UTF-8 bytes: the one
     * place ids of free text (a legacy row's recorded settings, a code fingerprint) are hashed.
     */
    public static String sha256Hex(String text, int digits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, digits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    /**
     * The leaves of {@code value} as {@code path=value} pairs, sorted by path: nested maps and
     * records become dotted paths with snake_case names ({@code pretext.batch_size}), lists and
     * numbers keep their canonical text, strings are unquoted, null leaves are left out. A readable
     * account of what a {@link #of} hash covers (the settings summary of results files).
     *
     * @throws IllegalArgumentException for a type without a canonical form
     */
    public static Map<String, String> flatten(Map<String, ?> value) {
        Map<String, String> out = new TreeMap<>();
        value.forEach((k, v) -> flatten(out, k, v));
        return out;
    }

    private static void flatten(Map<String, String> out, String path, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Optional<?> optional) {
            optional.ifPresent(v -> flatten(out, path, v));
            return;
        }
        if (value instanceof org.sslbench.data.Fingerprinted f) {
            flatten(out, path, f.identity());
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(out, path + "." + k, v));
        } else if (value instanceof Record record) {
            components(record).forEach((k, v) -> flatten(out, path + "." + snakeCase(k), v));
        } else if (value instanceof CharSequence || value instanceof Path || value instanceof Enum<?>) {
            out.put(path, value instanceof Enum<?> e ? e.name() : value.toString());
        } else {
            out.put(path, canonical(value));
        }
    }

    // Spec files spell keys in snake_case (batch_size); record components are camelCase.
    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** A number as in the canonical form (plain decimal, no trailing zeros), for text from elsewhere. */
    public static String canonicalNumber(double d) {
        return number(d);
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            out.append(number(((Number) value).doubleValue()));
        } else if (value instanceof CharSequence || value instanceof Path || value instanceof Enum<?>) {
            quote(out, value instanceof Enum<?> e ? e.name() : value.toString());
        } else if (value instanceof Map<?, ?> map) {
            appendMap(out, map);
        } else if (value instanceof Collection<?> list) {
            appendList(out, list);
        } else if (value instanceof int[] ints) {
            appendList(out, Arrays.stream(ints).boxed().toList());
        } else if (value instanceof double[] doubles) {
            appendList(out, Arrays.stream(doubles).boxed().toList());
        } else if (value instanceof org.sslbench.data.Fingerprinted f) {
            append(out, f.identity()); // before Record: its identity, not its fields (paths)
        } else if (value instanceof Record record) {
            appendMap(out, components(record));
        } else if (value instanceof Optional<?> optional && optional.isPresent()) {
            append(out, optional.get());
        } else {
            throw new IllegalArgumentException("no canonical form for " + value.getClass().getName());
        }
    }

    private static void appendMap(StringBuilder out, Map<?, ?> map) {
        // Keys sorted by their canonical text: insertion order of a HashMap must not matter.
        TreeMap<String, Object> sorted = new TreeMap<>();
        map.forEach((k, v) -> {
            if (!isAbsent(v)) {
                sorted.put(canonical(k), v);
            }
        });
        out.append('{');
        String sep = "";
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            out.append(sep).append(e.getKey()).append(':');
            append(out, e.getValue());
            sep = ",";
        }
        out.append('}');
    }

    /**
     * Left out of a map: an empty Optional, or a {@link org.sslbench.data.Fingerprinted} value whose
     * identity is an empty Optional (a setting that cannot change the result, e.g. the pretext
     * monitor without early stop, org.sslbench.spec.MonitorSpec).
     */
    private static boolean isAbsent(Object v) {
        Object x = v instanceof org.sslbench.data.Fingerprinted f ? f.identity() : v;
        return x instanceof Optional<?> o && o.isEmpty();
    }

    private static void appendList(StringBuilder out, Collection<?> list) {
        out.append('[');
        String sep = "";
        for (Object item : list) {
            out.append(sep);
            append(out, item);
            sep = ",";
        }
        out.append(']');
    }

    /** A record as the map of its components, so a new component automatically enters every hash. */
    private static Map<String, Object> components(Record record) {
        Map<String, Object> out = new TreeMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                out.put(c.getName(), c.getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("cannot read " + c.getName() + " of " + record.getClass(), e);
            }
        }
        return out;
    }

    private static String number(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        // -0.0 and 0.0 train identically; BigDecimal's plain string is locale-free and exact.
        return d == 0 ? "0" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
