package org.sslbench.spec;

import java.util.List;

/**
 * A YAML map whose keys were already checked against what is allowed. The typed getters take the
 * default to use when the key is absent, which is how every documented default is applied.
 */
final class YMap {
    record Entry(String key, YNode value) {
    }

    private final YNode self;
    private final List<Entry> entries;

    YMap(YNode self, List<Entry> entries) {
        this.self = self;
        this.entries = List.copyOf(entries);
    }

    /** The entries in spec order. */
    List<Entry> entries() {
        return entries;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** The value node, or null when the key is absent. */
    YNode get(String key) {
        for (Entry e : entries) {
            if (e.key().equals(key)) {
                return e.value();
            }
        }
        return null;
    }

    /**
     * The value node if present, else a stand-in at this map's own line with the key's field path:
     * where to point an error about a key that is missing or must come with another one.
     */
    YNode at(String key) {
        YNode value = get(key);
        return value != null ? value : self.child(key, null);
    }

    YNode require(String key) throws SpecException {
        YNode value = get(key);
        if (value == null) {
            throw at(key).error("required key '" + key + "' is missing");
        }
        return value;
    }

    String string(String key, String absent) throws SpecException {
        return has(key) ? get(key).string() : absent;
    }

    int integer(String key, int absent, Range range) throws SpecException {
        return has(key) ? get(key).integer(range) : absent;
    }

    double number(String key, double absent, Range range) throws SpecException {
        return has(key) ? get(key).number(range) : absent;
    }

    boolean bool(String key, boolean absent) throws SpecException {
        return has(key) ? get(key).bool() : absent;
    }
}
