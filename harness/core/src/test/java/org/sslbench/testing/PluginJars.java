package org.sslbench.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real plugin jars at test time: compiles Java sources and adds the ServiceLoader file. */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * @param sources   fully qualified class name → source text
     * @param service   the SPI interface, e.g. {@code org.sslbench.method.Method}
     * @param providers classes listed in {@code META-INF/services/<service>}
     */
    public static Path build(Path dir, String jarName, Map<String, String> sources, String service,
                             String... providers) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createTempDirectory(dir, "classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classpath(), "-proc:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("plugin sources did not compile");
        }
        Path jar = dir.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + service));
            write(out, String.join("\n", providers) + "\n");
            out.closeEntry();
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the harness and TensorFlow API classes come from (surefire hides java.class.path). */
    private static String classpath() {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {org.sslbench.method.Method.class, org.tensorflow.Operand.class,
                org.tensorflow.ndarray.Shape.class}) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Source of a minimal method plugin named {@code name}; {@code failInConstructor} makes it throw. */
    public static String methodSource(String className, String name, boolean failInConstructor) {
        String pkg = className.substring(0, className.lastIndexOf('.'));
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return "package " + pkg + ";\n"
                + "import java.util.List;\n"
                + "import org.sslbench.method.*;\n"
                + "public final class " + simple + " implements Method {\n"
                + "  public " + simple + "() { " + (failInConstructor ? "throw new IllegalStateException(\"boom in constructor\");" : "") + " }\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public String description() { return \"test plugin " + name + "\"; }\n"
                + "  public List<Param> params() { return List.of(new Param(\"scale\", 1.0, \"a number\")); }\n"
                + "  public int views(Params p) { return 0; }\n"
                + "  public Objective build(PretextContext ctx) { throw new UnsupportedOperationException(); }\n"
                + "}\n";
    }
}
