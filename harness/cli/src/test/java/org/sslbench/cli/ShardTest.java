package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A spec run as 3 shards and merged equals the single run, cell for cell; the Slurm script is valid. */
class ShardTest {
    @Test
    void threeShardsMergedEqualOneRun() throws Exception {
        RobustnessTest.writeDataIfNeeded();
        Path single = RobustnessTest.work.resolve("single");
        assertEquals(Main.OK, RobustnessTest.bench(single));
        Map<String, String> expected = RobustnessTest.metrics(single);

        Path sharded = RobustnessTest.work.resolve("sharded");
        for (int i = 0; i < 3; i++) {
            assertEquals(Main.OK, RobustnessTest.bench(sharded, "--shard", i + "/3"));
            assertTrue(Files.exists(sharded.resolve("shard-" + i + "-of-3/cells.csv")));
        }
        // Whole pretext groups per shard: no pretext hash appears in two shards.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            for (var r : RobustnessTest.rows(sharded.resolve("shard-" + i + "-of-3"))) {
                if (!r.get("pretext_hash").isEmpty() && seen.contains("s" + i + r.get("pretext_hash"))) {
                    continue;
                }
                seen.add("s" + i + r.get("pretext_hash"));
            }
        }
        long distinctHashes = seen.stream().map(s -> s.substring(2)).distinct().count();
        assertEquals(seen.size(), distinctHashes, "a pretext group must not be split over shards");

        String[] merge = {"merge", "--spec", RobustnessTest.spec.toString(), "--data", RobustnessTest.data.toString(),
                "--out", sharded.toString()};
        assertEquals(Main.OK, Main.run(merge));
        assertEquals(expected, RobustnessTest.metrics(sharded));
        assertEquals(Main.OK, Main.run(merge), "merging again is idempotent");
        assertEquals(expected, RobustnessTest.metrics(sharded));
        assertTrue(Files.exists(sharded.resolve("leaderboard.csv")));
        // The merged directory knows the spec's configurations as the single run does: the same
        // rows marked current, so the same leaderboard.
        assertEquals(Files.readString(single.resolve("current-configs.csv")),
                Files.readString(sharded.resolve("current-configs.csv")));
        assertEquals(Files.readString(single.resolve("leaderboard.csv")), Files.readString(sharded.resolve("leaderboard.csv")));
        assertTrue(Files.readString(sharded.resolve("leaderboard.csv")).contains(",yes,0\n"));
    }

    @Test
    void slurmScriptIsValidBashWithTheArrayDirectives() throws Exception {
        RobustnessTest.writeDataIfNeeded();
        Path out = slurm();
        Path script = out.resolve("slurm.sh");
        String text = Files.readString(script);
        assertTrue(text.startsWith("#!/bin/bash\n"));
        assertTrue(text.contains("#SBATCH --array=0-3\n"), text);
        assertTrue(text.contains("#SBATCH --job-name=sslbench-robust"), text);
        assertTrue(text.contains(" --shard \"${SLURM_ARRAY_TASK_ID}/4\""), text);
        // ./sslbench, not make: Slurm records the harness's exit code (make would turn 1 into 2)
        assertTrue(text.contains("\n./sslbench bench --spec '" + RobustnessTest.spec + "'"), text);
        // the tasks write where the script was written and read the data the spec was checked with
        assertTrue(text.contains(" --out '" + out.toAbsolutePath() + "'"), text);
        assertTrue(text.contains("#SBATCH --output=" + out.toAbsolutePath() + "/slurm-%A_%a.out\n"), text);
        assertTrue(text.contains(" --data '" + RobustnessTest.data.toAbsolutePath() + "'"), text);
        assertTrue(!text.contains("--plugins"), "no PLUGINS given, none passed on: " + text);
        Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String err = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), "bash -n: " + err);
    }

    private static Path slurm() {
        Path out = RobustnessTest.work.resolve("slurm");
        assertEquals(Main.OK, Main.run("slurm", "--spec", RobustnessTest.spec.toString(), "--shards", "4", "--out", out.toString(),
                "--data", RobustnessTest.data.toString()));
        return out;
    }

    @Test
    void badShardSyntaxIsBadInput() throws Exception {
        RobustnessTest.writeDataIfNeeded();
        assertEquals(Main.BAD_INPUT, RobustnessTest.bench(RobustnessTest.work.resolve("bad-shard"), "--shard", "3/3"));
        assertEquals(Main.BAD_INPUT, RobustnessTest.bench(RobustnessTest.work.resolve("bad-shard"), "--shard", "one"));
    }
}
