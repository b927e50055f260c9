package org.sslbench.cli;

import org.sslbench.plugin.PluginConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sslbench.results.AtomicFiles;
import org.sslbench.run.BenchRunner;
import org.sslbench.run.SlurmScript;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = "Write a Slurm job-array script running a spec as N shards (results/<spec>/slurm.sh).")
final class SlurmCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Option(names = "--shards", required = true, paramLabel = "N", description = "number of array tasks")
    int shards;

    @Option(names = "--gpu", description = "request one GPU per task and run with the CUDA build")
    boolean gpu;

    @Override
    public Integer call() {
        if (options.spec == null) {
            System.err.println("sslbench: slurm needs --spec FILE (the tasks read it from the shared checkout)");
            return Main.BAD_INPUT;
        }
        if (shards < 1) {
            System.err.println("sslbench: --shards must be at least 1");
            return Main.BAD_INPUT;
        }
        try {
            SpecOptions.Loaded loaded = options.load(System.out);
            Spec spec = loaded.spec();
            Path script = BenchRunner.outputDir(spec).resolve("slurm.sh");
            Files.createDirectories(script.getParent());
            AtomicFiles.writeString(script, SlurmScript.render(new SlurmScript.Job(Path.of(""), options.spec.toString(),
                    spec.name(), script.getParent(), options.out, options.data, options.plugins, shards, gpu)));
            script.toFile().setExecutable(true);
            System.out.println("wrote " + script + "; submit with: sbatch " + org.sslbench.data.Shell.quote(script));
            return Main.OK;
        } catch (PluginConflictException | SpecException | IOException e) {
            return BadInput.report(e);
        }
    }
}
