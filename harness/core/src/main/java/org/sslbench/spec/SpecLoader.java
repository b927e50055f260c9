package org.sslbench.spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads and validates a benchmark spec (schema: {@code specs/README.md}). Everything that can be
 * checked before training is checked here, so a run never fails an hour in on a typo. Parsing is
 * safe: only the standard YAML tags are accepted and no object is constructed from a tag.
 */
public final class SpecLoader {
    /** Shown instead of a path for the spec that ships inside the jar. */
    public static final String EMBEDDED = "<embedded default>";

    private SpecLoader() {
    }

    public static Spec load(Path file, Catalog catalog, Overrides overrides) throws SpecException {
        String name = file.toString();
        String text;
        try {
            // Checked before reading so a huge file is refused without filling the heap.
            if (Files.size(file) > 4L * YamlTree.MAX_CODE_POINTS) {
                throw new SpecException(name, 0, "", "file is too large for a spec");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new SpecException(name, 0, "", "not UTF-8 text");
        } catch (IOException e) {
            throw new SpecException(name, 0, "", "cannot read the spec: " + e);
        }
        return load(name, text, catalog, overrides);
    }

    /**
     * @param displayName what errors and {@link Spec#file()} call the spec, e.g. {@link #EMBEDDED}
     * @param overrides   command-line values that replace the spec's; null means none
     */
    public static Spec load(String displayName, String yamlText, Catalog catalog, Overrides overrides)
            throws SpecException {
        YNode root = YamlTree.parse(displayName, yamlText);
        return new SpecReader(catalog).read(root, overrides == null ? Overrides.NONE : overrides);
    }
}
