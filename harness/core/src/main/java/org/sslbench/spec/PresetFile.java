package org.sslbench.spec;

/**
 * The text of a method's {@code presets.yaml} (README "Method presets") and where it came from.
 *
 * @param file where the text was read, for error messages: e.g.
 *             {@code presets.yaml of method 'byol' (sslbench-method-byol-0.1.0.jar)}
 * @param yaml the file's UTF-8 text
 */
public record PresetFile(String file, String yaml) {
}
