package org.sslbench.spec;

import java.nio.file.Path;

/**
 * Command-line settings that win over the spec ({@code OUT=}, {@code DATA=}, the plugins
 * directory). A null component leaves the spec's own value in place.
 */
public record Overrides(Path outputDir, Path dataDir, Path pluginsDir) {
    public static final Overrides NONE = new Overrides(null, null, null);
}
