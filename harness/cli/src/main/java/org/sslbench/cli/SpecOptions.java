package org.sslbench.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.nio.file.Path;
import org.sslbench.run.HarnessModule;
import org.sslbench.spec.Overrides;
import picocli.CommandLine.Option;

/** Options of the commands that run or check a spec: the spec source plus the results directory. */
final class SpecOptions extends SpecSource {
    @Option(names = "--out", paramLabel = "DIR", description = "results directory; overrides output.dir (default results/<spec name>)")
    Path out;

    Overrides overrides() {
        return overrides(out);
    }

    static Injector injector(Path pluginsDir, PrintStream out) {
        return Guice.createInjector(new HarnessModule(pluginsDir, out));
    }
}
