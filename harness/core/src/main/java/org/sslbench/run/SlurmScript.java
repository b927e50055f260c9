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

    /**
     * The script's text. Each task runs {@code ./sslbench bench} rather than {@code make bench}, so
     * that Slurm records the harness's exit code (1 = some cells failed, 2 = bad input; make would
     * turn both into 2). Every path is quoted for the shell; the log path is double-quoted for
     * sbatch, which strips double quotes from directive arguments.
     */
    public static String render(Job job) {
        String dirs = option("--out", job.out()) + option("--data", job.data()) + option("--plugins", job.plugins());
        String results = job.results().toString();
        return "#!/bin/bash\n"
                + "# sslbench: " + job.specName() + " as a Slurm job array of " + job.shards() + " shards.\n"
                + "# Each task runs whole pretext groups (round-robin), so no pretext run is repeated.\n"
                + "# Submit: sbatch " + quote(results + "/slurm.sh") + "    Afterwards: make merge SPEC=" + quote(job.spec())
                + make("OUT", job.out()) + make("DATA", job.data()) + make("PLUGINS", job.plugins()) + "\n"
                + "# A task's exit code is the harness's: 0 ok, 1 some cells diverged or failed, 2 bad input.\n"
                + "#SBATCH --job-name=sslbench-" + job.specName() + "\n"
                + "#SBATCH --array=0-" + (job.shards() - 1) + "\n"
                + "#SBATCH --cpus-per-task=8\n"
                + "#SBATCH --mem=24G\n"
                + "#SBATCH --time=24:00:00\n"
                + (job.gpu() ? "#SBATCH --gres=gpu:1\n" : "")
                + "#SBATCH --output=" + directive(job.repo().toAbsolutePath().resolve(job.results()) + "/slurm-%A_%a.out") + "\n"
                + "set -euo pipefail\n"
                + "cd " + quote(job.repo().toAbsolutePath().toString()) + "\n"
                + (job.gpu() ? "GPU=1 " : "") + "./sslbench bench --spec " + quote(job.spec()) + dirs
                + " --shard \"${SLURM_ARRAY_TASK_ID}/" + job.shards() + "\" --quiet\n";
    }

    private static String option(String name, Path dir) {
        return dir == null ? "" : " " + name + " " + quote(dir.toAbsolutePath().toString());
    }

    private static String make(String variable, Path dir) {
        return dir == null ? "" : " " + variable + "=" + quote(dir.toAbsolutePath().toString());
    }

    /** An #SBATCH argument: as is, or in double quotes when it holds a space. */
    private static String directive(String s) {
        return s.chars().anyMatch(Character::isWhitespace) ? "\"" + s + "\"" : s;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
