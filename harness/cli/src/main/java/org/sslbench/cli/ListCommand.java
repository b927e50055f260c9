package org.sslbench.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sslbench.evaluate.Protocol;
import org.sslbench.plugin.Named;
import org.sslbench.plugin.Registry;
import org.sslbench.run.Registries;
import org.sslbench.spec.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List methods (with their parameters), datasets, backbones and protocols, and the jar each came from.")
final class ListCommand implements Callable<Integer> {
    @Option(names = "--plugins", paramLabel = "DIR", description = "also load plugin jars from this directory")
    Path plugins;

    @Option(names = "--method", paramLabel = "NAME", description = "list only this method (its params and presets)")
    String method;

    @Option(names = "--presets-markdown", description = "print every method's presets as the README's Markdown tables")
    boolean presetsMarkdown;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            var injector = SpecOptions.injector(plugins, out);
            Registries r = injector.getInstance(Registries.class);
            if (presetsMarkdown) {
                out.print(presetsMarkdown(r));
                return Main.OK;
            }
            if (method != null) {
                if (r.methodRegistry().find(method).isEmpty()) {
                    String why = r.unavailable("method", method);
                    System.err.println("sslbench: " + (why != null
                            ? "method '" + method + "' is unavailable: its plugin was skipped at load (" + why + ")"
                            : protocols(injector).containsKey(method) ? "'" + method + "' is a protocol, not a method:"
                                    + " make list shows it under protocols, with its params and training defaults"
                            : org.sslbench.spec.Suggest.unknown("method", method, r.methods().keySet())));
                    return Main.BAD_INPUT;
                }
                section(out, "methods", r.methodRegistry(), true, r, method);
                return Main.OK;
            }
            section(out, "methods", r.methodRegistry(), true, r, null);
            section(out, "datasets", r.datasetRegistry(), false, r, null);
            out.printf("  %-24s %s%n", "(your own images)", "a dataset with a folder: block (class folders or a CSV list);"
                    + " README \"Your own images\", make example-folder");
            section(out, "backbones", r.backboneRegistry(), false, r, null);
            out.println("protocols");
            new java.util.TreeMap<>(protocols(injector)).forEach((name, p) -> {
                out.printf("  %-24s %s%n", name, p.description());
                // keys of the protocol's block next to its training keys; validate and bench enforce the ranges
                for (var param : p.params()) {
                    String constraint = param.constraint().isEmpty() ? "" : " (" + param.constraint() + ")";
                    out.printf("  %-24s   %s = %s%s: %s%n", "", param.name(), param.defaultValue(), constraint,
                            param.description());
                }
                // What a block that writes no training key trains with (linear's labelled probe and knn have none).
                if (p.trainsEncoder()) {
                    out.printf("  %-24s   training defaults: %s%n", "", org.sslbench.spec.Presets.protocolTrainingDefaults(name));
                }
                if (name.equals(org.sslbench.evaluate.FixMatch.NAME)) {
                    out.printf("  %-24s   views: weak = the block's augment; strong = weak + %s (FixMatch's, fixed)%n", "",
                            org.sslbench.evaluate.FixMatch.STRONG_EXTRA_TEXT);
                }
            });
            out.println("selection (spec key, top level or per protocol block)");
            out.printf("  %-24s %s%n", org.sslbench.spec.ProtocolSpec.LABELLED, "(default) settings chosen on the labelled"
                    + " subset only: fine-tune epochs on a stratified 20% held-out part, probe L2 by k-fold (l2: [...]),"
                    + " kNN k by leave-one-out (k: [...]); the test split scored once");
            out.printf("  %-24s %s%n", org.sslbench.spec.ProtocolSpec.FIXED, "the published protocols: fixed settings,"
                    + " no validation (reproduction specs; same hashes as before selection existed)");
            var monitor = org.sslbench.spec.MonitorSpec.DEFAULT;
            out.println("pretext monitor (keys of a pretext block; the collapse check: README \"Methods\")");
            out.printf("  %-24s %s%n", "monitor_every: " + monitor.every(), "kNN monitor after every n-th epoch (0 = after"
                    + " the last only), below epochs");
            out.printf("  %-24s %s%n", "monitor_labels: " + monitor.labelsPerClass(), "labelled training images per class"
                    + " in the monitor's kNN bank, [1, " + org.sslbench.spec.MonitorSpec.MAX_PER_CLASS + "]; never test images");
            out.printf("  %-24s %s%n", "monitor_queries: " + monitor.queriesPerClass(), "training images per class it"
                    + " classifies, disjoint from the bank, [1, " + org.sslbench.spec.MonitorSpec.MAX_PER_CLASS + "]");
            out.printf("  %-24s %s%n", "monitor_stop: " + monitor.stop(), "end a pretext run early when the monitor"
                    + " shows collapse or divergence");
            if (!r.problems().isEmpty()) {
                out.println("problems");
                r.problems().forEach(p -> out.println("  " + p));
            }
            // The same refusal as every command that runs or checks a spec (SpecOptions.registries).
            try {
                r.requireNoConflicts();
            } catch (org.sslbench.plugin.PluginConflictException e) {
                System.err.println("sslbench: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            return Main.OK;
        } catch (java.io.UncheckedIOException e) {
            System.err.println("sslbench: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    private static <T extends Named> void section(PrintStream out, String title, Registry<T> registry, boolean params,
                                                  Registries catalog, String only) {
        out.println(title);
        for (Registry.Entry<T> e : registry.entries()) {
            if (only != null && !e.name().equals(only)) {
                continue;
            }
            // The jar's content hash is what cells.csv records as method_source_sha256.
            var origin = org.sslbench.plugin.CodeOrigin.of(e.value().getClass());
            out.printf("  %-24s %s%n  %-24s   from %s (sha256 %s)%n", e.name(), e.value().description(), "", e.source(),
                    origin.shortHash().isEmpty() ? "unknown" : origin.shortHash());
            if (params && e.value() instanceof org.sslbench.method.Method m) {
                List<Presets.Described> presets = presets(catalog, m.name());
                if (!m.params().isEmpty() && !presets.isEmpty()) {
                    out.printf("  %-24s   plugin defaults (preset: none):%n", "");
                }
                for (var p : m.params()) {
                    // The declared range (or allowed strings) is what validate and bench enforce.
                    String constraint = p.constraint().isEmpty() ? "" : " (" + p.constraint() + ")";
                    out.printf("  %-24s   %s = %s%s: %s%n", "", p.name(), p.defaultValue(), constraint, p.description());
                }
                if (catalog.pretrains(m.name())) {
                    out.printf("  %-24s   pretext = %s%n", "", Presets.harnessPretextDefaults());
                    views(out, catalog, m, Presets.NONE, "  ");
                }
                for (Presets.Described d : presets) {
                    out.printf("  %-24s   preset %s%s: %s%n", "", d.name(), scale(d.name()), d.description());
                    List<String> previous = List.of();
                    for (Presets.Entry x : d.entries()) {
                        out.printf("  %-24s     %s = %s%n", "", x.key(), x.value());
                        // A source given for a parent (params, pretext) covers several keys: printed once.
                        List<String> cited = new java.util.ArrayList<>();
                        x.sources().forEach(c -> cited.add("source: " + c));
                        x.deviation().forEach(c -> cited.add("deviation: " + c));
                        if (!cited.isEmpty() && cited.equals(previous)) {
                            out.printf("  %-24s         (sources as above)%n", "");
                        } else {
                            cited.forEach(c -> out.printf("  %-24s         %s%n", "", c));
                        }
                        previous = cited;
                    }
                    views(out, catalog, m, d.name(), "    ");
                }
            }
        }
    }

    /**
     * {@code method}'s augmentation per view and its heads' shapes under {@code preset} ({@link Presets#NONE}:
     * the plugin defaults), as a pretext run gets them when the spec sets none of those keys.
     */
    private static void views(PrintStream out, Registries catalog, org.sslbench.method.Method m, String preset,
                              String indent) {
        try {
            List<java.util.Map<String, Object>> views = Presets.viewPipelines(catalog, m.name(), preset);
            String which = preset.equals(Presets.NONE) ? "preset: none; " : "";
            out.printf("  %-24s %saugmentation per view (%skeys left out are off):%n", "", indent, which);
            for (int v = 0; v < views.size(); v++) {
                out.printf("  %-24s %s  view %d: %s%n", "", indent, v + 1, pipeline(views.get(v)));
            }
            var params = new org.sslbench.method.Params(Presets.params(catalog, m.name(), preset));
            List<org.sslbench.method.Head> heads = m.heads(params);
            if (heads.isEmpty()) {
                return;
            }
            out.printf("  %-24s %sheads (%sthe first over the encoder's features, by backbone):%n", "", indent, which);
            java.util.Map<Integer, List<String>> byDim = featureDims(catalog);
            for (int h = 0; h < heads.size(); h++) {
                if (h == 0) {
                    for (var e : byDim.entrySet()) {
                        out.printf("  %-24s %s  %s: %s (%s)%n", "", indent, heads.get(0).name(),
                                heads.get(0).describe(e.getKey()), String.join(", ", e.getValue()));
                    }
                } else {
                    out.printf("  %-24s %s  %s: %s%n", "", indent, heads.get(h).name(),
                            heads.get(h).describe(heads.get(h - 1).outDim()));
                }
            }
        } catch (org.sslbench.spec.SpecException e) {
            // Presets are checked at load (a broken file skips the plugin), so this is not reached for a listed method.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A pipeline in the harness's step order, only the steps it takes: {@code crop 0.2, hflip, jitter 0.8 (...)}. */
    static String pipeline(java.util.Map<String, Object> augment) {
        List<String> steps = new java.util.ArrayList<>();
        List<String> strengths = List.of("brightness", "contrast", "saturation", "hue");
        for (String key : org.sslbench.train.Augmenter.KNOWN.keySet()) {
            Object v = augment.get(key);
            if (strengths.contains(key) || v == null || Boolean.FALSE.equals(v)
                    || v instanceof Number n && n.doubleValue() == 0) {
                continue;
            }
            String step = v instanceof Boolean ? key : key + " " + v;
            if (key.equals("jitter")) {
                List<String> s = new java.util.ArrayList<>();
                for (String k : strengths) {
                    if (augment.get(k) instanceof Number n && n.doubleValue() != 0) {
                        s.add(k + " " + n);
                    }
                }
                if (s.isEmpty()) {
                    continue; // no strength: the jitter step does nothing (Augmenter)
                }
                step += " (" + String.join(", ", s) + ")";
            }
            steps.add(step);
        }
        return steps.isEmpty() ? "none (the image as it is)" : String.join(", ", steps);
    }

    /**
     * Each backbone's feature dim (what a method's first head takes), grouped: dim → backbone names.
     * Read from an encoder built on a 32 × 32 × 3 input (every backbone pools globally), once per
     * loaded backbone; a backbone that cannot be built there is left out.
     */
    private static java.util.Map<Integer, List<String>> featureDims(Registries catalog) {
        java.util.Map<Integer, List<String>> out = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (var e : catalog.backboneRegistry().entries()) {
            Integer dim = FEATURE_DIMS.computeIfAbsent(e.value(), b -> {
                try (org.sslbench.engine.Net net = new org.sslbench.engine.Net()) {
                    return b.create(new org.sslbench.engine.Layers(net), "encoder",
                            new org.sslbench.data.ImageShape(32, 32, 3)).featureDim();
                } catch (RuntimeException ex) {
                    return -1;
                }
            });
            if (dim > 0) {
                out.computeIfAbsent(dim, d -> new java.util.ArrayList<>()).add(e.name());
            }
        }
        return out;
    }

    /** By backbone instance (each registry loads its own), so that list builds each encoder once. */
    private static final java.util.Map<org.sslbench.engine.Backbone, Integer> FEATURE_DIMS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Every pretraining method's presets as Markdown: per method and preset, a table of each value
     * with its sources and stated deviations. The README's "Method presets" block is this text
     * (ShippedSpecsTest keeps them equal).
     */
    static String presetsMarkdown(Registries catalog) {
        StringBuilder md = new StringBuilder();
        for (Registry.Entry<org.sslbench.method.Method> e : catalog.methodRegistry().entries()) {
            List<Presets.Described> presets = presets(catalog, e.name());
            for (Presets.Described d : presets) {
                md.append("\n**").append(e.name()).append(" · ").append(d.name()).append("**").append(scale(d.name()))
                        .append(": ").append(cell(d.description())).append("\n\n| key | value | source | deviation (why) |\n|---|---|---|---|\n");
                String previousSource = null;
                String previousDeviation = null;
                for (Presets.Entry x : d.entries()) {
                    // A source given for a parent (params, pretext) covers several rows: printed once.
                    String source = String.join("; ", x.sources());
                    String deviation = String.join("; ", x.deviation());
                    md.append("| ").append(x.key()).append(" | `").append(cell(x.value())).append("` | ")
                            .append(!source.isEmpty() && source.equals(previousSource) ? "(as above)" : cell(source))
                            .append(" | ")
                            .append(!deviation.isEmpty() && deviation.equals(previousDeviation) ? "(as above)" : cell(deviation))
                            .append(" |\n");
                    previousSource = source;
                    previousDeviation = deviation;
                }
            }
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** When a spec that names no preset gets this one. */
    private static String scale(String preset) {
        return switch (preset) {
            case Presets.SMALL -> " (the default for images up to " + Presets.SMALL_MAX_SIDE + " px)";
            case Presets.IMAGENET -> " (the default for larger images)";
            default -> " (by name only)";
        };
    }

    /** A method's presets; a broken presets file skips the plugin at load, so this cannot fail for a listed method. */
    private static List<Presets.Described> presets(Registries catalog, String method) {
        try {
            return Presets.describe(catalog, method);
        } catch (org.sslbench.spec.SpecException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static java.util.Map<String, Protocol> protocols(com.google.inject.Injector injector) {
        return injector.getInstance(com.google.inject.Key.get(
                new com.google.inject.TypeLiteral<java.util.Map<String, Protocol>>() { }));
    }
}
