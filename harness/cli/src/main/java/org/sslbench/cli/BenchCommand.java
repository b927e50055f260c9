package org.sslbench.cli;

import org.sslbench.plugin.PluginConflictException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.sslbench.data.DataException;
import org.sslbench.run.BenchRunner;
import org.sslbench.run.Registries;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark spec: pretrain, evaluate, write cells.csv and leaderboard.csv.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Option(names = "--quiet", description = "no progress bars; one line per epoch")
    boolean quiet;

    @Option(names = "--fail-fast", description = "stop at the first cell that diverges or fails")
    boolean failFast;

    @Option(names = "--recompute-stale", description = "redo the cells (and retrain the pretext checkpoints) of the"
            + " results directory that another sslbench build or method jar computed; without it they are kept,"
            + " with a warning listing them")
    boolean recomputeStale;

    @Option(names = "--threads", paramLabel = "N", description = "TensorFlow intra-op threads (0 = all cores)")
    int threads;

    @Option(names = "--shard", paramLabel = "i/n", description = "run only shard i of n (0-based): whole pretext groups,"
            + " round-robin, into <results>/shard-i-of-n/; join with `merge`")
    String shard;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        org.sslbench.run.Shard parsedShard;
        try {
            parsedShard = shard == null ? null : org.sslbench.run.Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            System.err.println("sslbench: --shard " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try {
            org.sslbench.engine.Sessions.configure(threads, threads == 1 ? 1 : 0);
            SpecInput input = SpecInput.read(options.spec);
            if (options.pluginsFlagMissing()) {
                return Main.BAD_INPUT;
            }
            var injector = SpecOptions.injector(options.pluginsDir(input), out);
            Registries registries = SpecOptions.registries(injector);
            Spec spec = input.load(registries, options.overrides());
            BenchRunner.Summary summary = injector.getInstance(BenchRunner.class)
                    .run(spec, input.text, new BenchRunner.Options(quiet, failFast,
                            parsedShard, recomputeStale));
            if (summary.exitCode() != 0) {
                System.err.printf("sslbench: %d cells diverged, %d collapsed, %d failed in this run, %d of the spec's cells"
                        + " did not finish ok in an earlier run (see status_detail in %s)%n", summary.diverged(),
                        summary.collapsed(), summary.failed(), summary.earlierNotOk(), summary.outputDir().resolve("cells.csv"));
            }
            return summary.exitCode() == 0 ? Main.OK : Main.CELLS_FAILED;
        } catch (BenchRunner.FailFast e) {
            System.err.println("sslbench: " + e.getMessage());
            return Main.CELLS_FAILED;
        } catch (PluginConflictException | SpecException | DataException | BenchRunner.DataLoadException | IOException
                 | java.io.UncheckedIOException e) {
            return BadInput.report(e);
        }
    }
}
