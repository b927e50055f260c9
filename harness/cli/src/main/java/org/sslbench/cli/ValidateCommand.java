package org.sslbench.cli;

import org.sslbench.plugin.PluginConflictException;
import java.util.concurrent.Callable;
import org.sslbench.run.Registries;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a spec without running anything; exit 2 with file, line and field on error.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Override
    public Integer call() {
        try {
            if (options.pluginsFlagMissing()) {
                return Main.BAD_INPUT;
            }
            SpecOptions.Loaded loaded = options.load(System.out);
            SpecInput input = loaded.input();
            Spec spec = loaded.spec();
            String results = unwritable(org.sslbench.run.BenchRunner.outputDir(spec));
            if (results != null) {
                System.err.println("sslbench: " + results);
                return Main.BAD_INPUT;
            }
            // The same data warnings bench prints before it trains (files changed since `data`
            // verified them, never verified, not verifiable), so validate and bench agree.
            spec.datasets().stream().map(d -> d.name()).distinct()
                    .flatMap(name -> org.sslbench.download.DataIntegrity.warnings(name, spec.dataDir()).stream())
                    .forEach(w -> System.out.println("warning: " + w));
            for (var d : spec.datasets()) {
                if (d.folder().isPresent()) {
                    System.out.println(d.name() + ": " + new org.sslbench.data.folder.FolderDatasetFactory(d.name(),
                            d.folder().get()).summary());
                }
            }
            System.out.printf("%s: ok (%d datasets, %d backbones, %d methods, %d seeds, protocols %s)%n", input.displayName,
                    spec.datasets().size(), spec.backbones().size(), spec.methods().size(), spec.seeds().size(),
                    spec.protocols().values().stream().map(ValidateCommand::selectionSummary).toList());
            org.sslbench.matrix.Matrix.notes(spec).forEach(n -> System.out.println("note: " + n));
            // Mixed precision asked for: say now, as bench will, when this machine falls back to fp32
            // (detecting the device loads TensorFlow, so only then).
            if (org.sslbench.run.RunPrecision.requested(spec).stream().anyMatch(p -> p != org.sslbench.engine.Precision.FP32)) {
                org.sslbench.run.RunPrecision.resolve(spec, org.sslbench.engine.Devices.detect(System.out)).notes()
                        .forEach(n -> System.out.println("note: " + n));
            }
            org.sslbench.matrix.Matrix.pretextSettings(spec).forEach(n -> System.out.println("settings: " + n));
            return Main.OK;
        } catch (PluginConflictException | SpecException | org.sslbench.data.DataException | java.io.UncheckedIOException e) {
            return BadInput.report(e);
        }
    }

    /**
     * Why bench could not write its results into {@code dir}, or null: the check bench makes before
     * any work, without creating anything (validate writes nothing). The nearest existing
     * ancestor must be a writable directory.
     */
    static String unwritable(java.nio.file.Path dir) {
        java.nio.file.Path p = dir.toAbsolutePath().normalize();
        while (p != null && !java.nio.file.Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return null;
        }
        if (!java.nio.file.Files.isDirectory(p)) {
            return "results directory " + dir + " is not writable (" + p + " is not a directory); choose another with OUT= / --out";
        }
        if (!java.nio.file.Files.isWritable(p)) {
            return "results directory " + dir + " is not writable (" + p + ": permission denied); choose another with OUT= / --out";
        }
        return null;
    }

    /**
     * How a protocol block chooses its settings, as validate prints it: knn with one k has nothing to
     * select; supcon has no selection key, its stage 1 trains fixed epochs and its linear stage always
     * chooses L2 by k-fold on the labelled subset (cells.csv: "fixed epochs; probe k-fold").
     */
    static String selectionSummary(org.sslbench.spec.ProtocolSpec p) {
        if (p.name().equals("knn") && p.kChoices().isEmpty()) {
            return "knn (k " + p.k() + ": nothing to select)";
        }
        if (p.name().equals("supcon")) {
            return "supcon (fixed epochs, then the probe's L2 by k-fold on the labelled subset)";
        }
        return p.name() + " (selection " + p.selectionName() + ")";
    }
}
