package org.sslbench.plugin;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Some method, dataset or backbone name is provided by two jars: bad input (exit 2). The message
 * names both jars of each conflict and says what to remove.
 */
public final class PluginConflictException extends Exception {
    private final List<PluginLoader.Conflict> conflicts;

    /** @param conflicts at least one conflict */
    public PluginConflictException(List<PluginLoader.Conflict> conflicts) {
        super(conflicts.stream().map(c -> "plugins: " + c).collect(Collectors.joining("\n")));
        this.conflicts = List.copyOf(conflicts);
    }

    public List<PluginLoader.Conflict> conflicts() {
        return conflicts;
    }
}
