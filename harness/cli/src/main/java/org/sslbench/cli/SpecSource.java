package org.sslbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sslbench.spec.Overrides;
import picocli.CommandLine.Option;

/** Where a spec and what it needs come from: options shared by every command that reads a spec. */
class SpecSource {
    @Option(names = "--spec", paramLabel = "FILE", description = "benchmark spec (YAML); default: the embedded default spec")
    Path spec;

    @Option(names = "--data", paramLabel = "DIR", description = "dataset files; overrides data.dir")
    Path data;

    @Option(names = "--plugins", paramLabel = "DIR", description = "directory of method/dataset/backbone plugin jars; overrides plugins.dir")
    Path plugins;

    /** @param out the results directory to force, or null to keep the spec's */
    Overrides overrides(Path out) {
        return new Overrides(out, data, plugins);
    }

    /** The plugins directory in force: the flag, else the spec's. */
    Path pluginsDir(SpecInput input) {
        return plugins != null ? plugins : input.pluginsDir();
    }

    /**
     * Reports a {@code --plugins} flag that names no directory. Checked up front because the
     * registries are built before the spec (whose own {@code plugins.dir} is checked with its line).
     */
    boolean pluginsFlagMissing() {
        if (plugins != null && !Files.isDirectory(plugins)) {
            System.err.println("sslbench: " + NoPluginsDirectoryException.message(plugins));
            return true;
        }
        return false;
    }
}
