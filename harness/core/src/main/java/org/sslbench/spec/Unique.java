package org.sslbench.spec;

import java.util.HashMap;
import java.util.Map;

/** Refuses the second occurrence of a value in a list (seeds, methods, datasets, ...), naming the first. */
final class Unique {
    private final String what;
    private final Map<Object, YNode> seen = new HashMap<>();

    Unique(String what) {
        this.what = what;
    }

    void add(Object value, YNode at) throws SpecException {
        YNode first = seen.putIfAbsent(value, at);
        if (first != null) {
            String shown = value instanceof Double d ? Range.format(d) : String.valueOf(value);
            throw at.error("duplicate " + what + " '" + shown + "' (first at line " + first.line() + ")");
        }
    }
}
