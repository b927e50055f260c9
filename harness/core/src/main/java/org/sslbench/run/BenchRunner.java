package org.sslbench.run;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.data.LabelSubsets;
import org.sslbench.data.NonEmptySplits;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Checkpoint;
import org.sslbench.evaluate.EncoderFeatures;
import org.sslbench.evaluate.EvalRequest;
import org.sslbench.evaluate.Outcome;
import org.sslbench.evaluate.Protocol;
import org.sslbench.matrix.Cell;
import org.sslbench.matrix.Matrix;
import org.sslbench.matrix.PretextGroup;
import org.sslbench.method.Method;
import org.sslbench.method.Params;
import org.sslbench.plugin.CodeOrigin;
import org.sslbench.results.Answer;
import org.sslbench.results.AtomicFiles;
import org.sslbench.results.CellResult;
import org.sslbench.results.CellsCsv;
import org.sslbench.results.CurrentConfigs;
import org.sslbench.results.CodeIdentity;
import org.sslbench.results.Leaderboard;
import org.sslbench.results.Provenance;
import org.sslbench.results.Report;
import org.sslbench.results.ResultTable;
import org.sslbench.results.Status;
import org.sslbench.spec.DatasetRef;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecValidator;
import org.sslbench.train.Batches;
import org.sslbench.train.CollapseRule;
import org.sslbench.train.PretextMonitor;
import org.sslbench.train.DivergedException;
import org.sslbench.train.EpochLog;
import org.sslbench.train.Normalizer;
import org.sslbench.train.PretextTrainer;

/**
 * Runs a validated spec: expands the matrix, pretrains each (method, dataset, backbone, pretext
 * config, seed) once — or reuses its verified checkpoint — evaluates every pending cell of the
 * group on it, and appends each row to cells.csv as soon as it exists. Cells already in
 * cells.csv (by config hash) are skipped, so an interrupted run resumes where it stopped.
 */
public final class BenchRunner {
    /**
     * How a run behaves.
     *
     * @param shard          run only this shard's pretext groups, into its own sub-directory; null = all
     * @param recomputeStale redo cells (and retrain pretext checkpoints) that other code computed
     *                       (see {@link CodeIdentity}); without it they are reused with a warning
     */
    public record Options(boolean quiet, boolean failFast, Shard shard, boolean recomputeStale) {
        public Options(boolean quiet, boolean failFast) {
            this(quiet, failFast, null);
        }

        public Options(boolean quiet, boolean failFast, Shard shard) {
            this(quiet, failFast, shard, false);
        }
    }

    /**
     * Counts of what a run did. {@link #exitCode()} describes the spec's cells in the results
     * directory, not only the ones computed now: it is non-zero when any of them did not finish ok,
     * including rows kept from an earlier run ({@code earlierNotOk}: diverged or collapsed rows, which a rerun
     * does not retry, and failed rows a rerun could not redo).
     *
     * @param earlierNotOk the spec's cells whose row is diverged, collapsed or failed and was not written by this run
     * @param collapsed    cells of this run whose pretext embedding collapsed (evaluated, status collapsed)
     */
    public record Summary(Path outputDir, int cells, int skipped, int ok, int diverged, int failed, int earlierNotOk,
                          int collapsed) {
        public Summary(Path outputDir, int cells, int skipped, int ok, int diverged, int failed) {
            this(outputDir, cells, skipped, ok, diverged, failed, 0, 0);
        }

        public int exitCode() {
            return diverged + failed + collapsed + earlierNotOk > 0 ? 1 : 0;
        }
    }

    private final Registries registries;
    private final Map<String, Protocol> protocols;
    private final PrintStream out;
    /** This run's precisions (requested → effective), resolved once per run on its device. */
    private RunPrecision precisions;

    @Inject
    public BenchRunner(Registries registries, Map<String, Protocol> protocols, PrintStream out) {
        this.registries = registries;
        this.protocols = protocols;
        this.out = out;
    }

    /** Where a spec's results go: {@code output.dir}, else {@code results/<name>}. */
    public static Path outputDir(Spec spec) {
        return spec.outputDir() != null ? spec.outputDir() : Path.of("results", spec.name());
    }

    /** Where the last {@link #run}'s wall time went (null before the first run). */
    private TimeSplit time;

    /** The time split of the last {@link #run} that reached its end, or of the run still going; null before any. */
    public TimeSplit lastTimeSplit() {
        return time;
    }

    public Summary run(Spec spec, String specText, Options options) throws IOException, DataException, SpecException {
        time = new TimeSplit();
        Path dir = options.shard() == null ? outputDir(spec) : outputDir(spec).resolve(options.shard().directoryName());
        pixelOutcomes.clear(); // outcomes of another run's data are not this run's
        Path created = firstMissing(dir); // what this run creates, removed again if its data is refused
        ensureWritable(dir);
        // The device first: a block's precision is the one it gets on this machine, and the hashes
        // name that (RunPrecision#effectiveSpec), so a bf16 fallback never pools with real bf16 rows.
        String device = org.sslbench.engine.Devices.detect(out);
        precisions = RunPrecision.resolve(spec, device);
        spec = precisions.effectiveSpec(spec);
        List<PretextGroup> all = Matrix.expand(spec, SpecValidator.labelCounts(spec, registries),
                SpecValidator.foldSizes(spec, registries));
        List<PretextGroup> groups = new java.util.ArrayList<>();
        for (int g = 0; g < all.size(); g++) {
            if (options.shard() == null || options.shard().owns(g)) {
                groups.add(all.get(g));
            }
        }
        long io = System.nanoTime();
        CellsCsv cells = CellsCsv.open(dir);
        time.addSince(TimeSplit.Part.IO, io);
        cells.warnings().forEach(w -> out.println("warning: " + w));
        // Every dataset a cell still needs is read (image folders decoded) and checked against the
        // label counts before anything is written: bad images stop the run with nothing half-written.
        Map<String, LoadedData> data = new HashMap<>();
        try {
            for (PretextGroup group : groups) {
                if (group.cells().stream().anyMatch(c -> !cells.containsCompleted(c.cellHash()))) {
                    LoadedData d = loaded(data, group, spec, dir);
                    if (group.pretrains() && group.method().pretext().dataset().isPresent()
                            && !Files.exists(dir.resolve("pretext").resolve(group.pretextHash() + ".ckpt"))) {
                        pretextPool(spec, group, d, dir); // another dataset's pool: converted and checked now too
                    }
                }
            }
        } catch (DataLoadException e) {
            if (created != null) {
                org.sslbench.data.folder.FolderWriter.deleteTree(created);
            }
            throw e;
        }
        Files.createDirectories(dir.resolve("subsets"));
        Files.createDirectories(dir.resolve("pretext"));
        AtomicFiles.writeString(dir.resolve("spec.yaml"), specText);
        // Which configurations are this spec's: rows of others (a run before a param change) stay
        // apart and are marked current=no on the leaderboard, never averaged in.
        // With the code that runs each now, so that report and merge can mark stale rows without running code.
        Provenance provenance = Provenance.capture(device, Runtime.getRuntime().availableProcessors());
        CurrentConfigs.write(dir, configEntries(all, registries, provenance));
        relabelReused(groups, cells);
        Set<String> current = CurrentConfigs.read(dir);
        Map<String, CodeIdentity> currentCode = CurrentConfigs.codes(dir);
        // Written just above and not again during the run: read once, not after every group.
        Map<String, CurrentConfigs.Entry> known = CurrentConfigs.history(dir);
        int total = Matrix.cells(groups).size();
        Set<String> redo = staleCells(groups, cells, provenance, options.recomputeStale());
        int skipped = (int) Matrix.cells(groups).stream()
                .filter(c -> cells.containsCompleted(c.cellHash()) && !redo.contains(c.cellHash())).count();
        out.printf(Locale.ROOT, "%s%s: %d cells in %d pretext groups, %d already in %s%n", spec.name(),
                options.shard() == null ? "" : " shard " + options.shard() + " (of " + all.size() + " groups)", total,
                groups.size(), skipped, dir.resolve("cells.csv"));
        Matrix.notes(spec).forEach(n -> out.println("note: " + n));
        out.println("device: " + device);
        precisions.notes().forEach(n -> out.println("note: " + n));
        // GPU only: one placement line per backbone (a probe step on 32x32x3; op placement does not depend on the size).
        org.sslbench.engine.Devices.checkPlacement(device, groups.stream().map(g -> registries.backboneRegistry().get(g.backbone()))
                .distinct().toList(), new org.sslbench.data.ImageShape(32, 32, 3), precisions.effective(RunPrecision.requested(spec).stream().findFirst().orElse(org.sslbench.engine.Precision.FP32)), out);
        List<String> otherDevices = cells.otherDevices(device);
        if (!otherDevices.isEmpty()) {
            out.println("warning: " + cells.file() + " holds rows computed on " + String.join(", ", otherDevices)
                    + "; this run uses " + device + ". The same cell can come out slightly different on each"
                    + " (README, Reproducibility); TF_ENABLE_ONEDNN_OPTS picks the CPU kernels");
        }
        java.time.Instant startedAt = provenance.now().timestamp();
        int[] counts = new int[4]; // ok, diverged, failed, collapsed
        int index = skipped;
        try {
            for (PretextGroup group : groups) {
                List<Cell> pending = group.cells().stream()
                        .filter(c -> !cells.containsCompleted(c.cellHash()) || redo.contains(c.cellHash())).toList();
                if (pending.isEmpty()) {
                    continue;
                }
                LoadedData loaded = loaded(data, group, spec, dir);
                index = runGroup(spec, group, pending, loaded, dir, cells, provenance, options, counts, index, total, redo);
                writeLeaderboard(dir, cells, current, known, currentCode);
            }
        } finally {
            writeLeaderboard(dir, cells, current, known, currentCode);
        }
        Leaderboard board = Leaderboard.aggregate(cells.rows(), current, known, currentCode);
        out.println();
        ResultTable.print(board, out);
        io = System.nanoTime();
        Answer.print(cells.rows(), board, dir, out);
        Report.writeOrWarn(dir, Report.DEFAULT_REFERENCE_DIR, out);
        time.addSince(TimeSplit.Part.IO, io);
        out.println("results: " + dir.resolve("cells.csv") + ", " + dir.resolve("leaderboard.csv"));
        int earlier = earlierNotOk(groups, cells, startedAt);
        out.println(time.finish().line());
        try {
            time.append(dir, provenance.now().timestamp(), provenance.gitCommit(), spec.name());
        } catch (IOException e) {
            out.println("warning: " + dir.resolve(TimeSplit.FILE) + " not written (" + e.getMessage() + ")");
        }
        return new Summary(dir, total, skipped, counts[0], counts[1], counts[2], earlier, counts[3]);
    }

    /**
     * Reused rows take this spec's config ids: a row found by its cell hash is this cell's result,
     * but its stored config_id may come from an earlier rule (one that put the unlabeled_limit into
     * the supervised baseline's id), which would leave the row outside the current configuration
     * ("not current", no baseline to compare with). Rewritten in place, one line says how many.
     */
    private void relabelReused(List<PretextGroup> groups, CellsCsv cells) throws IOException {
        Map<String, String> ids = new HashMap<>();
        Matrix.cells(groups).forEach(c -> ids.put(c.cellHash(), c.configId()));
        List<CellResult> relabelled = cells.relabel(ids);
        if (!relabelled.isEmpty()) {
            out.printf(Locale.ROOT, "%d reused cells in %s got this spec's config_id (theirs was computed by an"
                    + " earlier sslbench rule; same cell hash, so the same result)%n", relabelled.size(), cells.file());
        }
    }

    /**
     * The cells of {@code groups} whose row in cells.csv did not finish ok and was written before
     * {@code startedAt} (an earlier run's), each named on a warning line: they make the run's exit
     * code non-zero although this run computed nothing for them.
     */
    private int earlierNotOk(List<PretextGroup> groups, CellsCsv cells, java.time.Instant startedAt) {
        List<CellResult> earlier = new ArrayList<>();
        for (Cell cell : Matrix.cells(groups)) {
            cells.get(cell.cellHash())
                    .filter(r -> r.status() != Status.OK && r.provenance().timestamp().isBefore(startedAt))
                    .ifPresent(earlier::add);
        }
        if (!earlier.isEmpty()) {
            out.printf(Locale.ROOT, "warning: %d of this spec's cells in %s did not finish ok in an earlier run"
                    + " (their rows are kept; diverged and collapsed cells are not retried, failed ones are retried on every rerun):%n",
                    earlier.size(), cells.file());
            printCapped(earlier.stream().map(r -> String.format(Locale.ROOT, "  %s %s %s %s n=%d seed=%d (%s): %s, %s",
                    r.method(), r.dataset(), r.backbone(), r.protocol(), r.nLabels(), r.seed(), r.configHash(),
                    r.status().csv(), r.statusDetail())).toList());
        }
        return earlier.size();
    }

    /**
     * Completed cells of {@code groups} that other code computed, each listed in a warning with what
     * changed; returned (to be redone) only when {@code recompute}, else empty.
     */
    private Set<String> staleCells(List<PretextGroup> groups, CellsCsv cells, Provenance provenance, boolean recompute) {
        Map<String, CodeIdentity> current = new HashMap<>();
        Set<String> stale = new LinkedHashSet<>();
        List<String> lines = new ArrayList<>();
        for (PretextGroup group : groups) {
            CodeIdentity now = current.computeIfAbsent(group.method().name() + "|" + group.backbone() + "|"
                    + group.dataset().name(), k -> identity(group, provenance));
            for (Cell cell : group.cells()) {
                CellResult row = cells.get(cell.cellHash()).orElse(null);
                if (row == null || !row.status().isCompleted()) {
                    continue;
                }
                List<String> diff = CodeIdentity.of(row).differences(now);
                if (!diff.isEmpty()) {
                    stale.add(cell.cellHash());
                    lines.add(String.format(Locale.ROOT, "  %s %s %s %s n=%d seed=%d (%s): %s", row.method(), row.dataset(),
                            row.backbone(), row.protocol(), row.nLabels(), row.seed(), row.configHash(),
                            String.join("; ", diff)));
                }
            }
        }
        if (stale.isEmpty()) {
            return Set.of();
        }
        out.printf(Locale.ROOT, "warning: %d of the cells already in %s were computed by other code than this run's:%n",
                stale.size(), cells.file());
        printCapped(lines);
        out.println(recompute
                ? "recomputing them (--recompute-stale), retraining their pretext checkpoints where those are stale too"
                : "keeping them as they are; rerun with --recompute-stale (make bench ARGS=--recompute-stale) to redo them");
        return recompute ? stale : Set.of();
    }

    private static final int MAX_STALE_LINES = 20;

    /** Prints at most {@link #MAX_STALE_LINES} of {@code lines}, then how many more there are. */
    private void printCapped(List<String> lines) {
        lines.stream().limit(MAX_STALE_LINES).forEach(out::println);
        if (lines.size() > MAX_STALE_LINES) {
            out.printf(Locale.ROOT, "  ... and %d more%n", lines.size() - MAX_STALE_LINES);
        }
    }

    /** The code that runs {@code group}'s method, backbone and dataset now. */
    private CodeIdentity identity(PretextGroup group, Provenance provenance) {
        return identity(registries, group, provenance);
    }

    /**
     * A method with pixel features never runs its group's backbone, so no backbone code is recorded
     * (empty source and hash): its rows do not turn stale when only the backbone's jar changes.
     */
    private static CodeIdentity identity(Registries registries, PretextGroup group, Provenance provenance) {
        return CodeIdentity.current(provenance,
                CodeOrigin.of(registries.methodRegistry().get(group.method().name()).getClass()),
                group.method().pixelFeatures() ? NO_CODE
                        : CodeOrigin.of(registries.backboneRegistry().get(group.backbone()).getClass()),
                CodeOrigin.of(registries.dataset(group.dataset()).getClass()));
    }

    /** The origin recorded for code a cell does not run (the backbone of a pixels cell). */
    private static final CodeOrigin NO_CODE = new CodeOrigin("", "", "");

    private int runGroup(Spec spec, PretextGroup group, List<Cell> pending, LoadedData loaded, Path dir,
                         CellsCsv cells, Provenance provenance, Options options, int[] counts, int index, int total,
                         Set<String> redo) throws IOException {
        Method method = registries.methodRegistry().get(group.method().name());
        CodeIdentity code = identity(group, provenance);
        Params params = new Params(group.method().params());
        Backbone backbone = registries.backboneRegistry().get(group.backbone());
        Pretext pretext;
        try {
            pretext = pretext(spec, group, method, params, backbone, loaded, dir, options, code);
        } catch (RuntimeException e) { // one failed pretext group must not stop the matrix
            boolean diverged = e instanceof DivergedException;
            for (Cell cell : pending) {
                Status status = diverged ? Status.DIVERGED : Status.FAILED;
                store(cells, row(spec, cell, null, Pretext.NONE, status, diverged ? e.getMessage() : String.valueOf(e), "",
                        code, provenance), redo);
                counts[diverged ? 1 : 2]++;
                out.println(ResultTable.summary(++index, total, cells.get(cell.cellHash()).orElseThrow(), false));
            }
            if (options.failFast()) {
                throw new FailFast(e.getMessage());
            }
            return index;
        }
        Dataset ds = loaded.dataset();
        Batches pool = new Batches(ds.train(), loaded.normalizer(), group.seed());
        Batches test = new Batches(ds.test(), loaded.normalizer(), group.seed());
        // fixmatch's unlabeled images: the same pool a pretext on this dataset trains on (its
        // unlabeled split, after unlabeled_limit); a view over the loaded images, nothing copied.
        Batches unlabeledPool = new Batches(ds.unlabeled(), loaded.normalizer(), group.seed());
        // Frozen features per precision they are computed in (EncoderFeatures.computedIn: bf16 blocks
        // share the fp32 features; the pixels baseline has no session: one instance serves every precision).
        Map<org.sslbench.engine.Precision, EncoderFeatures> featuresByPrecision = new java.util.EnumMap<>(
                org.sslbench.engine.Precision.class);
        java.util.function.Function<org.sslbench.engine.Precision, EncoderFeatures> featuresIn = p ->
                featuresByPrecision.computeIfAbsent(group.method().pixelFeatures() ? org.sslbench.engine.Precision.FP32
                                : EncoderFeatures.computedIn(p),
                        q -> group.method().pixelFeatures() ? EncoderFeatures.pixels(pool, test)
                                : new EncoderFeatures(backbone, pretext.weights(), group.seed(), pool, test, q));
        try {
            for (Cell cell : pending) {
                int[] subset = cell.fold() >= 0 ? ds.predefinedFolds().get(cell.fold())
                        : LabelSubsets.select(ds.train().labels(), ds.classes(), cell.nLabels(), group.seed(),
                                spec.labels().uneven());
                String fingerprint = (cell.fold() >= 0 ? "fold" + cell.fold() + ":" : "") + LabelSubsets.fingerprint(subset);
                long io = System.nanoTime();
                LabelSubsets.write(dir.resolve("subsets").resolve(group.dataset().name()
                        + (cell.fold() >= 0 ? "-fold" + cell.fold() : "-seed" + group.seed()) + "-n" + cell.nLabels() + ".txt"), subset);
                time.addSince(TimeSplit.Part.IO, io);
                Batches labelled = new Batches(ds.train().subset(subset), loaded.normalizer(), group.seed());
                Protocol protocol = protocols.get(cell.protocol().name());
                CellResult result;
                try {
                    String twin = group.method().pixelFeatures() ? pixelsKey(cell) : null;
                    Outcome outcome = twin == null ? null : pixelOutcomes.get(twin);
                    if (outcome == null) {
                        org.sslbench.engine.Precision precision = precisions.effective(cell.protocol().precision());
                        long evaluating = System.nanoTime();
                        try {
                            outcome = protocol.evaluate(new EvalRequest(cell.protocol(), backbone, pretext.weights(),
                                    labelled, test, subset, ds.classes(), group.seed(),
                                    featuresIn.apply(precision), options.quiet(),
                                    protocol.usesUnlabeled() ? unlabeledPool : null, precision));
                        } finally {
                            accountCell(evaluating, outcome);
                        }
                        if (twin != null) {
                            pixelOutcomes.put(twin, outcome);
                        }
                    }
                    boolean collapsed = !pretext.collapsed().isEmpty();
                    result = row(spec, cell, outcome, pretext, collapsed ? Status.COLLAPSED : Status.OK,
                            pretext.collapsed(), fingerprint, code, provenance);
                    downstreamEvents(dir, cell, outcome);
                    counts[collapsed ? 3 : 0]++;
                } catch (DivergedException e) {
                    result = row(spec, cell, null, pretext, Status.DIVERGED, e.getMessage(), fingerprint, code, provenance);
                    counts[1]++;
                } catch (RuntimeException e) {
                    result = row(spec, cell, null, pretext, Status.FAILED, String.valueOf(e), fingerprint, code, provenance);
                    counts[2]++;
                }
                store(cells, result, redo);
                out.println(ResultTable.summary(++index, total, result, pretext.reused()));
                if (options.failFast() && result.status() != Status.OK) {
                    throw new FailFast(result.statusDetail());
                }
            }
        } finally {
            featuresByPrecision.values().forEach(EncoderFeatures::close);
        }
        return index;
    }

    /**
     * A cell's protocol run (started at {@code startNanos}) into the time split: its scoring
     * seconds ({@link Outcome#evalSeconds()}) as evaluation, the rest as downstream training (all
     * of it when the protocol failed before returning an outcome).
     */
    private void accountCell(long startNanos, Outcome outcome) {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double eval = outcome == null || !(outcome.evalSeconds() >= 0) ? 0 : Math.min(outcome.evalSeconds(), wall);
        time.add(TimeSplit.Part.EVALUATION, eval);
        time.add(TimeSplit.Part.DOWNSTREAM, wall - eval);
        time.cellRun();
    }

    /** The cell's TensorBoard scalars; a file that cannot be written is a warning, never a lost result. */
    private void downstreamEvents(Path dir, Cell cell, Outcome outcome) {
        PretextGroup g = cell.group();
        String name = g.method().name() + "-" + g.dataset().name() + "-" + g.backbone() + "-" + cell.protocol().name()
                + "-n" + cell.nLabels() + (cell.fold() >= 0 ? "-fold" + cell.fold() : "") + "-seed" + g.seed() + "-"
                + cell.cellHash();
        long io = System.nanoTime();
        try {
            org.sslbench.results.DownstreamEvents.write(dir, name, cell.protocol().name(), outcome);
        } catch (IOException | RuntimeException e) {
            out.println("warning: TensorBoard events of " + name + " not written (" + e + ")");
        } finally {
            time.addSince(TimeSplit.Part.IO, io);
        }
    }

    /**
     * Outcomes of {@code pixels} cells computed in this run, by {@link #pixelsKey}: the same cell in
     * another backbone group reads the same features, label subset and seed, so its row (one per
     * backbone, for the report's dataset × backbone groups) takes this outcome instead of training
     * the probe or running kNN again (its {@code seconds} are those of the computation it reuses).
     */
    private final Map<String, Outcome> pixelOutcomes = new HashMap<>();

    /** A pixels cell's identity without the backbone, which its result does not depend on. */
    private static String pixelsKey(Cell cell) {
        PretextGroup g = cell.group();
        return org.sslbench.matrix.ConfigHash.of(Map.of("method", g.method(), "dataset", g.identityDataset(),
                "preprocess", g.preprocess(), "seed", g.seed(), "protocol", cell.protocol(), "n_labels", cell.nLabels(),
                "fold", cell.fold()));
    }

    /**
     * Appends a row; for a stale cell being recomputed it replaces the old row, except that a recompute
     * that failed keeps the old completed row (nothing computed is lost) and says so.
     */
    private void store(CellsCsv cells, CellResult row, Set<String> redo) throws IOException {
        long io = System.nanoTime();
        try {
            storeRow(cells, row, redo);
        } finally {
            time.addSince(TimeSplit.Part.IO, io);
        }
    }

    private void storeRow(CellsCsv cells, CellResult row, Set<String> redo) throws IOException {
        if (!redo.contains(row.configHash()) || !cells.containsCompleted(row.configHash())) {
            cells.append(row);
        } else if (row.status() == Status.FAILED) {
            out.println("warning: recomputing stale cell " + row.configHash() + " failed (" + row.statusDetail()
                    + "); its previous row is kept and stays stale");
        } else {
            cells.replace(row);
        }
    }

    /**
     * A pretext phase's output as cells need it.
     *
     * @param code {@link CodeIdentity#fingerprint} of the code that trained the weights (a reused
     *             checkpoint's can be older code's); empty without pretraining
     * @param collapsed why the embedding counts as collapsed ({@link #collapseVerdict}), empty when it does not
     */
    private record Pretext(Map<String, float[]> weights, int epochs, double loss, double collapseStd, double seconds,
                           boolean reused, String code, String collapsed) {
        static final Pretext NONE = new Pretext(null, 0, Double.NaN, Double.NaN, 0, false, "", "");
    }

    /**
     * The collapse verdict of a pretext checkpoint's metadata: the early stop's reason when
     * {@code monitor_stop} ended it, else {@link CollapseRule} applied to the encoder RankMe stored
     * after training; empty when healthy or not measured (checkpoints written before the monitor).
     * Stored values rather than a verdict, so a reused checkpoint keeps its verdict across runs.
     */
    static String collapseVerdict(Map<String, String> meta) {
        String stopped = meta.getOrDefault("monitor_stop_reason", "");
        if (!stopped.isEmpty()) {
            return stopped;
        }
        String rank = meta.get("monitor_rankme");
        if (rank == null || rank.isEmpty()) {
            return "";
        }
        double r = Double.parseDouble(rank);
        int rows = Integer.parseInt(meta.get("monitor_rows"));
        int dim = Integer.parseInt(meta.get("monitor_dim"));
        double knn = Double.parseDouble(meta.getOrDefault("monitor_knn", "NaN"));
        double untrained = Double.parseDouble(meta.getOrDefault("monitor_knn_untrained", "NaN"));
        return CollapseRule.collapsed(r, rows, dim, knn, untrained) ? CollapseRule.detail(r, rows, dim, knn, untrained) : "";
    }

    /** Pretext pools taken from another dataset: converted once per run. */
    private PretextPools pretextPools;

    /**
     * The images {@code group}'s pretext trains on ({@link PretextPools}); a pretext folder's images
     * left out as unreadable are listed in the results directory.
     */
    private org.sslbench.data.folder.ResizedPool.Result pretextPool(Spec spec, PretextGroup group, LoadedData loaded,
                                                                    Path dir) {
        if (pretextPools == null) {
            pretextPools = new PretextPools(registries, out);
        }
        long io = System.nanoTime();
        try {
            var pool = pretextPools.of(spec, group.method().pretext(), loaded.dataset());
            var other = group.method().pretext().dataset();
            if (other.isPresent()) {
                org.sslbench.results.DatasetNotes.writePoolSource(dir, other.get().name(), pool.description());
                if (other.get().folder().isPresent()) {
                    org.sslbench.results.DatasetNotes.writeUnreadable(dir, other.get().name(), pool.leftOut(), out);
                }
            }
            return pool;
        } catch (DataException | IOException e) {
            throw new DataLoadException(e);
        } finally {
            time.addSince(TimeSplit.Part.IO, io);
        }
    }

    private Pretext pretext(Spec runSpec, PretextGroup group, Method method, Params params, Backbone backbone,
                            LoadedData loaded, Path dir, Options options, CodeIdentity code) throws IOException {
        if (method.views(params) == 0) {
            Map<String, float[]> imported = org.sslbench.transfer.ImportedWeights.load(method, params);
            return imported == null ? Pretext.NONE : new Pretext(imported, 0, Double.NaN, Double.NaN, 0, false, "", "");
        }
        Path ckpt = dir.resolve("pretext").resolve(group.pretextHash() + ".ckpt");
        if (Files.exists(ckpt)) {
            try {
                long io = System.nanoTime();
                Checkpoint c = Checkpoint.read(ckpt);
                time.addSince(TimeSplit.Part.IO, io);
                List<String> diff = CodeIdentity.of(c.metadata()).differences(code);
                boolean ours = group.pretextHash().equals(c.metadata().get("pretext_hash"));
                if (ours && !diff.isEmpty()) {
                    out.println("warning: pretext checkpoint " + ckpt + " was trained by other code than this run's ("
                            + String.join("; ", diff) + "); " + (options.recomputeStale() ? "retraining (--recompute-stale)"
                            : "reusing it; rerun with --recompute-stale to retrain it"));
                }
                if (ours && (diff.isEmpty() || !options.recomputeStale())) {
                    Map<String, String> m = c.metadata();
                    out.printf(Locale.ROOT, "reusing pretext %s (%s seed %d) from %s%n", group.pretextHash(),
                            method.name(), group.seed(), ckpt);
                    return new Pretext(c.tensors(), Integer.parseInt(m.get("epochs")), Double.parseDouble(m.get("final_loss")),
                            Double.parseDouble(m.get("collapse_std")), Double.parseDouble(m.get("seconds")), true,
                            CodeIdentity.of(m).fingerprint(), collapseVerdict(m));
                }
                if (!ours) {
                    out.println("warning: " + ckpt + " belongs to another configuration; retraining");
                }
            } catch (IOException | RuntimeException e) {
                out.println("warning: " + e.getMessage() + "; retraining");
            }
        }
        var spec = group.method().pretext();
        var pool = pretextPool(runSpec, group, loaded, dir);
        // The session runs in the pretext block's effective precision (the hash keeps the requested one).
        org.sslbench.engine.Precision precision = precisions.effective(spec.precision());
        out.printf(Locale.ROOT, "pretext %s: %s on %s%s, %s, seed %d, %d epochs%s%n", group.pretextHash(), method.name(),
                group.dataset().name(), spec.dataset().isPresent() ? " \u2190 " + pool.description() : "",
                group.backbone(), group.seed(), spec.epochs(),
                precision == org.sslbench.engine.Precision.FP32 ? "" : ", " + precision.key());
        // The evaluation dataset's normalisation (fit on its labelled pool) for the pretext images too:
        // the encoder then sees inputs scaled as they will be downstream.
        Batches unlabeled = new Batches(pool.images(), loaded.normalizer(), group.seed());
        // The kNN monitor and collapse check on the evaluation dataset's labelled training images (never test).
        PretextMonitor monitor = new PretextMonitor(spec.monitor(), backbone, loaded.dataset().train(), loaded.normalizer(),
                loaded.dataset().classes(), group.seed()).inPrecision(precision);
        long training = System.nanoTime();
        PretextTrainer.Result r;
        try {
            r = new PretextTrainer(out, options.quiet())
                    .train(method, params, backbone, spec.withPrecision(precision), unlabeled, group.seed(), monitor);
        } finally {
            time.addSince(TimeSplit.Part.PRETEXT, training);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("pretext_hash", group.pretextHash());
        meta.put("method", method.name());
        meta.put("params", params.toString());
        meta.put("dataset", group.dataset().name());
        if (spec.dataset().isPresent()) {
            meta.put("pretext_dataset", spec.dataset().get().name());
            meta.put("pretext_pool", pool.description());
        }
        meta.put("backbone", group.backbone());
        meta.put("seed", Integer.toString(group.seed()));
        meta.put("epochs", Integer.toString(spec.epochs()));
        meta.put("precision", precision.key());
        meta.put("final_loss", Double.toString(r.finalLoss()));
        meta.put("collapse_std", Double.toString(r.finalCollapseStd()));
        meta.put("seconds", Double.toString(r.seconds()));
        meta.put("images_per_second", Double.toString(r.imagesPerSecond()));
        meta.put("pool_images", Integer.toString(pool.images().size())); // images seen = epochs x pool (report)
        if (r.monitor() != null) { // what the collapse verdict is computed from, so a reuse keeps it
            meta.put("monitor_knn", Double.toString(r.monitor().knn()));
            meta.put("monitor_rankme", Double.toString(r.monitor().rankMe()));
            meta.put("monitor_rows", Integer.toString(r.monitor().rows()));
            meta.put("monitor_dim", Integer.toString(r.monitor().dim()));
            // The untrained reference: the collapse rule's (with a low rank) and the report's "below the
            // random encoder? why" evidence (always); one eval-mode pass over the monitor images.
            if (!r.monitor().diverged()) {
                long untrained = System.nanoTime();
                meta.put("monitor_knn_untrained", Double.toString(monitor.untrained().knn()));
                time.addSince(TimeSplit.Part.PRETEXT, untrained);
            }
        }
        if (r.stopReason() != null) {
            meta.put("monitor_stop_reason", r.stopReason());
            meta.put("epochs_trained", Integer.toString(r.epochs().size()));
        }
        meta.putAll(code.metadata());
        long io = System.nanoTime();
        writeEpochLog(dir.resolve("pretext").resolve(group.pretextHash() + ".log.csv"), r.epochs());
        org.sslbench.results.PretextEvents.write(dir, group.method().name() + "-" + group.dataset().name() + "-"
                + group.backbone() + "-seed" + group.seed() + "-" + group.pretextHash(), r.epochs());
        new Checkpoint(meta, r.encoderWeights()).write(ckpt);
        time.addSince(TimeSplit.Part.IO, io);
        out.printf(Locale.ROOT, "pretext done in %.1fs (%.0f img/s), final loss %.4f%n", r.seconds(), r.imagesPerSecond(),
                r.finalLoss());
        String collapsed = collapseVerdict(meta);
        if (!collapsed.isEmpty()) {
            out.println("warning: pretext " + group.pretextHash() + " " + collapsed + "; its cells are evaluated but"
                    + " marked collapsed (kept out of leaderboard means, ranks and verdicts)");
        }
        return new Pretext(r.encoderWeights(), spec.epochs(), r.finalLoss(), r.finalCollapseStd(), r.seconds(), false,
                code.fingerprint(), collapsed);
    }

    private static void writeEpochLog(Path file, List<EpochLog> epochs) throws IOException {
        List<String> metricNames = epochs.isEmpty() ? List.of() : new ArrayList<>(epochs.get(0).metrics().keySet());
        StringBuilder sb = new StringBuilder("epoch,loss,");
        metricNames.forEach(m -> sb.append(m).append(','));
        sb.append("lr,data_wait_fraction,images_per_second,collapse_std,rankme,monitor_knn,monitor_rankme\n");
        for (EpochLog e : epochs) {
            sb.append(e.epoch() + 1).append(',').append(e.loss()).append(',');
            metricNames.forEach(m -> sb.append(e.metrics().get(m)).append(','));
            sb.append(e.lr()).append(',').append(e.dataWaitFraction()).append(',').append(e.imagesPerSecond()).append(',').append(e.collapseStd())
                    .append(',').append(e.rankMe()).append(',').append(measured(e.monitorKnn())).append(',')
                    .append(measured(e.monitorRankMe())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** A monitor value, empty in epochs it was not measured. */
    private static String measured(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private CellResult row(Spec spec, Cell cell, Outcome o, Pretext p, Status status, String detail,
                                  String subset, CodeIdentity code, Provenance provenance) {
        PretextGroup g = cell.group();
        var train = cell.protocol().train();
        String params = methodParams(g);
        return new CellResult(spec.name(), g.method().name(), g.dataset().name(), g.backbone(), cell.protocol().name(),
                cell.nLabels(), g.seed(), p.epochs(), train == null ? 0 : train.epochs(),
                o == null ? Double.NaN : o.testAccuracy(), o == null ? Double.NaN : o.maxTestAccuracy(),
                o == null ? Double.NaN : o.testLoss(), p.loss(), p.collapseStd(),
                o == null ? Double.NaN : o.seconds(), p.seconds(), o == null ? Double.NaN : o.imagesPerSecond(),
                status, detail, params, subset, cell.subsetKind(), cell.fold(), cell.configId(),
                cell.cellHash(), g.pretextHash(), code.methodSource(), code.methodSourceSha256(), code.backboneSource(),
                code.backboneSourceSha256(), code.datasetSource(), code.datasetSourceSha256(), p.code(),
                pretextDataset(g), o == null ? "" : o.selection(), o == null ? "" : o.selected(),
                precisions.effective(cell.protocol().precision()).key(), provenance.now());
    }

    /** The dataset whose pool {@code g} pretrains on when it is not the evaluation dataset's own; else empty. */
    static String pretextDataset(PretextGroup g) {
        return g.method().pretext() == null ? "" : g.method().pretext().dataset().map(DatasetRef::name).orElse("");
    }

    private void writeLeaderboard(Path dir, CellsCsv cells, Set<String> current, Map<String, CurrentConfigs.Entry> known,
                                  Map<String, CodeIdentity> code) throws IOException {
        long io = System.nanoTime();
        try {
            Leaderboard.aggregate(cells.rows(), current, known, code).write(dir.resolve("leaderboard.csv"));
        } finally {
            time.addSince(TimeSplit.Part.IO, io);
        }
    }

    /**
     * The configurations of {@code spec} (all shards) with the code that runs each in this process:
     * what bench writes to current-configs.csv, and what merge --spec writes to the merged directory.
     *
     * @throws DataException when a dataset needed to count labels or folds cannot be read
     */
    public static List<CurrentConfigs.Entry> currentConfigs(Spec spec, Registries registries)
            throws DataException, SpecException {
        List<PretextGroup> all = Matrix.expand(spec, SpecValidator.labelCounts(spec, registries),
                SpecValidator.foldSizes(spec, registries));
        return configEntries(all, registries, Provenance.capture("", Runtime.getRuntime().availableProcessors()));
    }

    private static List<CurrentConfigs.Entry> configEntries(List<PretextGroup> all, Registries registries,
                                                            Provenance provenance) {
        List<CurrentConfigs.Entry> out = new ArrayList<>();
        for (Cell cell : Matrix.cells(all)) {
            PretextGroup g = cell.group();
            out.add(new CurrentConfigs.Entry(cell.configId(), g.method().name(), g.dataset().name(), g.backbone(),
                    cell.protocol().name(), cell.nLabels(), cell.subsetKind(), methodParams(g), cell.seriesId(),
                    cell.settings(), identity(registries, g, provenance)));
        }
        return out;
    }

    private static String methodParams(PretextGroup g) {
        StringJoiner params = new StringJoiner(";");
        g.method().params().forEach((k, v) -> params.add(k + "=" + v));
        return params.toString();
    }

    /** A dataset with its normalisation statistics, loaded once per run. */
    private record LoadedData(Dataset dataset, Normalizer normalizer) {
    }

    /**
     * {@code group}'s dataset, loaded once per run; when loaded, its largest stratified label count
     * is checked against the loaded training pool (images left out as unreadable can leave a class
     * short). Every group of a dataset has the same label counts, and a count that fits makes every
     * smaller one fit, so one check per dataset covers all its cells.
     */
    private LoadedData loaded(Map<String, LoadedData> data, PretextGroup group, Spec spec, Path dir) {
        return data.computeIfAbsent(group.dataset().name() + "#" + group.dataset().unlabeledLimit(), k -> {
            LoadedData d = load(group.dataset(), spec, dir);
            int largest = group.cells().stream().filter(c -> c.fold() < 0).mapToInt(Cell::nLabels).max().orElse(0);
            try {
                LabelSubsets.checkFits(d.dataset(), largest, spec.labels().uneven());
            } catch (DataException e) {
                throw new DataLoadException(e);
            }
            return d;
        });
    }

    private LoadedData load(DatasetRef ref, Spec spec, Path dir) {
        long io = System.nanoTime();
        try {
            out.printf("loading %s%n", ref.name());
            if (ref.folder().isEmpty()) {
                org.sslbench.download.DataIntegrity.warnings(ref.name(), spec.dataDir()).forEach(w -> out.println("warning: " + w));
            }
            Dataset ds = NonEmptySplits.check(ref.name(), registries.dataset(ref).load(spec.dataDir(), ref.unlabeledLimit()));
            org.sslbench.results.DatasetNotes.write(dir, ds, out);
            return new LoadedData(ds, Normalizer.fit(spec.preprocess().normalize(), ds.train()));
        } catch (DataException | IOException e) {
            throw new DataLoadException(e);
        } finally {
            time.addSince(TimeSplit.Part.IO, io);
        }
    }

    /** --fail-fast: the first cell that did not finish ok (its row is already in cells.csv) stops the run. */
    public static final class FailFast extends RuntimeException {
        FailFast(String detail) {
            super("stopped at the first cell that did not finish ok (--fail-fast): " + detail);
        }
    }

    /** Wraps a checked data error thrown inside a lambda; unwrapped by the CLI. */
    public static final class DataLoadException extends RuntimeException {
        DataLoadException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The outermost directory of {@code dir}'s path that does not exist yet, or null when {@code dir} exists. */
    private static Path firstMissing(Path dir) {
        Path p = dir.toAbsolutePath();
        Path missing = null;
        while (p != null && !Files.exists(p)) {
            missing = p;
            p = p.getParent();
        }
        return missing;
    }

    /** Fails before any training when results cannot be written. */
    static void ensureWritable(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("results directory " + dir + " is not writable (" + e.getMessage() + ")", e);
        }
    }
}
