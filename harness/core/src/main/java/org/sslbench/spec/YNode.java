package org.sslbench.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node together with the file and dotted field path it was reached by. All typed reading
 * goes through here, so every error carries file, 1-based line and field without the readers
 * having to pass them around. Values are never built from tags: {@link YamlTree} has already
 * refused every tag but str, int, float, bool, null, map and seq, and scalars are parsed here.
 */
final class YNode {
    private static final int MAX_ECHO = 40;

    private final String file;
    private final String path;
    private final Node node;
    private final int line;

    YNode(String file, String path, Node node) {
        this(file, path, node, node.getStartMark().getLine() + 1);
    }

    private YNode(String file, String path, Node node, int line) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.line = line;
    }

    /** A place with no YAML behind it (command-line overrides, an already loaded spec): line 0. */
    static YNode synthetic(String file, String path) {
        return new YNode(file, path, null, 0);
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    /** 1-based line; 0 for a synthetic node. */
    int line() {
        return line;
    }

    SpecException error(String message) {
        return new SpecException(file, line(), path, message);
    }

    /** The value under {@code key}; with a null value, a stand-in at this node's line (for "missing" errors). */
    YNode child(String key, Node value) {
        String childPath = path.isEmpty() ? key : path + "." + key;
        return value == null ? new YNode(file, childPath, null, line) : new YNode(file, childPath, value);
    }

    /**
     * The node at {@code steps} below this one (a String steps into a map key, an Integer into a
     * list index), or null when any step is absent. For keys already read and checked: pointing an
     * error at the value that caused it.
     */
    YNode lookup(Object... steps) {
        YNode at = this;
        for (Object step : steps) {
            if (at.node instanceof MappingNode mapping && step instanceof String key) {
                YNode found = null;
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                        found = at.child(key, tuple.getValueNode());
                    }
                }
                at = found;
            } else if (at.node instanceof SequenceNode seq && step instanceof Integer i && i < seq.getValue().size()) {
                at = new YNode(file, at.path + "[" + i + "]", seq.getValue().get(i));
            } else {
                return null;
            }
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    boolean isNull() {
        return node == null || Tag.NULL.equals(node.getTag());
    }

    boolean isSeq() {
        return node instanceof SequenceNode;
    }

    boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    // ---- structure -------------------------------------------------------------------------

    /** Elements with paths {@code path[i]}; an empty list is refused because no list key may be empty. */
    List<YNode> nonEmptyList() throws SpecException {
        if (!(node instanceof SequenceNode seq)) {
            throw mismatch("list");
        }
        if (seq.getValue().isEmpty()) {
            throw error("must not be empty");
        }
        List<YNode> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            out.add(new YNode(file, path + "[" + out.size() + "]", item));
        }
        return out;
    }

    /**
     * This node as a map whose keys must be in {@code allowed}; null ({@code finetune:} with nothing
     * after it) reads as an empty map so that it takes every default.
     *
     * @param what how an unknown key is named in the error, e.g. "key" or "augmentation"
     */
    YMap map(Collection<String> allowed, String what) throws SpecException {
        return map(allowed, List.of(), what);
    }

    /**
     * As {@link #map(Collection, String)}, also accepting the keys {@code unlisted} without naming
     * them among the allowed ones in an error (a renamed param's old name: it still reads, but a
     * user who mistyped a key is pointed at the current names).
     */
    YMap map(Collection<String> allowed, Collection<String> unlisted, String what) throws SpecException {
        if (isNull()) {
            return new YMap(this, List.of());
        }
        if (!(node instanceof MappingNode mapping)) {
            throw mismatch("map");
        }
        List<YMap.Entry> entries = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            YNode key = new YNode(file, path, tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode) || !Tag.STR.equals(tuple.getKeyNode().getTag())) {
                throw key.error("keys must be plain names, got " + key.describe());
            }
            String name = ((ScalarNode) tuple.getKeyNode()).getValue();
            YNode keyAt = child(name, tuple.getKeyNode());
            if (!allowed.contains(name) && !unlisted.contains(name)) {
                throw keyAt.error(Suggest.unknown(what, name, allowed));
            }
            for (YMap.Entry seen : entries) {
                if (seen.key().equals(name)) {
                    throw keyAt.error("duplicate key '" + name + "' (first at line " + seen.value().line() + ")");
                }
            }
            entries.add(new YMap.Entry(name, child(name, tuple.getValueNode())));
        }
        return new YMap(this, entries);
    }

    // ---- scalars ---------------------------------------------------------------------------

    String string() throws SpecException {
        requireTag(Tag.STR, "string");
        return scalarText();
    }

    /** A string that must be one of {@code allowed}; the error lists them and suggests the nearest. */
    String oneOf(Collection<String> allowed, String what) throws SpecException {
        String value = string();
        if (!allowed.contains(value)) {
            throw error(Suggest.unknown(what, value, allowed));
        }
        return value;
    }

    int integer() throws SpecException {
        requireTag(Tag.INT, "integer");
        BigInteger value = new BigInteger(scalarText().replace("_", ""));
        if (value.bitLength() > 31) {
            throw error("integer " + value + " is out of range");
        }
        return value.intValue();
    }

    int integer(Range range) throws SpecException {
        int value = integer();
        return (int) check(value, range);
    }

    /** Integers are accepted where a number is expected: {@code lr: 1} means 1.0. */
    double number() throws SpecException {
        if (!isScalar() || !(Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag()))) {
            throw mismatch("number");
        }
        double value;
        try {
            value = Double.parseDouble(scalarText().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("'" + scalarText() + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw error("number " + scalarText() + " is out of range");
        }
        return value;
    }

    double number(Range range) throws SpecException {
        return check(number(), range);
    }

    boolean bool() throws SpecException {
        requireTag(Tag.BOOL, "boolean");
        return Boolean.parseBoolean(scalarText());
    }

    /**
     * A value of the Java type a method param or augmentation declares (Integer, Double, Boolean
     * or String); Doubles come back as Double even when written as an integer.
     */
    Object ofType(Class<?> type) throws SpecException {
        if (type == Integer.class) {
            return integer();
        }
        if (type == Double.class) {
            return number();
        }
        if (type == Boolean.class) {
            return bool();
        }
        if (type == String.class) {
            return string();
        }
        throw error("values of type " + type.getSimpleName() + " cannot be given in a spec");
    }

    /**
     * The value in YAML flow style for display ({@code make list}, README): scalars as written,
     * maps as {@code {k: v, ...}} in file order, lists as {@code [a, b]}; null as {@code null}.
     */
    String flow() {
        if (isNull()) {
            return "null";
        }
        if (node instanceof MappingNode mapping) {
            List<String> parts = new ArrayList<>();
            for (NodeTuple t : mapping.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                parts.add(key + ": " + child(key, t.getValueNode()).flow());
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (node instanceof SequenceNode seq) {
            List<String> parts = new ArrayList<>();
            for (Node item : seq.getValue()) {
                parts.add(new YNode(file, path, item).flow());
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return scalarText();
    }

    /** For messages: {@code string 'ten'}, {@code integer 5}, {@code null}, {@code map}, {@code list}. */
    String describe() {
        if (isNull()) {
            return "null";
        }
        if (node instanceof MappingNode) {
            return "map";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        String text = scalarText();
        String echo = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        Tag tag = node.getTag();
        if (Tag.INT.equals(tag)) {
            return "integer " + echo;
        }
        if (Tag.FLOAT.equals(tag)) {
            return "number " + echo;
        }
        if (Tag.BOOL.equals(tag)) {
            return "boolean " + echo;
        }
        return "string '" + echo + "'";
    }

    private double check(double value, Range range) throws SpecException {
        if (!range.contains(value)) {
            throw error("must be " + range.describe() + ", got " + Range.format(value));
        }
        return value;
    }

    private void requireTag(Tag tag, String expected) throws SpecException {
        if (!isScalar() || !tag.equals(node.getTag())) {
            throw mismatch(expected);
        }
    }

    private SpecException mismatch(String expected) {
        return error("expected " + expected + ", got " + describe());
    }

    private String scalarText() {
        return ((ScalarNode) node).getValue();
    }
}
