package org.sslbench.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * Discovers {@link Named} services with {@link ServiceLoader}: first on the classpath, then in
 * every {@code *.jar} of a plugins directory, each jar in its own class loader so that one broken
 * jar is reported by name and the others still load.
 *
 * <p>Two providers of one name (two plugin jars, say {@code my-method-1.0.0.jar} and
 * {@code my-method-1.0.1.jar}, or a plugin and a built-in) are a {@link Conflict}: which one would
 * run cannot be guessed, so every command refuses to run until one is removed
 * ({@link PluginConflictException}).
 */
public final class PluginLoader {
    /** A jar or provider that could not be loaded; the rest of the registry is still usable. */
    public record Problem(String source, String message) {
        @Override
        public String toString() {
            return source + ": " + message;
        }
    }

    private final ClassLoader parent;
    private final List<Path> jars;
    private final Map<Path, URLClassLoader> loaders = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    /** "kind:name" of providers skipped for an invalid declaration, to the jar and reason (for specs naming them). */
    private final Map<String, String> skipped = new LinkedHashMap<>();

    /**
     * Two providers of one name. {@code first} is the one found first (classpath before plugins
     * directory, then jar file names in order), {@code second} the other.
     *
     * @param kind "method", "dataset" or "backbone"
     */
    public record Conflict(String kind, String name, String first, String second, boolean firstBuiltIn) {
        /** Names both sources and says how to resolve it. */
        @Override
        public String toString() {
            return kind + " '" + name + "' is provided twice: by " + (firstBuiltIn ? "built-in " : "") + first
                    + " and by " + second + (firstBuiltIn
                    ? "; a plugin cannot replace a built-in " + kind + ": remove that jar or give its " + kind
                            + " another name"
                    : "; sslbench will not pick one: remove the jar you do not want from the plugins directory");
        }
    }

    /**
     * @param pluginsDir directory of plugin jars, or null for classpath only
     * @throws IOException when the directory is given but cannot be listed
     */
    public PluginLoader(Path pluginsDir) throws IOException {
        this.parent = PluginLoader.class.getClassLoader();
        this.jars = new ArrayList<>();
        if (pluginsDir != null) {
            if (!Files.isDirectory(pluginsDir)) {
                throw new IOException("plugins directory " + pluginsDir + " does not exist or is not a directory");
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(pluginsDir, "*.jar")) {
                stream.forEach(jars::add);
            }
            jars.sort(null);
            for (Path jar : jars) {
                openJar(jar);
            }
        }
    }

    private void openJar(Path jar) {
        try (JarFile ignored = new JarFile(jar.toFile())) {
            loaders.put(jar, new URLClassLoader(new URL[] {jar.toUri().toURL()}, parent));
        } catch (IOException e) {
            problems.add(new Problem(jar.toString(), "not a readable jar (" + e.getMessage() + ")"));
        }
    }

    /** Loads every provider of {@code type}; duplicates by name keep the first and are reported. */
    public <T extends Named> Registry<T> load(Class<T> type, String kind) {
        return load(type, kind, value -> { });
    }

    /**
     * As {@link #load(Class, String)}, and calls {@code declarations} on each provider right after it
     * starts: it should call everything the provider declares that every command reads (a method's
     * params, views, augmentations). A provider whose declarations throw (say a param default
     * outside its own range) is a {@link Problem} of its jar, reported by name and skipped like a
     * provider that fails to start, so one broken plugin cannot stop {@code list} or a spec that
     * does not use it.
     */
    public <T extends Named> Registry<T> load(Class<T> type, String kind, java.util.function.Consumer<T> declarations) {
        Map<String, Registry.Entry<T>> found = new LinkedHashMap<>();
        collect(type, kind, ServiceLoader.load(type, parent), null, found, declarations);
        for (Map.Entry<Path, URLClassLoader> e : loaders.entrySet()) {
            collect(type, kind, ServiceLoader.load(type, e.getValue()), e.getValue(), found, declarations);
        }
        return new Registry<>(kind, found);
    }

    private <T extends Named> void collect(Class<T> type, String kind, ServiceLoader<T> serviceLoader,
                                           ClassLoader only, Map<String, Registry.Entry<T>> found,
                                           java.util.function.Consumer<T> declarations) {
        var iterator = serviceLoader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<T> provider;
            try {
                if (!iterator.hasNext()) {
                    return;
                }
                provider = iterator.next();
            } catch (ServiceConfigurationError e) {
                problems.add(new Problem(only == null ? "classpath" : jarOf(only), rootMessage(e)));
                continue;
            }
            // A jar's loader also sees the classpath through its parent: keep only its own classes.
            if (only != null && provider.type().getClassLoader() != only) {
                continue;
            }
            String source = sourceOf(provider.type());
            T value;
            try {
                value = provider.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add(new Problem(source, kind + " provider " + provider.type().getName()
                        + " failed to start: " + rootMessage(e)));
                continue;
            }
            String name;
            try {
                name = value.name();
                if (name == null || name.isBlank()) {
                    throw new IllegalStateException("name() returned no name");
                }
                value.description();
                declarations.accept(value);
            } catch (RuntimeException | LinkageError e) {
                String named = "";
                try {
                    named = " '" + value.name() + "'";
                } catch (RuntimeException | LinkageError ignored) {
                    // the name itself is what failed; the class name below identifies the provider
                }
                problems.add(new Problem(source, kind + named + " (" + provider.type().getName()
                        + ") has an invalid declaration and was skipped: " + rootMessage(e)));
                skipped.put(kind + ":" + named.strip().replace("'", ""), source + ": " + rootMessage(e));
                continue;
            }
            Registry.Entry<T> previous = found.get(name);
            if (previous != null) {
                conflicts.add(new Conflict(kind, name, previous.source(), source,
                        !loaders.containsValue(previous.value().getClass().getClassLoader())));
                continue;
            }
            found.put(name, new Registry.Entry<>(name, value, source));
        }
    }

    private String jarOf(ClassLoader loader) {
        for (Map.Entry<Path, URLClassLoader> e : loaders.entrySet()) {
            if (e.getValue() == loader) {
                return e.getKey().toString();
            }
        }
        return "plugin";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    /** The jar or directory a class was loaded from, as a path string. */
    public static String sourceOf(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "built-in";
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (Exception e) {
            return cs.getLocation().toString();
        }
    }

    /**
     * Why the {@code kind} provider named {@code name} was skipped ("jar: reason"), or null when
     * none of that name was: lets a spec naming a broken plugin be told why it is unavailable.
     */
    public String skipped(String kind, String name) {
        return skipped.get(kind + ":" + name);
    }

    /** All skipped providers as "kind:name" to "jar: reason". */
    public Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Names provided twice, in discovery order; non-empty means no command may run (see class doc). */
    public List<Conflict> conflicts() {
        return List.copyOf(conflicts);
    }

    public List<Path> jars() {
        return List.copyOf(jars);
    }

}
