package org.sslbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sslbench.spec.Catalog;
import org.sslbench.spec.Overrides;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecLoader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The spec file given on the command line, or the embedded default. */
final class SpecInput {
    static final String DEFAULT_RESOURCE = "/org/sslbench/specs/default.yaml";
    static final String DEFAULT_NAME = "<embedded default spec>";

    final String displayName;
    final String text;

    private SpecInput(String displayName, String text) {
        this.displayName = displayName;
        this.text = text;
    }

    static SpecInput read(Path file) throws SpecException {
        if (file == null) {
            try (InputStream in = SpecInput.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("embedded default spec missing from the jar: " + DEFAULT_RESOURCE);
                }
                return new SpecInput(DEFAULT_NAME, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return new SpecInput(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new SpecException(file.toString(), 0, "", "cannot read spec: " + e.getMessage());
        }
    }

    /**
     * The plugins directory the spec names, read before validation (plugins define what is valid).
     * Anything malformed is left for the full loader to report with its line.
     */
    Path pluginsDir() {
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (root instanceof Map<?, ?> map && map.get("plugins") instanceof Map<?, ?> plugins
                    && plugins.get("dir") instanceof String dir) {
                return Path.of(dir);
            }
        } catch (RuntimeException ignored) {
            // reported by SpecLoader with file and line
        }
        return null;
    }

    Spec load(Catalog catalog, Overrides overrides) throws SpecException {
        return SpecLoader.load(displayName, text, catalog, overrides);
    }
}
