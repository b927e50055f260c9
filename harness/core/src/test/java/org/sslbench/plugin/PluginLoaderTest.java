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
        assertTrue(problems.contains("b-duplicate.jar") && problems.contains("already provided by") && problems.contains("a-good.jar"), problems);
        assertTrue(problems.contains("c-throws.jar") && problems.contains("boom in constructor"), problems);
        assertTrue(problems.contains("d-missing-class.jar") && problems.contains("ext.d.DoesNotExist"), problems);
        assertTrue(problems.contains("e-not-a-jar.jar") && problems.contains("not a readable jar"), problems);
        assertEquals("good", methods.get("good").name());
        assertTrue(methods.entries().stream().anyMatch(e -> e.name().equals("good") && e.source().endsWith("a-good.jar")));
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
