package org.sslbench.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.nio.file.Path;
import org.sslbench.run.HarnessModule;
import org.sslbench.spec.Overrides;
import picocli.CommandLine.Option;

/** Options shared by the commands that read a spec. */
final class SpecOptions {
    @Option(names = "--spec", paramLabel = "FILE", description = "benchmark spec (YAML); default: the embedded default spec")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR", description = "results directory; overrides output.dir (default results/<spec name>)")
    Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "dataset files; overrides data.dir")
    Path data;

    @Option(names = "--plugins", paramLabel = "DIR", description = "directory of method/dataset/backbone plugin jars; overrides plugins.dir")
    Path plugins;

    Overrides overrides() {
        return new Overrides(out, data, plugins);
    }

    /** The plugins directory in force: the flag, else the spec's. */
    Path pluginsDir(SpecInput input) {
        return plugins != null ? plugins : input.pluginsDir();
    }

    static Injector injector(Path pluginsDir, PrintStream out) {
        return Guice.createInjector(new HarnessModule(pluginsDir, out));
    }
}
