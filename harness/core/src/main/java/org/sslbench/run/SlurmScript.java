package org.sslbench.run;

import java.nio.file.Path;

/** A Slurm job-array script that runs one shard per array task; `make merge` joins them afterwards. */
public final class SlurmScript {
    private SlurmScript() {
    }

    /**
     * @param repo     the checkout the tasks run in (shared file system)
     * @param spec     the spec file, relative to repo or absolute
     * @param specName the spec's name (results/&lt;name&gt;)
     */
    public static String render(Path repo, String spec, String specName, int shards, boolean gpu) {
        String results = "results/" + specName;
        return "#!/bin/bash\n"
                + "# sslbench: " + specName + " as a Slurm job array of " + shards + " shards.\n"
                + "# Each task runs whole pretext groups (round-robin), so no pretext run is repeated.\n"
                + "# Submit: sbatch " + results + "/slurm.sh    Afterwards: make merge SPEC=" + spec + "\n"
                + "#SBATCH --job-name=sslbench-" + specName + "\n"
                + "#SBATCH --array=0-" + (shards - 1) + "\n"
                + "#SBATCH --cpus-per-task=8\n"
                + "#SBATCH --mem=24G\n"
                + "#SBATCH --time=24:00:00\n"
                + (gpu ? "#SBATCH --gres=gpu:1\n" : "")
                + "#SBATCH --output=" + results + "/slurm-%A_%a.out\n"
                + "set -euo pipefail\n"
                + "cd " + quote(repo.toAbsolutePath().toString()) + "\n"
                + "make bench SPEC=" + quote(spec) + " SHARD=\"${SLURM_ARRAY_TASK_ID}/" + shards + "\""
                + (gpu ? " GPU=1" : "") + " ARGS=--quiet\n";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
