package org.sslbench.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.DatasetFactory;
import org.sslbench.engine.Backbone;
import org.sslbench.method.Method;
import org.sslbench.testing.PluginJars;

class PluginLoaderTest {
    private static final String SPI = "org.sslbench.method.Method";

    @Test
    void classpathProvidesBuiltInBackbonesAndDatasetsWithTheirSource() throws IOException {
        PluginLoader loader = new PluginLoader(null);
        Registry<Backbone> backbones = loader.load(Backbone.class, "backbone");
        assertEquals(java.util.List.of("resnet18", "resnet20", "small-cnn"), backbones.names());
        Registry<DatasetFactory> datasets = loader.load(DatasetFactory.class, "dataset");
        assertTrue(datasets.names().containsAll(java.util.List.of("cifar10", "fashion-mnist", "fashion-mnist-embedded")));
        assertTrue(backbones.entries().get(0).source().contains("classes") || backbones.entries().get(0).source().endsWith(".jar"));
        assertTrue(loader.problems().isEmpty(), loader.problems().toString());
    }

    @Test
    void loadsAMethodFromAJarInThePluginsDirectoryAndNamesTheJar(@TempDir Path dir) throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path jar = PluginJars.build(plugins, "echo-plugin.jar",
                Map.of("ext.echo.Echo", PluginJars.methodSource("ext.echo.Echo", "echo", false)), SPI, "ext.echo.Echo");
        PluginLoader loader = new PluginLoader(plugins);
        Registry<Method> methods = loader.load(Method.class, "method");
        assertEquals("echo", methods.get("echo").name());
        assertEquals(jar.toString(), methods.entries().stream().filter(e -> e.name().equals("echo")).findFirst().orElseThrow().source());
        assertEquals(1.0, methods.get("echo").params().get(0).defaultValue());
        assertTrue(loader.problems().isEmpty(), loader.problems().toString());
    }

    @Test
    void brokenJarsAreReportedByNameAndTheOthersStillLoad(@TempDir Path dir) throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        PluginJars.build(plugins, "a-good.jar", Map.of("ext.a.Good", PluginJars.methodSource("ext.a.Good", "good", false)), SPI, "ext.a.Good");
        PluginJars.build(plugins, "b-duplicate.jar", Map.of("ext.b.Dup", PluginJars.methodSource("ext.b.Dup", "good", false)), SPI, "ext.b.Dup");
        PluginJars.build(plugins, "c-throws.jar", Map.of("ext.c.Boom", PluginJars.methodSource("ext.c.Boom", "boom", true)), SPI, "ext.c.Boom");
        PluginJars.build(plugins, "d-missing-class.jar", Map.of("ext.d.Real", PluginJars.methodSource("ext.d.Real", "real", false)), SPI, "ext.d.Real", "ext.d.DoesNotExist");
        Files.writeString(plugins.resolve("e-not-a-jar.jar"), "this is not a zip file");

        PluginLoader loader = new PluginLoader(plugins);
        Registry<Method> methods = loader.load(Method.class, "method");
        assertTrue(methods.names().contains("good"), methods.names().toString());
        assertTrue(methods.names().contains("real"), methods.names().toString());
        String problems = loader.problems().toString();
        String conflicts = loader.conflicts().toString();
        assertTrue(conflicts.contains("b-duplicate.jar") && conflicts.contains("a-good.jar") && conflicts.contains("'good'"), conflicts);
        assertTrue(problems.contains("c-throws.jar") && problems.contains("boom in constructor"), problems);
        assertTrue(problems.contains("d-missing-class.jar") && problems.contains("ext.d.DoesNotExist"), problems);
        assertTrue(problems.contains("e-not-a-jar.jar") && problems.contains("not a readable jar"), problems);
        assertEquals("good", methods.get("good").name());
        assertTrue(methods.entries().stream().anyMatch(e -> e.name().equals("good") && e.source().endsWith("a-good.jar")));
    }

    /** The case: a newer jar dropped next to the old one must not silently lose to it. */
    @Test
    void twoJarsProvidingOneMethodAreAConflictNamingBothAndWhatToDo(@TempDir Path dir) throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        PluginJars.build(plugins, "my-method-1.0.0.jar", Map.of("ext.v0.Mine", PluginJars.methodSource("ext.v0.Mine", "mine", false)), SPI, "ext.v0.Mine");
        PluginJars.build(plugins, "my-method-1.0.1.jar", Map.of("ext.v1.Mine", PluginJars.methodSource("ext.v1.Mine", "mine", false)), SPI, "ext.v1.Mine");
        PluginLoader loader = new PluginLoader(plugins);
        loader.load(Method.class, "method");
        assertEquals(1, loader.conflicts().size(), loader.conflicts().toString());
        PluginLoader.Conflict c = loader.conflicts().get(0);
        assertEquals("method", c.kind());
        assertEquals("mine", c.name());
        assertTrue(c.first().endsWith("my-method-1.0.0.jar") && c.second().endsWith("my-method-1.0.1.jar"), c.toString());
        assertTrue(c.toString().contains("remove the jar you do not want"), c.toString());
        assertTrue(loader.problems().isEmpty(), loader.problems().toString());
    }

    /** Datasets (and backbones) come through the same loader: a plugin cannot shadow a built-in one. */
    @Test
    void aPluginDatasetNamedLikeABuiltInIsAConflict(@TempDir Path dir) throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        String source = "package ext.ds;\n"
                + "import java.nio.file.Path;\n"
                + "import org.sslbench.data.*;\n"
                + "public final class Fake implements DatasetFactory {\n"
                + "  public String name() { return \"cifar10\"; }\n"
                + "  public String description() { return \"not cifar\"; }\n"
                + "  public DatasetInfo describe(Path d) { throw new UnsupportedOperationException(); }\n"
                + "  public Dataset load(Path d, int n) { throw new UnsupportedOperationException(); }\n"
                + "}\n";
        PluginJars.build(plugins, "fake-cifar.jar", Map.of("ext.ds.Fake", source), "org.sslbench.data.DatasetFactory", "ext.ds.Fake");
        PluginLoader loader = new PluginLoader(plugins);
        Registry<DatasetFactory> datasets = loader.load(DatasetFactory.class, "dataset");
        assertEquals(1, loader.conflicts().size(), loader.conflicts().toString());
        PluginLoader.Conflict c = loader.conflicts().get(0);
        assertTrue(c.firstBuiltIn() && c.second().endsWith("fake-cifar.jar"), c.toString());
        assertTrue(c.toString().contains("built-in") && c.toString().contains("cannot replace a built-in dataset"), c.toString());
        assertTrue(!datasets.get("cifar10").description().equals("not cifar"));
    }

    @Test
    void codeOriginNamesTheJarAndHashesItsContentNotItsTimestamps(@TempDir Path dir) throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path jar = PluginJars.build(plugins, "echo-1.0.jar", Map.of("ext.o.Echo", PluginJars.methodSource("ext.o.Echo", "echo", false)), SPI, "ext.o.Echo");
        CodeOrigin origin = CodeOrigin.of(new PluginLoader(plugins).load(Method.class, "method").get("echo").getClass());
        assertEquals("echo-1.0.jar", origin.name());
        assertEquals(jar.toAbsolutePath().normalize().toString(), origin.path());
        assertEquals(CodeOrigin.contentSha256(jar), origin.sha256());
        assertTrue(origin.sha256().matches("[0-9a-f]{64}"), origin.sha256());

        // Same classes written again later (other zip timestamps): same hash. Other code: other hash.
        Path same = Files.createDirectory(dir.resolve("again")).resolve("echo-1.0.jar");
        try (var in = new java.util.jar.JarFile(jar.toFile());
             var out = new java.util.jar.JarOutputStream(Files.newOutputStream(same))) {
            for (var e : java.util.Collections.list(in.entries())) {
                var copy = new java.util.jar.JarEntry(e.getName());
                copy.setTime(946684800000L); // 2000-01-01: a rebuild at another time
                out.putNextEntry(copy);
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
        }
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(jar), Files.readAllBytes(same)), "zip bytes differ");
        assertEquals(origin.sha256(), CodeOrigin.contentSha256(same));
        Path other = Files.createDirectory(dir.resolve("other"));
        Path changed = PluginJars.build(other, "echo-1.0.jar", Map.of("ext.o.Echo", PluginJars.methodSource("ext.o.Echo", "echo2", false)), SPI, "ext.o.Echo");
        assertTrue(!origin.sha256().equals(CodeOrigin.contentSha256(changed)));
    }

    @Test
    void missingPluginsDirectoryIsAnError(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new PluginLoader(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void unknownNameListsWhatExists() {
        Registry<Backbone> backbones = Registry.of("backbone", new org.sslbench.engine.backbones.ResNet20());
        var e = assertThrows(IllegalArgumentException.class, () -> backbones.get("resnet50"));
        assertTrue(e.getMessage().contains("resnet50") && e.getMessage().contains("resnet20"), e.getMessage());
    }
}
