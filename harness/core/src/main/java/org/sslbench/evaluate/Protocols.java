package org.sslbench.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The downstream protocols the harness ships, in {@code make list} order: the one place a protocol
 * is registered. {@code HarnessModule} binds each by its {@link Protocol#name()}, the spec reader
 * reads its {@link Protocol#params()} and {@link Protocol#trainsEncoder()} from there, and the
 * report ({@code make report}, which reads files and builds no Guice injector) looks its
 * properties up here by the protocol name stored in cells.csv.
 *
 * <p>To add a protocol: implement {@link Protocol} (stateless: one instance serves every cell) and
 * append an instance to {@link #BUILT_IN}.
 */
public final class Protocols {
    /** Every built-in protocol; stateless instances. */
    public static final List<Protocol> BUILT_IN = List.of(new FineTune(), new LinearProbe(), new Knn(), new SupCon(),
            new FixMatch());

    private Protocols() {
    }

    /** {@link #BUILT_IN} by name, in list order. */
    public static Map<String, Protocol> byName() {
        Map<String, Protocol> out = new LinkedHashMap<>();
        BUILT_IN.forEach(p -> out.put(p.name(), p));
        return out;
    }

    /** The built-in protocol called {@code name}, if any. */
    public static Optional<Protocol> named(String name) {
        return BUILT_IN.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Whether the protocol called {@code name} trains the encoder ({@link Protocol#trainsEncoder()}):
     * its {@code supervised} row is then trained from scratch rather than a frozen random encoder.
     * False for a name no built-in protocol has (e.g. a protocol of an older version in old results).
     */
    public static boolean trainsEncoder(String name) {
        return named(name).map(Protocol::trainsEncoder).orElse(false);
    }
}
