package org.sslbench.cli;

import org.sslbench.plugin.PluginConflictException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.method.Params;
import org.sslbench.run.Registries;
import org.sslbench.spec.DatasetRef;
import org.sslbench.spec.MethodSpec;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.train.ViewGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "views", mixinStandardHelpOptions = true,
        description = {"Draw what each pretraining method of a spec trains on: a PNG per method, one row per image of "
                + "the first dataset's unlabeled pool, the original and then each augmented view, exactly as the "
                + "first pretext step (seed 0) makes them, before normalisation."})
final class ViewsCommand implements Callable<Integer> {
    @Mixin
    SpecSource source;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "views.png",
            description = "PNG to write (default: ${DEFAULT-VALUE}); with several methods, <stem>-<method>.png beside it")
    Path out;

    @Option(names = "--method", paramLabel = "NAME", description = "only this method of the spec")
    String method;

    @Option(names = {"-n", "--images"}, paramLabel = "N", defaultValue = "" + ViewGrid.DEFAULT_IMAGES,
            description = "images (rows) per grid, at most one batch (default: ${DEFAULT-VALUE})")
    int images;

    @Override
    public Integer call() {
        PrintStream stdout = System.out;
        try {
            if (images <= 0) {
                System.err.println("sslbench: --images must be > 0, got " + images);
                return Main.BAD_INPUT;
            }
            if (source.pluginsFlagMissing()) {
                return Main.BAD_INPUT;
            }
            SpecInput input = SpecInput.read(source.spec);
            Registries registries = SpecOptions.registries(SpecOptions.injector(source.pluginsDir(input), stdout));
            Spec spec = input.load(registries, source.overrides(null));
            List<MethodSpec> methods = selected(spec);
            if (methods.isEmpty()) {
                return Main.BAD_INPUT;
            }
            DatasetRef ref = spec.datasets().get(0);
            Dataset data = registries.dataset(ref).load(spec.dataDir(), ref.unlabeledLimit());
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            // The pool each method pretrains on: another dataset's (pretext.dataset), converted, when it names one.
            org.sslbench.run.PretextPools pools = new org.sslbench.run.PretextPools(registries, stdout);
            for (MethodSpec m : methods) {
                int views = registries.methodRegistry().get(m.name()).views(new Params(m.params()));
                Path file = methods.size() == 1 ? out : perMethod(out, m.name());
                ViewGrid.of(m.name(), pools.of(spec, m.pretext(), data).images(), m.pretext(), views, images).write(file);
                stdout.println(file);
                for (int v = 0; v < views; v++) {
                    stdout.printf("  view %d: %s%n", v + 1, m.pretext().augmentFor(v));
                }
            }
            return Main.OK;
        } catch (PluginConflictException | SpecException | DataException | IOException | java.io.UncheckedIOException e) {
            return BadInput.report(e);
        }
    }

    /** The spec's methods with a pretext run, or just {@code --method}; empty (reported) when none fits. */
    private List<MethodSpec> selected(Spec spec) {
        List<MethodSpec> pretraining = spec.methods().stream().filter(m -> m.pretext() != null).toList();
        List<String> names = pretraining.stream().map(MethodSpec::name).toList();
        if (method == null) {
            if (pretraining.isEmpty()) {
                System.err.println("sslbench: the spec has no method with a pretext run; nothing to draw");
            }
            return pretraining;
        }
        List<MethodSpec> one = pretraining.stream().filter(m -> m.name().equals(method)).toList();
        if (one.isEmpty()) {
            System.err.println("sslbench: --method " + method + ": not a pretraining method of the spec (have " + names + ")");
        }
        return one;
    }

    /** {@code dir/views.png} → {@code dir/views-<method>.png}. */
    static Path perMethod(Path out, String method) {
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + "-" + method + ".png");
    }
}
