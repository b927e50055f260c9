package org.sslbench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sslbench.results.CellResult;
import org.sslbench.results.CellsCsv;
import org.sslbench.results.CurrentConfigs;
import org.sslbench.results.CodeIdentity;
import org.sslbench.results.Leaderboard;
import org.sslbench.results.Report;

/**
 * Merges shard outputs into one results directory: cells by config hash (a cell already
 * completed in the target is kept, so merging twice changes nothing), pretext logs, checkpoints
 * and label subsets copied when absent, then leaderboard, plots and report rebuilt.
 */
public final class ShardMerge {
    private ShardMerge() {
    }

    /** The shard directories {@code shard-*-of-*} under {@code target}, sorted. */
    public static List<Path> shardsUnder(Path target) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(target, "shard-*-of-*")) {
                s.forEach(out::add);
            }
        }
        out.sort(null);
        return out;
    }

    /** @return number of cells added to the target */
    public static int merge(Path target, List<Path> shards, PrintStream out) throws IOException {
        return merge(target, shards, null, out);
    }

    /**
     * Merges {@code shards} into {@code target}.
     *
     * @param current the spec's configurations with the code that runs them now (merge --spec,
     *                {@link BenchRunner#currentConfigs}), written to the target's current-configs.csv so
     *                its leaderboard marks other configurations not current and stale rows, as bench
     *                does; null: adopt the shards' own when they all agree
     * @return number of cells added to the target
     */
    public static int merge(Path target, List<Path> shards, List<CurrentConfigs.Entry> current, PrintStream out)
            throws IOException {
        Files.createDirectories(target);
        CellsCsv merged = CellsCsv.open(target);
        int added = 0;
        for (Path shard : shards) {
            if (!Files.exists(shard.resolve(CellsCsv.FILE_NAME))) {
                out.println("warning: " + shard + " has no " + CellsCsv.FILE_NAME + " (shard not run yet?)");
                continue;
            }
            CellsCsv part = CellsCsv.open(shard);
            for (CellResult row : part.rows()) {
                CellResult have = merged.get(row.configHash()).orElse(null);
                if (have == null || !have.status().isCompleted()) {
                    merged.append(row);
                    added++;
                } else if (row.status().isCompleted() && row.provenance().timestamp().isAfter(have.provenance().timestamp())) {
                    // The shard recomputed the cell (bench --recompute-stale) after it was merged: the
                    // newer row replaces the stale one, else the merged directory would keep old code's result.
                    merged.replace(row);
                    added++;
                }
            }
            for (String sub : List.of("pretext", "subsets")) {
                copyMissing(shard.resolve(sub), target.resolve(sub));
            }
        }
        warnMixedCode(merged, out);
        if (current != null) {
            CurrentConfigs.write(target, current);
        } else {
            adoptCurrentConfigs(target, shards, out);
        }
        for (Path shard : shards) { // every shard's configurations stay describable in the merged directory
            CurrentConfigs.addToHistory(target, CurrentConfigs.history(shard).values());
        }
        Leaderboard board = Leaderboard.aggregate(merged.rows(), CurrentConfigs.read(target),
                CurrentConfigs.history(target), CurrentConfigs.codes(target));
        board.write(target.resolve("leaderboard.csv"));
        board.warnings().forEach(w -> out.println("warning: " + w));
        Report.writeOrWarn(target, Report.DEFAULT_REFERENCE_DIR, out);
        out.printf("merged %d shard(s) into %s: %d cells added, %d in total%n", shards.size(), target, added,
                merged.rows().size());
        return added;
    }

    /**
     * The shards of one run record the same current configurations (the whole spec's): the
     * target takes theirs, so its leaderboard marks the same rows current. Shards that disagree
     * (run from different specs) leave the target's as it is, with a warning.
     */
    private static void adoptCurrentConfigs(Path target, List<Path> shards, PrintStream out) throws IOException {
        java.util.Set<java.util.Set<String>> seen = new java.util.HashSet<>();
        Path source = null;
        for (Path shard : shards) {
            java.util.Set<String> ids = CurrentConfigs.read(shard);
            if (ids != null) {
                seen.add(ids);
                source = shard.resolve(CurrentConfigs.FILE_NAME);
            }
        }
        if (seen.size() == 1) {
            org.sslbench.results.AtomicFiles.writeString(target.resolve(CurrentConfigs.FILE_NAME),
                    Files.readString(source));
        } else if (seen.size() > 1) {
            out.println("warning: the shards were run from specs with different configurations; "
                    + target.resolve(CurrentConfigs.FILE_NAME) + " left as it was, so which rows are current is"
                    + " unknown; pass --spec to merge to mark the spec's configurations current");
        }
    }

    /**
     * Shards run by different sslbench builds or method jars (a cluster node with an old checkout)
     * merge into rows of one method computed by different code: say so, per method, as bench does
     * on resume.
     */
    public static void warnMixedCode(CellsCsv merged, PrintStream out) {
        Map<String, Set<CodeIdentity>> byMethod = new TreeMap<>();
        for (CellResult row : merged.rows()) {
            CodeIdentity id = CodeIdentity.of(row);
            // The jars' file names may differ between nodes; their content is what matters.
            byMethod.computeIfAbsent(row.method(), m -> new LinkedHashSet<>())
                    .add(new CodeIdentity(id.sslbenchVersion(), id.gitCommit(), "", id.methodSourceSha256(), "",
                            id.backboneSourceSha256(), "", id.datasetSourceSha256(), id.pretextCode()));
        }
        byMethod.forEach((method, ids) -> {
            if (ids.size() > 1) {
                out.println("warning: the " + method + " rows of " + merged.file() + " were computed by " + ids.size()
                        + " different builds (sslbench version / git_commit / method, backbone, dataset jar hashes"
                        + " / pretext checkpoint code): "
                        + ids.stream().map(i -> i.sslbenchVersion() + " " + i.gitCommit() + " " + shortHash(i.methodSourceSha256())
                                + (i.backboneSourceSha256().isEmpty() && i.datasetSourceSha256().isEmpty() ? ""
                                        : " backbone " + shortHash(i.backboneSourceSha256()) + " dataset "
                                                + shortHash(i.datasetSourceSha256()))
                                + (i.pretextCode().isEmpty() ? "" : " pretext " + i.pretextCode()))
                                .toList()
                        + "; rerun the older shards' cells with bench --recompute-stale");
            }
        });
    }

    private static String shortHash(String h) {
        return h.isEmpty() ? "(not recorded)" : h.length() > 12 ? h.substring(0, 12) : h;
    }

    private static void copyMissing(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(f.getFileName().toString());
                // A file the shard rewrote after the last merge (a checkpoint retrained by
                // --recompute-stale) replaces the merged copy, as its rows replace the stale ones.
                if (Files.isRegularFile(f) && !f.toString().endsWith(".tmp") && (!Files.exists(dest)
                        || Files.getLastModifiedTime(f).compareTo(Files.getLastModifiedTime(dest)) > 0)) {
                    Path tmp = to.resolve(f.getFileName() + ".tmp");
                    Files.copy(f, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, dest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }
}
