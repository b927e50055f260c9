package org.sslbench.run;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.sslbench.evaluate.Protocol;
import org.sslbench.evaluate.Protocols;

/**
 * Wires the harness services: registries (methods, datasets, backbones from the classpath and the
 * plugins directory), evaluation protocols, and the runner with its output stream.
 */
public final class HarnessModule extends AbstractModule {
    private final Path pluginsDir;
    private final PrintStream out;

    /**
     * @param pluginsDir directory of extra plugin jars, or null
     * @param out        where progress, summaries and the final table go
     */
    public HarnessModule(Path pluginsDir, PrintStream out) {
        this.pluginsDir = pluginsDir;
        this.out = out;
    }

    @Override
    protected void configure() {
        MapBinder<String, Protocol> protocols = MapBinder.newMapBinder(binder(), String.class, Protocol.class);
        // Registered in one place (Protocols.BUILT_IN): the report looks them up there too, without Guice.
        for (Protocol p : Protocols.BUILT_IN) {
            protocols.addBinding(p.name()).toInstance(p);
        }
        bind(PrintStream.class).toInstance(out);
    }

    @Provides
    @Singleton
    Registries registries(Map<String, Protocol> protocols) {
        try {
            return Registries.discover(pluginsDir, protocols);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
