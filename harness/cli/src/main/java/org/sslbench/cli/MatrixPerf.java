package org.sslbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sslbench.data.DataException;
import org.sslbench.plugin.PluginConflictException;
import org.sslbench.run.BenchRunner;
import org.sslbench.run.Registries;
import org.sslbench.run.TimeSplit;
import org.sslbench.spec.Overrides;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecLoader;

/**
 * The "matrix" case of {@code make perf} (issue 16): a small fixed spec ({@link #SPEC},
 * {@code specs/perf/matrix-small.yaml}) run through {@link BenchRunner} into a scratch directory,
 * its wall time split into pretext, downstream training, evaluation and I/O
 * ({@link TimeSplit}), so a regression shows where it comes from. The spec's data is embedded:
 * no download, no data directory.
 */
public final class MatrixPerf {
    /** The fixed spec, relative to the repository root (where {@code make perf} runs). */
    public static final Path SPEC = Path.of("specs", "perf", "matrix-small.yaml");

    /**
     * One run's time split in wall seconds; {@code other} = total − the four parts.
     *
     * @param cells the cells evaluated
     */
    public record Result(double pretext, double downstreamTraining, double evaluation, double io, double other,
                         double total, int cells) {
    }

    private MatrixPerf() {
    }

    /**
     * Runs {@link #SPEC} (read relative to the working directory) in a fresh scratch directory,
     * deleted afterwards; bench's own lines go to {@code log}.
     *
     * @throws SpecException when the spec file is missing or invalid
     * @throws PluginConflictException when two plugins provide one name
     */
    public static Result measure(PrintStream log) throws IOException, SpecException, DataException, PluginConflictException {
        String text;
        try {
            text = Files.readString(SPEC);
        } catch (IOException e) {
            throw new SpecException(SPEC.toString(), 0, "", "cannot read the perf matrix spec (run from the"
                    + " repository root): " + e.getMessage());
        }
        Path scratch = Files.createTempDirectory("sslbench-perf-matrix");
        try {
            return run(SPEC.toString(), text, scratch.resolve("results"), log);
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Runs the spec {@code yamlText} (named {@code displayName} in messages) with its results in
     * {@code outDir} and returns the time split of that run.
     *
     * @throws SpecException when the spec is invalid
     * @throws PluginConflictException when two plugins provide one name
     */
    public static Result run(String displayName, String yamlText, Path outDir, PrintStream log)
            throws IOException, SpecException, DataException, PluginConflictException {
        var injector = SpecOptions.injector(null, log);
        Registries registries = SpecOptions.registries(injector);
        Spec spec = SpecLoader.load(displayName, yamlText, registries, new Overrides(outDir, null, null));
        BenchRunner runner = injector.getInstance(BenchRunner.class);
        runner.run(spec, yamlText, new BenchRunner.Options(true, false));
        TimeSplit t = runner.lastTimeSplit();
        return new Result(t.seconds(TimeSplit.Part.PRETEXT), t.seconds(TimeSplit.Part.DOWNSTREAM),
                t.seconds(TimeSplit.Part.EVALUATION), t.seconds(TimeSplit.Part.IO), t.other(), t.total(), t.cellsRun());
    }
}
