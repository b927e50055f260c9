package org.sslbench.run;

import java.nio.file.Path;

/** A Slurm job-array script that runs one shard per array task; `make merge` joins them afterwards. */
public final class SlurmScript {
    private SlurmScript() {
    }

    /**
     * What the tasks run: the spec and, when given on the submitting command line, the results,
     * data and plugins directories, passed on so that every task and the merge use the same ones.
     *
     * @param repo     the checkout the tasks run in (shared file system)
     * @param spec     the spec file, relative to repo or absolute
     * @param specName the spec's name (the job name)
     * @param results  the results directory the tasks write their shard-i-of-n/ directories into
     * @param out      the results directory given as OUT, or null for the spec's own
     * @param data     the data directory given as DATA, or null for the spec's own
     * @param plugins  the plugins directory given as PLUGINS, or null for the spec's own
     */
    public record Job(Path repo, String spec, String specName, Path results, Path out, Path data, Path plugins,
                      int shards, boolean gpu) {
    }

    public static String render(Job job) {
        String dirs = make("OUT", job.out()) + make("DATA", job.data()) + make("PLUGINS", job.plugins());
        String results = job.results().toString();
        return "#!/bin/bash\n"
                + "# sslbench: " + job.specName() + " as a Slurm job array of " + job.shards() + " shards.\n"
                + "# Each task runs whole pretext groups (round-robin), so no pretext run is repeated.\n"
                + "# Submit: sbatch " + results + "/slurm.sh    Afterwards: make merge SPEC=" + job.spec()
                + make("OUT", job.out()) + make("PLUGINS", job.plugins()) + "\n"
                + "#SBATCH --job-name=sslbench-" + job.specName() + "\n"
                + "#SBATCH --array=0-" + (job.shards() - 1) + "\n"
                + "#SBATCH --cpus-per-task=8\n"
                + "#SBATCH --mem=24G\n"
                + "#SBATCH --time=24:00:00\n"
                + (job.gpu() ? "#SBATCH --gres=gpu:1\n" : "")
                + "#SBATCH --output=" + job.repo().toAbsolutePath().resolve(job.results()) + "/slurm-%A_%a.out\n"
                + "set -euo pipefail\n"
                + "cd " + quote(job.repo().toAbsolutePath().toString()) + "\n"
                + "make bench SPEC=" + quote(job.spec()) + dirs + " SHARD=\"${SLURM_ARRAY_TASK_ID}/" + job.shards() + "\""
                + (job.gpu() ? " GPU=1" : "") + " ARGS=--quiet\n";
    }

    private static String make(String variable, Path dir) {
        return dir == null ? "" : " " + variable + "=" + quote(dir.toAbsolutePath().toString());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
