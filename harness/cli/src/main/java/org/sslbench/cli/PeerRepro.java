package org.sslbench.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.LabelSubsets;
import org.sslbench.data.Shell;
import org.sslbench.data.UnlabeledPool;
import org.sslbench.matrix.Cell;
import org.sslbench.matrix.Matrix;
import org.sslbench.matrix.PretextGroup;
import org.sslbench.results.AtomicFiles;
import org.sslbench.results.CellResult;
import org.sslbench.results.CellsCsv;
import org.sslbench.results.Leaderboard;
import org.sslbench.results.NoiseTest;
import org.sslbench.results.Provenance;
import org.sslbench.results.Sample;
import org.sslbench.results.Status;
import org.sslbench.results.TextTable;
import org.sslbench.run.BenchRunner;
import org.sslbench.run.Registries;
import org.sslbench.spec.DatasetRef;
import org.sslbench.spec.MethodSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecValidator;
import org.sslbench.spec.TrainSpec;

/**
 * The cross-check behind {@code sslbench repro-peer}: the fine-tune cells of a rotation spec run
 * again by an independent PyTorch implementation ({@code bench/peers/rotation_cifar10.py}) on
 * the same CIFAR-10 files, label subsets and pretext pool, stored as {@code <results>/peer/}
 * {@code cells.csv} + {@code leaderboard.csv} in sslbench's own formats (same config ids and
 * config hashes as ours, so {@code make compare A=<results> B=<results>/peer} pairs the seeds).
 *
 * <p>Exchange with the peer: {@link #config} is the JSON the peer reads
 * ({@code <results>/peer/config.json}); the peer writes one JSON file per finished cell,
 * {@code <results>/peer/out/<config_hash>.json}, in the format its module doc describes, which
 * {@link #importOutputs} turns into cells.csv rows. Rows record the peer script's SHA-256 as
 * their method, backbone and dataset source, so a changed script recomputes them and an
 * unchanged one resumes after the last finished cell.
 */
final class PeerRepro {
    /** Subdirectory of the results directory that holds the peer's side. */
    static final String PEER_DIR = "peer";
    /** Subdirectory of {@link #PEER_DIR} the peer writes its per-cell JSON files into. */
    static final String OUT_DIR = "out";
    static final String CONFIG_FILE = "config.json";
    /** Version of the config and output JSON layout, checked on both sides. */
    static final int FORMAT = 1;
    static final String DEFAULT_SCRIPT = "bench/peers/rotation_cifar10.py";
    static final String PEER_DEVICE = "cpu (pytorch peer)";

    static final String DATASET = "cifar10";
    static final String BACKBONE = "resnet20";
    static final String PROTOCOL = "finetune";
    static final List<String> METHODS = List.of("supervised", "rotation");
    static final List<String> NORMALIZE = List.of("pixel_mean", "none");
    static final Set<String> AUGMENTATIONS = Set.of("shift", "hflip");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private PeerRepro() {
    }

    /** A spec the peer cannot run, or results it cannot be compared with: exit 2 with this message. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * One fine-tune cell to run on the peer, with our completed row of it and its label subset.
     *
     * @param subsetFile {@code <results>/subsets/cifar10-seed<S>-n<N>.txt}, the train indices our cell used
     */
    record PlannedCell(Cell cell, CellResult ours, Path subsetFile) {
        PretextGroup group() {
            return cell.group();
        }
    }

    /**
     * What the peer runs.
     *
     * @param results   our results directory (cells.csv, subsets/)
     * @param dataDir   the directory that holds {@code data_batch_1.bin} .. {@code test_batch.bin}
     * @param trainSize images in the train split (the unlabeled pool before {@code unlabeled_limit})
     * @param skipped   notes on what of the spec the peer leaves out (other protocols)
     */
    record Plan(Spec spec, Path results, Path dataDir, int trainSize, int classes, List<PlannedCell> cells,
                List<String> skipped) {
        Path peerDir() {
            return results.resolve(PEER_DIR);
        }
    }

    /**
     * What of {@code spec} the peer does not implement, one message per field (empty: it can run
     * the spec's fine-tune cells). Protocols other than fine-tune are not refused but left out
     * ({@link Plan#skipped}), so the shipped rotation specs with their linear probe still run.
     */
    static List<String> refusals(Spec spec) {
        List<String> out = new ArrayList<>();
        String where = spec.file() + ": ";
        for (int i = 0; i < spec.datasets().size(); i++) {
            if (!DATASET.equals(spec.datasets().get(i).name())) {
                out.add(where + "datasets[" + i + "]: " + spec.datasets().get(i).name() + " is not implemented by the peer (only "
                        + DATASET + ")");
            }
        }
        for (String b : spec.backbones()) {
            if (!BACKBONE.equals(b)) {
                out.add(where + "backbone: " + b + " is not implemented by the peer (only " + BACKBONE + ")");
            }
        }
        for (int i = 0; i < spec.methods().size(); i++) {
            MethodSpec m = spec.methods().get(i);
            if (!METHODS.contains(m.name())) {
                out.add(where + "methods[" + i + "]: " + m.name() + " is not implemented by the peer (only " + METHODS + ")");
            } else if (m.pretext() != null) {
                out.addAll(augmentRefusals(where + "methods[" + i + "] (" + m.name() + ") pretext", m.pretext()));
                out.addAll(optimizerRefusals(where + "methods[" + i + "] (" + m.name() + ") pretext", m.pretext()));
            }
        }
        if (!spec.protocols().containsKey(PROTOCOL)) {
            out.add(where + "protocols: " + spec.protocols().keySet() + " has no " + PROTOCOL
                    + "; the peer implements only " + PROTOCOL);
        } else {
            out.addAll(augmentRefusals(where + "protocols.finetune", spec.protocols().get(PROTOCOL).train()));
            out.addAll(optimizerRefusals(where + "protocols.finetune", spec.protocols().get(PROTOCOL).train()));
            if (spec.protocols().get(PROTOCOL).selectsOnLabels()) {
                // The peer trains the fixed epochs; a selected epoch count would compare two protocols.
                out.add(where + "protocols.finetune.selection: labelled (the epoch count chosen on a held-out part of"
                        + " the labelled subset) is not implemented by the peer (fixed epochs only); set selection: fixed"
                        + " (top level or in protocols.finetune)");
            }
        }
        if (spec.labels().folds()) {
            out.add(where + "labels.folds: predefined folds are not implemented by the peer (stratified subsets only)");
        }
        if (!NORMALIZE.contains(spec.preprocess().normalize())) {
            out.add(where + "preprocess.normalize: " + spec.preprocess().normalize() + " is not implemented by the peer (only "
                    + NORMALIZE + ")");
        }
        return out;
    }

    /**
     * The peer's optimizer is Adam / SGD with coupled decay on kernels only
     * (bench/peers/rotation_cifar10.py Optimizer): LARS and AdamW are refused.
     */
    private static List<String> optimizerRefusals(String block, TrainSpec train) {
        List<String> out = new ArrayList<>();
        String name = train.optimizer().name();
        if (!name.equals("adam") && !name.equals("sgd")) {
            out.add(block + ".optimizer.name: " + name + " is not implemented by the peer (only adam, sgd)");
        }
        if (!train.optimizer().excludesBiasBn()) {
            out.add(block + ".optimizer.exclude_bias_bn: false (weight decay on biases and BatchNorm) is not implemented"
                    + " by the peer (it decays kernels only); remove it");
        }
        return out;
    }

    private static List<String> augmentRefusals(String block, TrainSpec train) {
        List<String> out = new ArrayList<>();
        if (!train.augmentViews().isEmpty()) {
            out.add(block + ".augment_views: per-view pipelines are not implemented by the peer");
        }
        train.augment().forEach((k, v) -> {
            boolean on = v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
            if (on && !AUGMENTATIONS.contains(k)) {
                out.add(block + ".augment." + k + ": " + v + " is not implemented by the peer (only " + new TreeSet<>(AUGMENTATIONS)
                        + "; set it to 0 or false)");
            }
        });
        return out;
    }

    /**
     * The peer's work for {@code spec}: every fine-tune cell of the matrix, each with our completed
     * row and the subset file bench wrote.
     *
     * @throws Refused       when the peer does not implement part of the spec, or our results
     *                       directory lacks completed cells or subset files (run {@code make bench} first)
     * @throws DataException when the CIFAR-10 files cannot be found or read
     */
    static Plan plan(Spec spec, Registries registries) throws Refused, DataException, SpecException, IOException {
        List<String> refused = refusals(spec);
        if (!refused.isEmpty()) {
            // A preset supplies settings the spec never wrote: say so, or "remove it" points at nothing.
            List<String> preset = spec.presets().entrySet().stream()
                    .filter(e -> !e.getValue().equals(org.sslbench.spec.Presets.NONE))
                    .map(e -> e.getKey() + " took its '" + e.getValue() + "' preset").toList();
            throw new Refused("repro-peer: the PyTorch peer (" + DEFAULT_SCRIPT + ") cannot run this spec:\n  "
                    + String.join("\n  ", refused) + (preset.isEmpty() ? "" : "\n  (" + String.join(", ", preset)
                    + ", which sets what the spec does not write; add `preset: none` to run the recipe the spec writes out)"));
        }
        Path results = BenchRunner.outputDir(spec);
        String benchHint = "run `" + benchCommand(spec, results) + "` first (it resumes where it stopped), then make repro-peer again: the peer is compared with our"
                + " cells and uses our label subsets";
        if (!Files.isRegularFile(results.resolve(CellsCsv.FILE_NAME))) {
            throw new Refused("repro-peer: no results of ours in " + results + " (no " + CellsCsv.FILE_NAME + "); " + benchHint);
        }
        DatasetInfo info = registries.datasetRegistry().get(DATASET).describe(spec.dataDir());
        Path dataDir = Files.isRegularFile(spec.dataDir().resolve("data_batch_1.bin")) ? spec.dataDir()
                : spec.dataDir().resolve("cifar-10-batches-bin");
        List<PretextGroup> groups = Matrix.expand(spec, SpecValidator.labelCounts(spec, registries),
                SpecValidator.foldSizes(spec, registries));
        CellsCsv ours = CellsCsv.open(results);
        List<PlannedCell> cells = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int total = 0;
        for (PretextGroup g : groups) {
            for (Cell c : g.cells()) {
                if (!PROTOCOL.equals(c.protocol().name())) {
                    continue;
                }
                total++;
                Path subset = results.resolve("subsets").resolve(g.dataset().name() + "-seed" + g.seed() + "-n" + c.nLabels() + ".txt");
                String what = g.method().name() + " seed " + g.seed() + " n=" + c.nLabels() + " (" + c.cellHash() + ")";
                CellResult row = ours.get(c.cellHash()).filter(r -> r.status().isCompleted()).orElse(null);
                if (row == null) {
                    missing.add(what + ": no completed row in " + results.resolve(CellsCsv.FILE_NAME));
                } else if (!Files.isRegularFile(subset)) {
                    missing.add(what + ": no " + subset);
                } else if (!LabelSubsets.fingerprint(LabelSubsets.read(subset)).equals(row.labelSubset())) {
                    missing.add(what + ": " + subset + " is not the subset the cell used (label_subset " + row.labelSubset()
                            + "); it was overwritten by another run");
                } else {
                    cells.add(new PlannedCell(c, row, subset));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new Refused("repro-peer: " + missing.size() + " of the spec's " + total + " fine-tune cells are not ready in "
                    + results + ":\n  " + missing.stream().limit(10).collect(Collectors.joining("\n  "))
                    + (missing.size() > 10 ? "\n  ... and " + (missing.size() - 10) + " more" : "") + "\n" + benchHint);
        }
        List<String> skipped = spec.protocols().keySet().stream().filter(p -> !PROTOCOL.equals(p))
                .map(p -> p + ": not run by the peer (it implements " + PROTOCOL + " only)").toList();
        return new Plan(spec, results, dataDir, info.trainSize(), info.classes(), cells, skipped);
    }

    /**
     * The {@code make bench} that writes the results repro-peer reads: SPEC, and DATA, OUT and PLUGINS
     * when they are not the defaults (without OUT= a bench would write to results/&lt;name&gt; and the
     * retried repro-peer would still find nothing in {@code results}). Values shell-quoted.
     */
    static String benchCommand(Spec spec, Path results) {
        StringBuilder cmd = new StringBuilder("make bench SPEC=").append(Shell.quote(spec.file()));
        if (spec.dataDir() != null) {
            cmd.append(" DATA=").append(Shell.quote(spec.dataDir()));
        }
        if (!results.equals(Path.of("results", spec.name()))) {
            cmd.append(" OUT=").append(Shell.quote(results));
        }
        if (spec.pluginsDir() != null) {
            cmd.append(" PLUGINS=").append(Shell.quote(spec.pluginsDir()));
        }
        return cmd.toString();
    }

    /**
     * BatchNorm moving-average momentum of a training block, Keras/TF convention (new = m·old +
     * (1 − m)·batch; PyTorch's momentum is 1 − m): the block's {@code bn_momentum}, else the default
     * {@link TrainSpec#DEFAULT_BN_MOMENTUM}.
     */
    static double bnMomentum(TrainSpec train) {
        return train.bnMomentumValue();
    }

    /**
     * The JSON config of the peer for {@code pending} (cells grouped by pretext run, in plan order).
     *
     * @param poolFile  train indices of the pretext pool ({@code unlabeled_limit}); null = all train images
     * @param threads   torch intra-op threads; 0 = all cores
     */
    static Map<String, Object> config(Plan plan, List<PlannedCell> pending, Path poolFile, int threads) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("data_dir", plan.dataDir().toAbsolutePath().toString());
        root.put("dataset", DATASET);
        root.put("backbone", BACKBONE);
        root.put("normalize", plan.spec().preprocess().normalize());
        root.put("classes", plan.classes());
        root.put("threads", threads);
        root.put("out_dir", plan.peerDir().toAbsolutePath().toString());
        root.put("pool_file", poolFile == null ? null : poolFile.toAbsolutePath().toString());
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (PlannedCell pc : pending) {
            PretextGroup g = pc.group();
            Map<String, Object> group = groups.computeIfAbsent(g.pretextHash(), h -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pretext_hash", h);
                m.put("method", g.method().name());
                m.put("params", new LinkedHashMap<>(g.method().params()));
                m.put("seed", g.seed());
                m.put("pretext", g.pretrains() ? train(g.method().pretext(), null) : null);
                m.put("cells", new ArrayList<Map<String, Object>>());
                return m;
            });
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("cell_hash", pc.cell().cellHash());
            cell.put("n_labels", pc.cell().nLabels());
            cell.put("subset_file", pc.subsetFile().toAbsolutePath().toString());
            ProtocolSpec p = pc.cell().protocol();
            cell.put("finetune", train(p.train(), p.evalEvery()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) group.get("cells");
            list.add(cell);
        }
        root.put("groups", new ArrayList<>(groups.values()));
        return root;
    }

    private static Map<String, Object> train(TrainSpec t, Integer evalEvery) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", t.epochs());
        m.put("batch_size", t.batchSize());
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", t.optimizer().name());
        opt.put("lr", t.optimizer().lr());
        opt.put("momentum", t.optimizer().momentum());
        opt.put("weight_decay", t.optimizer().weightDecay());
        opt.put("nesterov", t.optimizer().nesterov());
        m.put("optimizer", opt);
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("name", t.schedule().name());
        schedule.put("warmup_epochs", t.schedule().warmupEpochs());
        schedule.put("milestones", t.schedule().milestones() == null ? List.of() : t.schedule().milestones());
        schedule.put("factors", t.schedule().factors() == null ? List.of() : t.schedule().factors());
        m.put("schedule", schedule);
        Map<String, Object> augment = new LinkedHashMap<>();
        t.augment().forEach((k, v) -> {
            if (AUGMENTATIONS.contains(k)) {
                augment.put(k, v);
            }
        });
        m.put("augment", augment);
        m.put("bn_momentum", bnMomentum(t));
        if (evalEvery != null) {
            m.put("eval_every", evalEvery);
        }
        return m;
    }

    /** Writes {@code value} as pretty JSON, atomically. */
    static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
    }

    /**
     * The pretext pool file for the plan's pretraining groups: {@code peer/pool-cifar10-<limit>.txt}
     * with {@link UnlabeledPool#indices} (ascending train indices), or null when the whole train
     * split is the pool or nothing pretrains.
     */
    static Path writePool(Plan plan) throws IOException {
        DatasetRef ref = plan.spec().datasets().get(0);
        int limit = ref.unlabeledLimit();
        boolean pretrains = plan.cells().stream().anyMatch(c -> c.group().pretrains());
        if (!pretrains || limit == 0 || limit >= plan.trainSize()) {
            return null;
        }
        Path file = plan.peerDir().resolve("pool-" + DATASET + "-" + limit + ".txt");
        StringBuilder sb = new StringBuilder();
        for (int i : UnlabeledPool.indices(plan.trainSize(), limit)) {
            sb.append(i).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
        return file;
    }

    /** SHA-256 (hex) of the peer script: the source hash of its rows, so a changed script recomputes. */
    static String sha256(Path script) throws IOException {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(script));
            StringBuilder sb = new StringBuilder();
            for (byte b : digest) {
                sb.append(String.format(Locale.ROOT, "%02x", b));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code peerCells} holds a completed row of {@code c} computed by the script of hash {@code sha}. */
    static boolean done(CellsCsv peerCells, PlannedCell c, String sha) {
        return peerCells.get(c.cell().cellHash()).filter(r -> r.status().isCompleted() && sha.equals(r.methodSourceHash()))
                .isPresent();
    }

    /**
     * Turns the peer's per-cell outputs of {@code plan} into rows of {@code peerCells} (appended, or
     * replacing a row of another script version), skipping cells already imported and outputs of
     * another script version (hash differs from {@code sha}).
     *
     * @param script the peer script as given, recorded as the rows' source
     * @return notes on outputs that were left out, for the user
     * @throws IOException when an output file cannot be read or cells.csv cannot be written
     */
    static List<String> importOutputs(Plan plan, CellsCsv peerCells, Path script, String sha) throws IOException {
        List<String> notes = new ArrayList<>();
        Path out = plan.peerDir().resolve(OUT_DIR);
        for (PlannedCell c : plan.cells()) {
            Path file = out.resolve(c.cell().cellHash() + ".json");
            if (!Files.isRegularFile(file) || done(peerCells, c, sha)) {
                continue;
            }
            JsonObject o;
            try {
                JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
                o = e.getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                notes.add(file + ": not a JSON object (" + e.getMessage() + "); left out, the cell reruns");
                continue;
            }
            if (num(o, "format") != FORMAT || !c.cell().cellHash().equals(str(o, "cell_hash"))) {
                notes.add(file + ": format " + str(o, "format") + " / cell_hash " + str(o, "cell_hash") + " do not match"
                        + " (format " + FORMAT + ", " + c.cell().cellHash() + "); left out, the cell reruns");
                continue;
            }
            if (!sha.equals(str(o, "peer_sha256"))) {
                notes.add(file + ": written by another version of the peer script; left out, the cell reruns");
                continue;
            }
            CellResult row = row(plan.spec(), c, o, script.toString(), sha);
            if (peerCells.containsCompleted(row.configHash())) {
                peerCells.replace(row);
            } else {
                peerCells.append(row);
            }
        }
        return notes;
    }

    /** One peer output as a cells.csv row: ours's identity (config id, hash, subset) with the peer's values. */
    static CellResult row(Spec spec, PlannedCell c, JsonObject o, String script, String sha) {
        CellResult ours = c.ours();
        Status status = Status.parse(str(o, "status"));
        int threads = o.has("threads") && !o.get("threads").isJsonNull() ? o.get("threads").getAsInt() : 0;
        String torch = str(o, "torch_version");
        Provenance p = Provenance.capture(PEER_DEVICE, threads, () -> "torch " + torch).now();
        return new CellResult(spec.name(), ours.method(), ours.dataset(), ours.backbone(), ours.protocol(), ours.nLabels(),
                ours.seed(), (int) num(o, "pretext_epochs"), (int) num(o, "downstream_epochs"), num(o, "test_accuracy"),
                num(o, "max_test_accuracy"), num(o, "test_loss"), num(o, "pretext_loss"), Double.NaN, num(o, "seconds"),
                num(o, "pretext_seconds"), num(o, "images_per_second"), status, str(o, "detail"), ours.methodParams(),
                ours.labelSubset(), ours.subsetKind(), ours.fold(), ours.configId(), ours.configHash(), ours.pretextHash(),
                script, sha, script, sha, script, sha, "", p);
    }

    /** A number of the output, NaN when absent or null (not measured). */
    private static double num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }

    /** Writes {@code peer/leaderboard.csv} from {@code peerCells}; the plan's configurations are current. */
    static void writeLeaderboard(Plan plan, CellsCsv peerCells) throws IOException {
        Set<String> current = plan.cells().stream().map(c -> c.cell().configId()).collect(Collectors.toSet());
        Leaderboard.aggregate(peerCells.rows(), current).write(plan.peerDir().resolve(Leaderboard.FILE_NAME));
    }

    /**
     * Ours vs peer per label count × method, for the final test accuracy and the max over epochs:
     * mean ± sample std in points over the seeds, Δ = ours − peer and {@link NoiseTest}'s verdict
     * (paired over the seeds both sides have); then each side's gain of rotation over supervised.
     * Only ok rows of the plan's cells count.
     */
    static String comparison(Plan plan, CellsCsv peerCells, String sha) {
        StringBuilder sb = new StringBuilder();
        Map<String, List<PlannedCell>> byKey = new LinkedHashMap<>();
        plan.cells().stream().sorted(Comparator.comparingInt((PlannedCell c) -> c.cell().nLabels())
                        .thenComparing(c -> METHODS.indexOf(c.group().method().name())).thenComparingInt(c -> c.group().seed()))
                .forEach(c -> byKey.computeIfAbsent(c.cell().nLabels() + " " + c.group().method().name(), k -> new ArrayList<>()).add(c));
        sb.append(String.format(Locale.ROOT, "%s %s %s, test accuracy %% (mean ± std over seeds), ours = sslbench, peer = PyTorch%n",
                DATASET, BACKBONE, PROTOCOL));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("n_labels", "method", "metric", "ours", "peer", "ours-peer", "verdict"));
        Map<String, Map<String, Sample[]>> samples = new LinkedHashMap<>();
        byKey.forEach((key, cells) -> {
            String[] parts = key.split(" ");
            for (boolean max : new boolean[] {false, true}) {
                Sample ours = sample(cells, c -> c.ours().status() == Status.OK ? value(c.ours(), max) : Double.NaN);
                Sample peer = sample(cells, c -> peerCells.get(c.cell().cellHash())
                        .filter(r -> r.status() == Status.OK && sha.equals(r.methodSourceHash()))
                        .map(r -> value(r, max)).orElse(Double.NaN));
                samples.computeIfAbsent(parts[0] + (max ? " max" : " final"), k -> new LinkedHashMap<>())
                        .put(parts[1], new Sample[] {ours, peer});
                NoiseTest.Judgement j = NoiseTest.judge(ours, peer);
                rows.add(List.of(parts[0], parts[1], max ? "max over epochs" : "final", points(ours), points(peer),
                        delta(j, ours, peer),
                        j.verdict().label() + (j.test().isEmpty() ? "" : " (" + j.test() + ")")));
            }
        });
        sb.append(aligned(rows));
        if (samples.values().stream().anyMatch(m -> m.containsKey("rotation") && m.containsKey("supervised"))) {
            sb.append(String.format(Locale.ROOT, "%nSSL gain, rotation - supervised (points; verdict paired over seeds)%n"));
            List<List<String>> gain = new ArrayList<>();
            gain.add(List.of("n_labels", "metric", "ours", "verdict", "peer", "verdict"));
            samples.forEach((key, m) -> {
                if (m.containsKey("rotation") && m.containsKey("supervised")) {
                    String[] parts = key.split(" ");
                    List<String> row = new ArrayList<>(List.of(parts[0], "max".equals(parts[1]) ? "max over epochs" : "final"));
                    for (int side = 0; side < 2; side++) {
                        NoiseTest.Judgement j = NoiseTest.judge(m.get("rotation")[side], m.get("supervised")[side]);
                        row.add(delta(j, m.get("rotation")[side], m.get("supervised")[side]));
                        row.add(j.verdict().label());
                    }
                    gain.add(row);
                }
            });
            sb.append(aligned(gain));
        }
        return sb.toString();
    }

    /**
     * Δ in signed points; a paired Δ over fewer seeds than a side has says so ({@code +1.20 (paired
     * over 2 common seeds)}), as the means beside it are over all of each side's seeds.
     */
    private static String delta(NoiseTest.Judgement j, Sample a, Sample b) {
        if (Double.isNaN(j.delta())) {
            return "";
        }
        String over = NoiseTest.pairedOver(j, a, b);
        return String.format(Locale.ROOT, "%+.2f", 100 * j.delta()) + (over.isEmpty() ? "" : " (" + over + ")");
    }

    private static double value(CellResult r, boolean max) {
        return max ? r.maxTestAccuracy() : r.testAccuracy();
    }

    private static Sample sample(List<PlannedCell> cells, java.util.function.ToDoubleFunction<PlannedCell> value) {
        return Sample.ofSeeds(cells.stream().map(c -> c.group().seed()).toList(),
                cells.stream().map(c -> value.applyAsDouble(c)).toList());
    }

    private static String points(Sample s) {
        if (!s.hasValue()) {
            return "-";
        }
        return s.n() < 2 ? String.format(Locale.ROOT, "%.2f (1 seed)", 100 * s.mean())
                : String.format(Locale.ROOT, "%.2f ± %.2f (%d)", 100 * s.mean(), 100 * s.std(), s.n());
    }

    /** {@link TextTable#aligned} indented by two spaces, as the rest of the printout. */
    private static String aligned(List<List<String>> rows) {
        return TextTable.aligned(rows).lines().map(l -> "  " + l + "\n").collect(java.util.stream.Collectors.joining());
    }

    /** What each side uses, for the printout: the settings that could make two faithful sides differ. */
    static String sides(Plan plan, String torchVersion, String sha) {
        String pm = plan.spec().methods().stream().filter(m -> m.pretext() != null)
                .map(m -> String.valueOf(bnMomentum(m.pretext()))).distinct().collect(java.util.stream.Collectors.joining("/"));
        double fm = bnMomentum(plan.spec().protocols().get(PROTOCOL).train());
        String bn = String.format(Locale.ROOT, "pretext %s, fine-tune %s (Keras/TF convention m; PyTorch's momentum is 1 − m)",
                pm.isEmpty() ? "-" : pm, fm);
        return "ours: sslbench (TensorFlow Java, graph mode); peer: " + DEFAULT_SCRIPT.replaceAll(".*/", "") + " sha256 "
                + sha.substring(0, 12) + (torchVersion.isEmpty() ? "" : ", torch " + torchVersion) + "\n"
                + "both: Keras resnet_v1 depth 20 with TF 'SAME' padding; BN eps 1e-3, moving-average momentum " + bn + ";\n"
                + "  He-normal conv kernels (not truncated), Glorot-uniform heads, zero biases; Adam eps 1e-7 added to sqrt(v)\n"
                + "  before bias correction (Keras form); coupled L2 on kernels; learning rate per step; shift (edges repeated)\n"
                + "  + hflip on [0,1] pixels, then minus the per-pixel train mean; the same label subsets (" + plan.results()
                .resolve("subsets") + ")\n"
                + "  and pretext pool; test scored in eval mode (moving BN statistics) after the last epoch and every eval_every.\n"
                + "differs: random streams (initial weights, shuffles, augmentation, rotations): same distributions, other draws.\n";
    }
}
