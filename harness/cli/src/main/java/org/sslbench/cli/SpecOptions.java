package org.sslbench.cli;

import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.nio.file.Path;
import org.sslbench.plugin.PluginConflictException;
import org.sslbench.run.HarnessModule;
import org.sslbench.run.Registries;
import org.sslbench.spec.Overrides;
import picocli.CommandLine.Option;

/** Options of the commands that run or check a spec: the spec source plus the results directory. */
final class SpecOptions extends SpecSource {
    @Option(names = "--out", paramLabel = "DIR", description = "results directory; overrides output.dir (default results/<spec name>)")
    Path out;

    Overrides overrides() {
        return overrides(out);
    }

    /** A spec read and validated against the registries of its plugins: where every spec command starts. */
    record Loaded(SpecInput input, Registries registries, Spec spec) {
    }

    /**
     * Reads {@code --spec} (or the embedded default), wires the plugins of its plugins directory and
     * validates the spec against them, printing plugin warnings to stderr.
     *
     * @throws SpecException          (exit 2) for a spec error, with file:line:field
     * @throws PluginConflictException (exit 2) for a name provided twice
     */
    Loaded load(PrintStream log) throws SpecException, PluginConflictException {
        SpecInput input = SpecInput.read(spec);
        Registries registries = registries(injector(pluginsDir(input), log));
        return new Loaded(input, registries, input.load(registries, overrides()));
    }

    /**
     * The harness wiring with plugins from {@code pluginsDir} (null = built-ins only).
     *
     * @throws NoPluginsDirectoryException (exit 2 in {@link Main}) when the directory does not exist;
     *     checked here, before Guice, so that every command reports it the same way
     */
    static Injector injector(Path pluginsDir, PrintStream out) {
        if (pluginsDir != null && !java.nio.file.Files.isDirectory(pluginsDir)) {
            throw new NoPluginsDirectoryException(pluginsDir);
        }
        return Guice.createInjector(new HarnessModule(pluginsDir, out));
    }

    /**
     * The registries of {@code injector} after the checks every command that loads plugins shares,
     * so that none of them disagrees with another: each plugin problem is a warning on stderr, and a
     * name provided twice is refused.
     *
     * @throws PluginConflictException (exit 2) naming both jars of each conflict
     */
    static Registries registries(Injector injector) throws PluginConflictException {
        Registries registries = injector.getInstance(Registries.class);
        registries.problems().forEach(p -> System.err.println("warning: plugin " + p));
        registries.requireNoConflicts();
        return registries;
    }
}
