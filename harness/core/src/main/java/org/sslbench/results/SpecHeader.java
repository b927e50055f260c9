package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Name and description of the spec a results directory was run from, for the report's title. */
record SpecHeader(String name, String description) {
    static final String SPEC_FILE = "spec.yaml";

    /**
     * From {@code dir/spec.yaml} (the spec as run), read leniently: only these two keys, so a
     * report of an old run does not fail on a spec this version would reject. Without the file,
     * the name is the cells' spec column, else the directory's name.
     */
    static SpecHeader read(Path dir, List<CellResult> cells) {
        String fallback = cells.isEmpty() || cells.get(0).spec().isEmpty()
                ? String.valueOf(dir.toAbsolutePath().normalize().getFileName()) : cells.get(0).spec();
        Path file = dir.resolve(SPEC_FILE);
        if (!Files.exists(file)) {
            return new SpecHeader(fallback, "");
        }
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            if (root instanceof Map<?, ?> map) {
                return new SpecHeader(string(map.get("name"), fallback), string(map.get("description"), ""));
            }
        } catch (IOException | RuntimeException e) {
            // a damaged spec.yaml costs the report its description, nothing more
        }
        return new SpecHeader(fallback, "");
    }

    private static String string(Object value, String fallback) {
        return value instanceof String s && !s.isBlank() ? s.strip() : fallback;
    }
}
