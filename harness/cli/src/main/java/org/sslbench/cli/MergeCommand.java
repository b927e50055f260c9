package org.sslbench.cli;

import org.sslbench.plugin.PluginConflictException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sslbench.run.BenchRunner;
import org.sslbench.run.ShardMerge;
import org.sslbench.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge shard outputs (results/<spec>/shard-i-of-n/) into one cells.csv, leaderboard and report; idempotent.")
final class MergeCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Parameters(paramLabel = "SHARD_DIR", arity = "0..*",
            description = "shard directories; default: every shard-*-of-* under the results directory")
    List<Path> shards;

    @Option(names = "--into", paramLabel = "DIR", description = "merged results directory; default: the spec's results directory")
    Path into;

    @Override
    public Integer call() {
        try {
            Path target = into;
            List<org.sslbench.results.CurrentConfigs.Entry> current = null;
            if (target == null || options.spec != null) {
                // With a spec its configurations are the current ones, whatever the shards were run from.
                SpecOptions.Loaded loaded = options.load(System.out);
                var registries = loaded.registries();
                var spec = loaded.spec();
                current = BenchRunner.currentConfigs(spec, registries);
                if (target == null) {
                    target = BenchRunner.outputDir(spec);
                }
            }
            List<Path> dirs = shards == null || shards.isEmpty() ? ShardMerge.shardsUnder(target) : shards;
            if (dirs.isEmpty()) {
                System.err.println("sslbench: no shard-*-of-* directories under " + target);
                return Main.BAD_INPUT;
            }
            ShardMerge.merge(target, dirs, current, System.out);
            return Main.OK;
        } catch (PluginConflictException | SpecException | org.sslbench.data.DataException | IOException | java.io.UncheckedIOException e) {
            return BadInput.report(e);
        }
    }
}
