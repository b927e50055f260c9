package org.sslbench.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.sslbench.method.Param;
import org.sslbench.method.Params;

/**
 * Turns a checked-safe node tree into a {@link Spec}, validating every value where it is read so
 * the error can name its line. Checks that need the data on disk are in {@link SpecValidator}.
 */
final class SpecReader {
    static final List<String> TOP_KEYS = List.of("name", "description", "datasets", "backbone", "backbones",
            "methods", "labels", "seeds", "pretext", "protocols", "selection", "preprocess", "output", "plugins", "data",
            "preset", TrainSpecReader.PRECISION);
    static final Set<String> NORMALIZE = Set.of("none", "pixel_mean", "standardize");
    /** Becomes a directory name under results/, so no slashes, spaces or upper case. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+");

    private final Catalog catalog;
    private final TrainSpecReader trains;

    SpecReader(Catalog catalog) {
        this.catalog = catalog;
        this.trains = new TrainSpecReader(catalog.augmentations(), this::pretextDataset);
    }

    /** Which preset each method takes; set once the datasets are read. */
    private PresetChoice presetChoice;

    /**
     * Which preset each pretraining method takes (README "Method presets"): its own {@code preset},
     * else the spec's top-level {@code preset}, else the one for the scale of the evaluation
     * datasets' images ({@link Presets#forShape}); {@code none}, a plugin without presets, or a
     * scale the plugin has no preset for = the harness defaults and the plugin's param defaults.
     */
    private final class PresetChoice {
        private final YNode top;
        private final TreeSet<String> scales = new TreeSet<>();
        private final List<String> shapes = new ArrayList<>();
        private boolean unreadable;
        private boolean topUsed;
        /** Method name → the preset it took, {@link Presets#NONE} for none, in spec order. */
        private final Map<String, String> chosen = new LinkedHashMap<>();

        PresetChoice(YNode top, List<DatasetRef> datasets, Path dataDir) throws SpecException {
            this.top = top;
            if (top != null) {
                top.string(); // a map or list here is refused at its line
            }
            for (DatasetRef d : datasets) {
                try {
                    org.sslbench.data.ImageShape shape = catalog.describe(d, dataDir).shape();
                    scales.add(Presets.forShape(shape));
                    shapes.add(d.name() + " (" + shape.height() + "x" + shape.width() + " px: " + Presets.forShape(shape) + ")");
                } catch (org.sslbench.data.DataException e) {
                    unreadable = true; // reported with its line by the label-count check
                }
            }
        }

        Presets.Preset choose(String method, YNode nameNode, YNode own) throws SpecException {
            if (!catalog.pretrains(method)) {
                if (own != null) {
                    throw own.error("method '" + method + "' has no pretext run, so no preset; remove preset");
                }
                return null;
            }
            YNode at = own != null ? own : top;
            String name = at == null ? null : at.string();
            PresetFile file = catalog.presets(method);
            if (Presets.NONE.equals(name)) {
                topUsed |= own == null;
                chosen.put(method, Presets.NONE);
                return null;
            }
            if (file == null) {
                if (name != null) {
                    throw at.error("method '" + method + "' ships no presets (its plugin has no presets.yaml), so preset '"
                            + name + "' cannot apply; " + (own != null ? "write preset: none or remove it"
                            : "give this method its own preset: none, e.g. {name: " + method + ", preset: none}"));
                }
                chosen.put(method, Presets.NONE);
                return null;
            }
            Map<String, Presets.Preset> presets = Presets.read(file, method, catalog.methods().get(method));
            if (name != null) {
                if (!presets.containsKey(name)) {
                    List<String> allowed = new ArrayList<>(presets.keySet());
                    allowed.add(Presets.NONE);
                    String nearest = Suggest.nearest(name, allowed);
                    throw at.error("method '" + method + "' has no preset '" + name + "'"
                            + (nearest == null ? ";" : "; did you mean '" + nearest + "'?") + " allowed: " + String.join(", ", allowed)
                            + (own == null ? " (or give this method its own preset: {name: " + method + ", preset: ...})" : "")
                            + "; make list shows each preset's values and sources");
                }
                topUsed |= own == null;
                chosen.put(method, name);
                return presets.get(name);
            }
            if (unreadable) {
                return null;
            }
            if (scales.size() > 1) {
                throw nameNode.error("the datasets " + String.join(", ", shapes) + " would take different presets of method '"
                        + method + "'; name one, e.g. {name: " + method + ", preset: " + scales.first() + "} (make list shows"
                        + " them), or put the datasets in separate specs");
            }
            Presets.Preset p = presets.get(scales.first());
            chosen.put(method, p == null ? Presets.NONE : p.name());
            return p;
        }

        /**
         * A top-level preset name that no method takes (every one names its own, or none pretrains)
         * changes nothing: refused. {@code none} asks for nothing, so it is accepted anywhere.
         */
        void topLevelActs() throws SpecException {
            if (top != null && !topUsed && !Presets.NONE.equals(top.string())) {
                throw top.error("preset has no effect: no method of this spec takes it (methods without a pretext run"
                        + " have no preset, and a method's own preset wins); remove it");
            }
        }

        Map<String, String> chosen() {
            return java.util.Collections.unmodifiableMap(chosen);
        }
    }

    /** The data directory relative pretext folder paths start at, set before the pretext blocks are read. */
    private Path pretextDataDir;
    /** Pretext datasets already read, by field path: the global block is read once per method. */
    private final Map<String, DatasetRef> pretextDatasets = new java.util.HashMap<>();
    /** Pool sizes of pretext-only image folders (scanned when read), by field path. */
    private final Map<String, Integer> pretextFolderPools = new java.util.HashMap<>();
    /** What validate and bench tell the user about how the spec was read (old param names mapped), in spec order. */
    private final List<String> readingNotes = new ArrayList<>();

    /**
     * The top-level {@code precision}: every block's that does not write its own; null when the
     * spec does not write it (each block then keeps its base's: fp32, or a preset's).
     */
    private org.sslbench.engine.Precision topPrecision;

    Spec read(YNode root, Overrides overrides) throws SpecException {
        YMap top = root.map(TOP_KEYS, "key");
        topPrecision = top.has(TrainSpecReader.PRECISION)
                ? TrainSpecReader.precision(top.get(TrainSpecReader.PRECISION), null) : null;
        String name = name(top.require("name"));
        String description = top.string("description", "");
        List<YNode> datasetNodes = top.require("datasets").nonEmptyList();
        DirSetting dataDir = dir(top, "data", overrides.dataDir());
        List<DatasetRef> datasets = datasets(datasetNodes, dataDir.path());
        pretextDataDir = dataDir.path();
        List<String> backbones = backbones(top);
        // Read once for its errors even when no method pretrains; each method re-reads it over its own defaults.
        trains.read(top.get("pretext"), Defaults.PRETEXT, PRETEXT_EXTRA_KEYS);
        presetChoice = new PresetChoice(top.get("preset"), datasets, dataDir.path());
        List<MethodSpec> methods = methods(top.require("methods"), top.get("pretext"));
        presetChoice.topLevelActs();
        noPretextSettingsWithoutPretraining(top, datasetNodes, methods);
        List<YNode> labelNodes = new ArrayList<>();
        List<YNode> unevenNode = new ArrayList<>();
        LabelSpec labels = labels(top.require("labels"), labelNodes, unevenNode);
        List<Integer> seeds = seeds(top.get("seeds"));
        Map<String, ProtocolSpec> protocols = protocols(top.require("protocols"), top.get(SELECTION));
        Preprocess preprocess = preprocess(top.get("preprocess"));

        DirSetting outputDir = dir(top, "output", overrides.outputDir());
        DirSetting pluginsDir = dir(top, "plugins", overrides.pluginsDir());
        SpecValidator.checkDirectory(pluginsDir.path(), pluginsDir.at());

        Spec spec = new Spec(root.file(), name, description, datasets, backbones, methods, labels, seeds,
                protocols, preprocess, outputDir.path(), pluginsDir.path(), dataDir.path(), presetChoice.chosen(),
                readingNotes);
        Map<String, int[]> counts = SpecValidator.labelCounts(spec, catalog, datasetNodes, labelNodes,
                unevenNode.isEmpty() ? top.at("labels").child("uneven", null) : unevenNode.get(0));
        cappedByLabelCount(spec, top.get("protocols"), largestLabelCount(spec, counts));
        finetuneBnMomentumNeedsBatchNorm(spec, top.get("protocols"));
        pretextDatasetsFit(spec, top, datasetNodes);
        folderPoolNeedsAPretextRun(spec, datasetNodes);
        globalPretextDatasetActs(spec, top);
        pretextBatchCappedByPool(spec, top);
        colourKeysNeedColour(spec, top);
        pixelsNeedAFrozenFeatureProtocol(spec, top);
        importedWeightsFit(spec, top);
        squareImagesWhereNeeded(spec, top, datasetNodes);
        return spec;
    }

    /**
     * A method whose features are the pixels ({@code pixels}) has only linear and knn cells (no
     * encoder to fine-tune): with neither protocol in the spec it would have no cells at all, so it
     * is refused at its line rather than silently dropped. With one of them its finetune cells are
     * simply not generated ({@link org.sslbench.matrix.Matrix#notes} says so in validate and bench).
     */
    private void pixelsNeedAFrozenFeatureProtocol(Spec spec, YMap top) throws SpecException {
        if (spec.protocols().values().stream().anyMatch(ProtocolSpec::frozenFeatures)) {
            return;
        }
        YNode methods = top.get("methods");
        for (int i = 0; i < spec.methods().size(); i++) {
            MethodSpec m = spec.methods().get(i);
            if (m.pixelFeatures()) {
                YNode item = methods.lookup(i);
                YNode at = item.isScalar() ? item : item.lookup("name");
                throw at.error("method '" + m.name() + "' has no cells: its features are the raw pixels, which only"
                        + " the linear and knn protocols score (there is no encoder to fine-tune), and this spec's"
                        + " protocols are " + String.join(", ", spec.protocols().keySet()) + "; add linear or knn"
                        + " to protocols, or remove " + m.name() + " from methods");
            }
        }
    }

    /**
     * A method that starts from weights a user brings (Method#weightsParam): those weights must fit
     * every backbone of the spec for every dataset's image shape, checked variable by variable
     * before anything trains; the refusal lists each missing, extra or mis-shaped variable.
     */
    private void importedWeightsFit(Spec spec, YMap top) throws SpecException {
        YNode methods = top.get("methods");
        for (int i = 0; i < spec.methods().size(); i++) {
            MethodSpec m = spec.methods().get(i);
            String param = catalog.weightsParam(m.name());
            if (param == null) {
                continue;
            }
            YNode at = methods.lookup(i, "params", param);
            Path weights = Path.of((String) m.params().get(param));
            for (String backbone : spec.backbones()) {
                for (DatasetRef d : spec.datasets()) {
                    org.sslbench.data.ImageShape shape;
                    try {
                        // By reference, not by name: an image folder is not in the dataset registry.
                        shape = catalog.describe(d, spec.dataDir()).shape();
                    } catch (org.sslbench.data.DataException e) {
                        // Never skipped silently: weights that were not checked fail only after other cells trained.
                        throw at.error("weights " + weights + " cannot be checked against dataset '" + d.name()
                                + "', which cannot be read: " + e.getMessage());
                    }
                    List<String> problems;
                    try {
                        problems = catalog.weightsMismatches(weights, backbone, shape);
                    } catch (java.io.IOException e) {
                        throw at.error("weights " + weights + " cannot be read: " + e.getMessage());
                    }
                    if (!problems.isEmpty()) {
                        throw at.error("weights " + weights + " do not fit backbone " + backbone + " on dataset "
                                + d.name() + " (images " + shape + "), variable by variable:\n  "
                                + String.join("\n  ", problems) + "\nuse weights of the same backbone and image shape"
                                + " (sslbench export of a " + backbone + " encoder trained on " + shape + " images)");
                    }
                }
            }
        }
    }

    /**
     * A method whose pretext needs square images (Method#squareImages, e.g. rotation) on a dataset
     * whose images are not square would fail its pretext run after other cells trained: refused
     * here, at the folder's {@code image_size} (or the dataset entry of a registered dataset).
     * Pretext datasets are resized to the evaluation dataset's shape, so that shape is the one checked.
     */
    private void squareImagesWhereNeeded(Spec spec, YMap top, List<YNode> datasetNodes) throws SpecException {
        List<String> square = new ArrayList<>();
        for (MethodSpec m : spec.methods()) {
            if (m.pretext() != null && catalog.squareImages(m.name())) {
                square.add(m.name());
            }
        }
        if (square.isEmpty()) {
            return;
        }
        for (int i = 0; i < spec.datasets().size(); i++) {
            DatasetRef d = spec.datasets().get(i);
            YNode item = datasetNodes.get(i);
            YNode sizeAt = item.lookup("folder", "image_size");
            YNode at = sizeAt != null ? sizeAt : item;
            org.sslbench.data.ImageShape shape;
            try {
                shape = catalog.describe(d, spec.dataDir()).shape();
            } catch (org.sslbench.data.DataException e) {
                throw at.error("dataset '" + d.name() + "' cannot be read: " + e.getMessage());
            }
            if (shape.height() == shape.width()) {
                continue;
            }
            String who = square.size() == 1 ? "method '" + square.get(0) + "' needs" : "methods " + String.join(", ", square)
                    + " need";
            int side = Math.max(shape.height(), shape.width());
            throw at.error((sizeAt != null ? "image_size [" + shape.height() + ", " + shape.width() + "] is not square"
                    : "dataset '" + d.name() + "' has " + shape.height() + "x" + shape.width() + " images, not square")
                    + ", and " + who + " square images (height = width, e.g. to turn them by 90 degrees);"
                    + (sizeAt != null ? " use a square image_size, e.g. image_size: " + side + " or [" + side + ", " + side + "],"
                    : "") + " or remove " + String.join(", ", square) + " from methods");
        }
    }

    /** Colour-only augmentation keys the spec wrote, refused when no dataset has colour (EffectChecks). */
    private void colourKeysNeedColour(Spec spec, YMap top) throws SpecException {
        List<String> names = new ArrayList<>();
        for (DatasetRef d : spec.datasets()) {
            try {
                if (catalog.describe(d, spec.dataDir()).shape().channels() >= 3) {
                    return;
                }
            } catch (org.sslbench.data.DataException e) {
                return; // already reported with its line by labelCounts
            }
            names.add(d.name());
        }
        List<YNode> blocks = new ArrayList<>();
        blocks.add(top.get("pretext"));
        YNode methods = top.get("methods");
        for (int i = 0; methods != null && methods.lookup(i) != null; i++) {
            blocks.add(methods.lookup(i, "pretext"));
        }
        YNode protocols = top.get("protocols");
        for (String p : spec.protocols().keySet()) {
            blocks.add(protocols == null ? null : protocols.lookup(p));
        }
        EffectChecks.colourOnGrayscale(blocks, names);
    }

    private static String name(YNode node) throws SpecException {
        String name = node.string();
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw node.error("'" + name + "' is not a valid name: use lower-case letters, digits, '.', '_' and '-'"
                    + " (it becomes the directory results/<name>/)");
        }
        return name;
    }

    private List<DatasetRef> datasets(List<YNode> items, Path dataDir) throws SpecException {
        List<DatasetRef> out = new ArrayList<>();
        Unique unique = new Unique("dataset");
        for (YNode item : items) {
            DatasetRef ref;
            if (item.isScalar()) {
                ref = new DatasetRef(known(item, catalog.datasets(), "dataset"), 0);
            } else {
                YMap m = item.map(List.of("name", "unlabeled_limit", "folder"), "key");
                int limit = m.integer("unlabeled_limit", 0, Range.NON_NEGATIVE);
                if (m.has("folder")) {
                    String own = ownDatasetName(m.require("name"));
                    ref = new DatasetRef(own, limit, Optional.of(FolderSpecReader.read(own, m.get("folder"), dataDir)));
                } else {
                    ref = new DatasetRef(known(m.require("name"), catalog.datasets(), "dataset"), limit);
                }
            }
            // By name: label counts are resolved per dataset name, and results are keyed by it.
            unique.add(ref.name(), item);
            out.add(ref);
        }
        return List.copyOf(out);
    }

    /** The name of a dataset declared with a folder block: a results-file name, not one already registered. */
    private String ownDatasetName(YNode node) throws SpecException {
        String name = name(node);
        if (catalog.datasets().contains(name)) {
            throw node.error("'" + name + "' is the name of a registered dataset; give your image folder another name"
                    + " (e.g. my-" + name + ")");
        }
        return name;
    }

    /**
     * With no method that pretrains (only the from-scratch baseline, or methods starting from
     * weights the user brings), the pretext block and the unlabeled pool would be read, hashed and
     * never used; unless a protocol reads the unlabeled pool (fixmatch), where unlabeled_limit acts.
     */
    private void noPretextSettingsWithoutPretraining(YMap top, List<YNode> datasetNodes, List<MethodSpec> methods)
            throws SpecException {
        if (methods.stream().anyMatch(m -> m.pretext() != null)) {
            return;
        }
        // Say what each does instead: not every method without a pretext run trains from scratch (pretrained).
        String why = " has no effect: no method of this spec has a pretext run (" + String.join(", ", methods.stream()
                .map(m -> m.name() + (catalog.weightsParam(m.name()) != null ? " starts from the weights it is given"
                        : m.pixelFeatures() ? " scores the raw pixels" : " trains from scratch")).toList()) + ")";
        if (top.has("pretext")) {
            throw top.get("pretext").error("this block" + why + "; remove it or add a pretraining method");
        }
        // fixmatch reads the unlabeled pool too (EvalRequest#unlabeled), so its cap acts there.
        YNode protocolsNode = top.get("protocols");
        boolean readsPool = protocolsNode != null && !protocolsNode.isNull() && !protocolsNode.isSeq() && !protocolsNode.isScalar() && protocolsNode.map(catalog.protocols(), "protocol")
                .entries().stream().anyMatch(e -> catalog.usesUnlabeled(e.key()));
        for (YNode item : datasetNodes) {
            YNode limit = item.lookup("unlabeled_limit");
            if (limit != null && limit.integer() > 0 && !readsPool) {
                throw limit.error("unlabeled_limit" + why + "; remove it or add a pretraining method");
            }
        }
    }

    /**
     * The protocols that train the encoder (finetune, supcon, fixmatch) train the backbone plus
     * heads without BatchNorm (Classifier, the SupCon projector): with no backbone of the spec
     * having BatchNorm, a written {@code bn_momentum} in their blocks changes the hash and nothing
     * else. (A pretext block's is not refused: a method's heads may have BatchNorm.)
     */
    private void finetuneBnMomentumNeedsBatchNorm(Spec spec, YNode protocols) throws SpecException {
        for (ProtocolSpec p : spec.protocols().values()) {
            YNode at = p.kind().trainsEncoder() ? protocols.lookup(p.name(), TrainSpecReader.BN_MOMENTUM) : null;
            if (at != null && spec.backbones().stream().noneMatch(catalog::batchNorm)) {
                throw at.error("bn_momentum has no effect here: " + p.name() + " trains the backbone and heads without"
                        + " BatchNorm, and no backbone of this spec (" + String.join(", ", spec.backbones()) + ") has"
                        + " BatchNorm; remove it, or use a backbone with BatchNorm (e.g. resnet20)");
            }
        }
    }

    /** The largest number of labelled images any cell of the spec trains on (label counts and folds). */
    private int largestLabelCount(Spec spec, Map<String, int[]> counts) throws SpecException {
        int max = 0;
        for (int[] c : counts.values()) {
            for (int n : c) {
                max = Math.max(max, n);
            }
        }
        if (spec.labels().folds()) {
            for (DatasetRef d : spec.datasets()) {
                try {
                    for (int n : catalog.foldSizes(d, spec.dataDir())) {
                        max = Math.max(max, n);
                    }
                } catch (org.sslbench.data.DataException e) {
                    throw new SpecException(spec.file(), 0, "datasets", "dataset '" + d.name() + "' cannot be read: "
                            + e.getMessage());
                }
            }
        }
        return max;
    }

    /**
     * kNN's k and a protocol's batch_size act only up to the number of labelled images (k = min(k, n),
     * batch = min(batch_size, n)): a value written above every cell's count changes hashes, not results.
     * Defaults are exempt: they are not the user's claim about this spec.
     */
    private static void cappedByLabelCount(Spec spec, YNode protocols, int largest) throws SpecException {
        String why = " is larger than every label count of this spec (at most " + largest + " labelled images per cell),"
                + " where it acts as that count, so the value written has no effect; use at most " + largest;
        YNode k = protocols.lookup("knn", "k");
        ProtocolSpec knn = spec.protocols().get("knn");
        if (k != null) {
            for (int candidate : knn.kChoices().orElse(List.of(knn.k()))) {
                if (candidate > largest) {
                    throw k.error("k " + candidate + why);
                }
            }
        }
        for (ProtocolSpec p : spec.protocols().values()) {
            YNode batch = protocols.lookup(p.name(), "batch_size");
            if (batch != null && p.train() != null && p.train().batchSize() > largest) {
                throw batch.error("batch_size " + p.train().batchSize() + why);
            }
        }
    }

    /**
     * The pretext loop draws batches of min(batch_size, pool) images (PretextTrainer), pool = the
     * dataset's unlabeled images or its unlabeled_limit (for a method with a pretext dataset: that
     * dataset's pool): a batch_size written above every such pool gives exactly the pool-sized result
     * under another hash. Blamed at the per-method block's
     * batch_size when it wrote one, else at the global pretext block's; defaults are exempt.
     */
    private void pretextBatchCappedByPool(Spec spec, YMap top) throws SpecException {
        int largest = 0;
        for (DatasetRef d : spec.datasets()) {
            int pool;
            try {
                pool = catalog.describe(d, spec.dataDir()).unlabeledSize();
            } catch (org.sslbench.data.DataException e) {
                return; // already reported with its line by labelCounts
            }
            largest = Math.max(largest, d.unlabeledLimit() > 0 ? Math.min(d.unlabeledLimit(), pool) : pool);
        }
        YNode global = top.get("pretext") == null ? null : top.get("pretext").lookup("batch_size");
        YNode methods = top.get("methods");
        int globalUsers = 0;
        boolean globalActs = false;
        int globalCap = 0;
        String globalWhose = "";
        for (int i = 0; i < spec.methods().size(); i++) {
            TrainSpec pretext = spec.methods().get(i).pretext();
            if (pretext == null) {
                continue;
            }
            // A method with a pretext dataset draws its batches from that pool, not the evaluation datasets'.
            int cap = largest;
            String whose = "the unlabeled pool of every dataset of this spec";
            if (pretext.dataset().isPresent()) {
                DatasetRef ref = pretext.dataset().get();
                int pool = pretextPoolSize(ref, pretextDatasetNode(top, i), spec.dataDir());
                cap = ref.unlabeledLimit() > 0 ? Math.min(ref.unlabeledLimit(), pool) : pool;
                whose = "the unlabeled pool of pretext dataset '" + ref.name() + "'";
            }
            YNode own = methods == null ? null : methods.lookup(i, "pretext", "batch_size");
            if (own == null) {
                // The global value is judged over every method that takes it (below): it has an
                // effect as long as it acts on one of their pools.
                globalUsers++;
                globalActs |= pretext.batchSize() <= cap;
                globalCap = Math.max(globalCap, cap);
                globalWhose = whose;
                continue;
            }
            if (pretext.batchSize() > cap) {
                throw own.error("batch_size " + pretext.batchSize() + " is larger than " + whose
                        + " (at most " + cap + " images, after unlabeled_limit), where it acts as the pool"
                        + " size, so the value written has no effect; use at most " + cap);
            }
        }
        if (global != null && globalUsers > 0 && !globalActs) {
            throw global.error("batch_size " + global.integer() + " is larger than " + (globalUsers == 1 ? globalWhose
                    : "the pretext pool of every method that takes it") + " (at most " + globalCap + " images, after"
                    + " unlabeled_limit), where it acts as the pool"
                    + " size, so the value written has no effect; use at most " + globalCap);
        }
    }

    private List<String> backbones(YMap top) throws SpecException {
        if (top.has("backbone") && top.has("backbones")) {
            throw top.get("backbones").error("give either backbone or backbones, not both");
        }
        if (top.has("backbone")) {
            return List.of(known(top.get("backbone"), catalog.backbones(), "backbone"));
        }
        if (!top.has("backbones")) {
            throw top.at("backbone").error("required key 'backbone' (or 'backbones') is missing");
        }
        List<String> out = new ArrayList<>();
        Unique unique = new Unique("backbone");
        for (YNode item : top.get("backbones").nonEmptyList()) {
            String backbone = known(item, catalog.backbones(), "backbone");
            unique.add(backbone, item);
            out.add(backbone);
        }
        return List.copyOf(out);
    }

    private static final List<String> PRETEXT_EXTRA_KEYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(TrainSpecReader.AUGMENT_VIEWS, TrainSpecReader.DATASET),
            TrainSpecReader.MONITOR_KEYS.stream()).toList();

    /**
     * A {@code pretext.dataset} value: a registered dataset's name, {@code {name, unlabeled_limit}}
     * for one with a pool cap, or {@code {name, folder: {unlabeled|train: dir}}} for an image folder
     * used only as a pretext pool (scanned here, so a bad folder is reported with this line).
     */
    private DatasetRef pretextDataset(YNode node) throws SpecException {
        DatasetRef seen = pretextDatasets.get(node.path());
        if (seen != null) {
            return seen;
        }
        DatasetRef ref;
        if (node.isScalar()) {
            ref = new DatasetRef(known(node, catalog.datasets(), "dataset"), 0);
        } else {
            YMap m = node.map(List.of("name", "unlabeled_limit", "folder"), "key");
            int limit = m.integer("unlabeled_limit", 0, Range.NON_NEGATIVE);
            if (m.has("folder")) {
                String own = ownDatasetName(m.require("name"));
                FolderSpecReader.Pool pool = FolderSpecReader.readPool(own, m.get("folder"), pretextDataDir);
                pretextFolderPools.put(node.path(), pool.size());
                ref = new DatasetRef(own, limit, Optional.of(pool.source()));
            } else {
                ref = new DatasetRef(known(m.require("name"), catalog.datasets(), "dataset"), limit);
            }
        }
        pretextDatasets.put(node.path(), ref);
        return ref;
    }

    /** Images in the pool of pretext dataset {@code ref} read at {@code node}, before its unlabeled_limit. */
    private int pretextPoolSize(DatasetRef ref, YNode node, Path dataDir) throws SpecException {
        if (ref.folder().isPresent()) {
            return pretextFolderPools.get(node.path());
        }
        try {
            return catalog.describe(ref, dataDir).unlabeledSize();
        } catch (org.sslbench.data.DataException e) {
            throw node.error("pretext dataset '" + ref.name() + "' cannot be read: " + e.getMessage());
        }
    }

    /** Where method {@code i}'s pretext dataset was written: its own block's, else the global block's. */
    private static YNode pretextDatasetNode(YMap top, int i) {
        YNode methods = top.get("methods");
        YNode own = methods == null ? null : methods.lookup(i, "pretext", TrainSpecReader.DATASET);
        return own != null ? own : top.get("pretext") == null ? null : top.get("pretext").lookup(TrainSpecReader.DATASET);
    }

    /**
     * Pretext datasets checked against the data before any work: readable (a registered dataset's
     * files present), not an evaluation dataset of this spec (that would be its own pool, another
     * hash for the same run), an unlabeled_limit within its pool and not the whole pool; and an
     * evaluation dataset's unlabeled_limit refused when no method pretrains on its own pool.
     */
    private void pretextDatasetsFit(Spec spec, YMap top, List<YNode> datasetNodes) throws SpecException {
        List<String> evaluated = spec.datasets().stream().map(DatasetRef::name).toList();
        boolean ownPoolUsed = false;
        for (int i = 0; i < spec.methods().size(); i++) {
            TrainSpec pretext = spec.methods().get(i).pretext();
            if (pretext == null) {
                continue;
            }
            if (pretext.dataset().isEmpty()) {
                ownPoolUsed = true;
                continue;
            }
            DatasetRef ref = pretext.dataset().get();
            YNode at = pretextDatasetNode(top, i);
            if (evaluated.contains(ref.name())) {
                throw at.error("pretext dataset '" + ref.name() + "' is an evaluation dataset of this spec: its own"
                        + " unlabeled pool is what the pretext uses without this key, so it has no effect there; remove it,"
                        + " or evaluate '" + ref.name() + "' in another spec");
            }
            int pool = pretextPoolSize(ref, at, spec.dataDir());
            YNode limitAt = at.lookup("unlabeled_limit") != null ? at.lookup("unlabeled_limit") : at;
            if (ref.unlabeledLimit() > pool) {
                throw limitAt.error("unlabeled_limit " + ref.unlabeledLimit() + " is larger than the " + pool
                        + " unlabeled images of pretext dataset '" + ref.name() + "'; use at most " + pool + " or 0 for all");
            }
            if (ref.unlabeledLimit() > 0 && ref.unlabeledLimit() == pool) {
                throw limitAt.error("unlabeled_limit " + pool + " is the whole unlabeled pool of pretext dataset '"
                        + ref.name() + "', so it has no effect; remove it (0, the default, means all) or use fewer");
            }
        }
        if (ownPoolUsed) {
            return;
        }
        // fixmatch reads the unlabeled pool too (EvalRequest#unlabeled), so its cap acts there.
        YNode protocolsNode = top.get("protocols");
        boolean readsPool = protocolsNode != null && !protocolsNode.isNull() && !protocolsNode.isSeq() && !protocolsNode.isScalar() && protocolsNode.map(catalog.protocols(), "protocol")
                .entries().stream().anyMatch(e -> catalog.usesUnlabeled(e.key()));
        for (YNode item : datasetNodes) {
            YNode limit = item.lookup("unlabeled_limit");
            if (limit != null && limit.integer() > 0 && !readsPool) {
                throw limit.error("unlabeled_limit has no effect: every method of this spec that pretrains takes its"
                        + " pool from its pretext dataset (pretext.dataset), not from this dataset; remove it, or set"
                        + " unlabeled_limit in the pretext dataset: dataset: {name: ..., unlabeled_limit: N}");
            }
        }
    }

    /**
     * The global {@code pretext.dataset} acts only on pretraining methods without their own: when
     * every one names its own, the global value is never read (not even checked for its files).
     */
    private static void globalPretextDatasetActs(Spec spec, YMap top) throws SpecException {
        YNode global = top.get("pretext") == null ? null : top.get("pretext").lookup(TrainSpecReader.DATASET);
        YNode methods = top.get("methods");
        if (global == null) {
            return;
        }
        for (int i = 0; i < spec.methods().size(); i++) {
            if (spec.methods().get(i).pretext() != null
                    && (methods == null || methods.lookup(i, "pretext", TrainSpecReader.DATASET) == null)) {
                return;
            }
        }
        throw global.error("dataset has no effect here: every pretraining method of this spec names its own"
                + " pretext.dataset; remove it");
    }

    /**
     * A folder's {@code unlabeled} images are read only by a method that pretrains on the dataset's
     * own pool: without one they would be scanned and decoded for nothing (and change no result).
     */
    private static void folderPoolNeedsAPretextRun(Spec spec, List<YNode> datasetNodes) throws SpecException {
        if (spec.methods().stream().anyMatch(m -> m.pretext() != null && m.pretext().dataset().isEmpty())) {
            return;
        }
        for (int i = 0; i < spec.datasets().size(); i++) {
            var folder = spec.datasets().get(i).folder();
            YNode at = datasetNodes.get(i).lookup("folder", "unlabeled");
            if (folder.isPresent() && folder.get().unlabeled() != null && at != null) {
                throw at.error("unlabeled has no effect: no method of this spec pretrains on this dataset's own pool ("
                        + String.join(", ", spec.methods().stream().map(MethodSpec::name).toList()) + "); remove it,"
                        + " or add a pretraining method without pretext.dataset");
            }
        }
    }

    private List<MethodSpec> methods(YNode node, YNode globalPretext) throws SpecException {
        List<MethodSpec> out = new ArrayList<>();
        Unique unique = new Unique("method");
        for (YNode item : node.nonEmptyList()) {
            MethodSpec method;
            if (item.isScalar()) {
                method = method(item, null, null, null, globalPretext);
            } else {
                YMap m = item.map(List.of("name", "preset", "params", "pretext"), "key");
                method = method(m.require("name"), m.get("preset"), m.get("params"), m.get("pretext"), globalPretext);
            }
            unique.add(method.name(), item);
            out.add(method);
        }
        return List.copyOf(out);
    }

    /**
     * A method, dataset or backbone name from the catalog. A name whose plugin was skipped at load
     * (an invalid declaration) is told so, with the jar and the reason, instead of "unknown".
     */
    private String known(YNode node, java.util.Collection<String> allowed, String kind) throws SpecException {
        String value = node.string();
        String why = allowed.contains(value) ? null : catalog.unavailable(kind, value);
        if (why != null) {
            throw node.error(kind + " '" + value + "' is unavailable: its plugin was skipped at load (" + why
                    + "); fix the plugin or remove its jar from the plugins directory, or drop '" + value + "' from the spec");
        }
        return node.oneOf(allowed, kind);
    }

    /** A method without a pretext run gets a null pretext: its results must not depend on those settings. */
    private MethodSpec method(YNode nameNode, YNode presetNode, YNode paramsNode, YNode pretextNode, YNode globalPretext)
            throws SpecException {
        String name = known(nameNode, catalog.methods().keySet(), "method");
        Presets.Preset preset = presetChoice.choose(name, nameNode, presetNode);
        Map<String, Object> params = params(name, preset == null ? null : preset.params(), paramsNode);
        if (catalog.weightsParam(name) != null) {
            params = withWeightsHash(name, catalog.weightsParam(name), params, paramsNode, nameNode);
        }
        if (!catalog.pretrains(name)) {
            if (pretextNode != null) {
                throw pretextNode.error("method '" + name + "' has no pretext run; remove this block");
            }
            return new MethodSpec(name, params, null,
                    catalog.pixelFeatures(name) ? Optional.of(MethodSpec.PIXELS) : Optional.empty());
        }
        // With the spec's params: a multi-crop method's view count and pipelines follow them (local_crops).
        int views = catalog.views(name, params);
        TrainSpec defaults = preset == null ? methodDefaults(catalog, name, params) : presetExtraViews(presetCounts(
                trains.read(preset.pretext(), PRESET_BASE, List.of(TrainSpecReader.AUGMENT_VIEWS)), preset.pretext(), name,
                params), preset, name, params, paramsNode != null ? paramsNode : nameNode);
        if (preset != null && !defaults.augmentViews().isEmpty() && defaults.viewsOfPipelines() != views) {
            throw preset.pretext().lookup(TrainSpecReader.AUGMENT_VIEWS).error("preset '" + preset.name() + "' has "
                    + pipelines(defaults) + " but method '" + name + "' takes " + views + " views"
                    + viewsFrom(name, params) + "; give one pipeline per view, or set count on a pipeline so the"
                    + " counts sum to " + views);
        }
        // Top level < global pretext block < the method's own pretext block.
        TrainSpec pretext = trains.read(pretextNode, trains.read(globalPretext, overTop(defaults), PRETEXT_EXTRA_KEYS),
                PRETEXT_EXTRA_KEYS);
        EffectChecks.check(pretext, java.util.Arrays.asList(pretextNode, globalPretext));
        if (!pretext.augmentViews().isEmpty() && pretext.viewsOfPipelines() != views) {
            YNode at = pretextNode != null ? pretextNode.lookup(TrainSpecReader.AUGMENT_VIEWS) : null;
            if (at == null && globalPretext != null) {
                at = globalPretext.lookup(TrainSpecReader.AUGMENT_VIEWS);
            }
            String where = at != null ? "" : " (the pipelines come from the augmentations() of method '" + name + "')";
            throw (at != null ? at : paramsNode != null ? paramsNode : nameNode).error("pretext.augment_views has "
                    + pipelines(pretext) + " but method '" + name + "' takes " + views + " views" + viewsFrom(name, params)
                    + where + "; give one pipeline per view, or set count on a pipeline so the counts sum to " + views
                    + " (e.g. 2 global pipelines and {crop: 0.05, crop_max: 0.4, size: 0.43, count: " + Math.max(1, views - 2)
                    + "} for the local crops)");
        }
        return new MethodSpec(name, params, pretext);
    }

    /**
     * A preset's {@code augment_views} entry that writes no {@code count} takes the count of the
     * method's own pipeline of the same index for these params (when the method has as many), so a
     * multi-crop preset follows the params: {@code local_crops: 2} makes its local pipeline serve 2
     * views. Counts of 1 (every method without multi-crop) change nothing.
     */
    private TrainSpec presetCounts(TrainSpec preset, YNode presetPretext, String method, Map<String, Object> params) {
        List<Map<String, Object>> own = catalog.defaultAugment(method, params);
        List<Map<String, Object>> views = preset.augmentViews();
        if (views.isEmpty() || own.size() != views.size()) {
            return preset;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < views.size(); i++) {
            Map<String, Object> v = views.get(i);
            int count = org.sslbench.train.Augmenter.count(own.get(i));
            if (count != 1 && presetPretext.lookup(TrainSpecReader.AUGMENT_VIEWS, i, "count") == null) {
                Map<String, Object> withCount = new LinkedHashMap<>(v);
                withCount.put("count", count);
                v = Collections.unmodifiableMap(withCount);
                changed = true;
            }
            out.add(v);
        }
        return changed ? new TrainSpec(preset.epochs(), preset.batchSize(), preset.optimizer(), preset.schedule(),
                preset.augment(), List.copyOf(out), preset.bnMomentum(), preset.dataset(), preset.monitor(), preset.precision()) : preset;
    }

    /**
     * When the spec's params give a method more views than its preset's own params (e.g.
     * {@code {name: dino, params: {local_crops: 6}}} under {@code small}, whose pipelines serve the 2
     * global crops), the preset's pipelines serve the views they were written for and the method's
     * own trailing pipelines for these params ({@link org.sslbench.method.Method#augmentations(
     * org.sslbench.method.Params)}) serve the extra ones: its local pipeline, sized and counted.
     * A preset's single {@code augment} map becomes the first entry, with {@code count} the preset's
     * view count. A reading note says so (validate and bench print it). Unchanged (so are the hashes)
     * when the params add no views, when the preset's pipelines do not make exactly its views, or
     * when the method has no separate pipelines whose counts sum to the extra views; the view-count
     * check then reports the mismatch.
     */
    private TrainSpec presetExtraViews(TrainSpec preset, Presets.Preset chosen, String method, Map<String, Object> params,
                                       YNode at) throws SpecException {
        int views = catalog.views(method, params);
        int presetViews = catalog.views(method, Presets.params(catalog, method, chosen.name()));
        boolean shared = preset.augmentViews().isEmpty();
        if (views <= presetViews || (!shared && preset.viewsOfPipelines() != presetViews)) {
            return preset;
        }
        List<Map<String, Object>> own = catalog.defaultAugment(method, params);
        int extra = views - presetViews;
        int from = own.size();
        int sum = 0;
        while (from > 0 && sum < extra) {
            from--;
            sum += org.sslbench.train.Augmenter.count(own.get(from));
        }
        if (sum != extra || from == 0) {
            return preset;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (shared) {
            Map<String, Object> all = new java.util.TreeMap<>(preset.augment());
            if (presetViews > 1) {
                all.put("count", presetViews);
            }
            out.add(Collections.unmodifiableMap(all));
        } else {
            out.addAll(preset.augmentViews());
        }
        List<Map<String, Object>> added = own.subList(from, own.size());
        for (Map<String, Object> m : added) {
            out.add(Collections.unmodifiableMap(new java.util.TreeMap<>(m)));
        }
        readingNotes.add(at.file() + " line " + at.line() + ": method '" + method + "' takes " + views
                + " views with these params, preset '" + chosen.name() + "' has pipelines for " + presetViews
                + ": views " + presetViews + "-" + (views - 1) + " take the method's own pipeline"
                + (added.size() == 1 ? " " : "s ") + added.stream().map(m -> "{" + new java.util.TreeMap<>(m).entrySet().stream()
                        .map(e -> e.getKey() + ": " + shown(e.getValue())).collect(java.util.stream.Collectors.joining(", "))
                        + "}").collect(java.util.stream.Collectors.joining(", "))
                + " after the preset's; set pretext.augment_views to choose every view's pipeline");
        return new TrainSpec(preset.epochs(), preset.batchSize(), preset.optimizer(), preset.schedule(),
                shared ? Map.of() : preset.augment(), List.copyOf(out), preset.bnMomentum(), preset.dataset(), preset.monitor(),
                preset.precision());
    }

    /** "3 pipelines making 4 views (counts 1 + 1 + 2)": the augment_views entries and the sum of their counts. */
    private static String pipelines(TrainSpec t) {
        List<String> counts = t.augmentViews().stream().map(p -> String.valueOf(org.sslbench.train.Augmenter.count(p))).toList();
        int n = counts.size();
        return n + " pipeline" + (n == 1 ? "" : "s") + " making " + t.viewsOfPipelines() + " view"
                + (t.viewsOfPipelines() == 1 ? "" : "s") + " (count" + (n == 1 ? " " : "s ") + String.join(" + ", counts)
                + ", count defaults to 1)";
    }

    /** " with params local_crops 6" when the view count differs from the method's default params', else "". */
    private String viewsFrom(String method, Map<String, Object> params) {
        int byDefault = catalog.views(method, defaultParams(catalog, method));
        return byDefault == catalog.views(method, params) ? "" : " with these params (" + byDefault + " with its default params)";
    }

    private static Map<String, Object> defaultParams(Catalog catalog, String method) {
        Map<String, Object> out = new TreeMap<>();
        catalog.methods().get(method).forEach(p -> out.put(p.name(), p.defaultValue()));
        return out;
    }

    /**
     * The pretext defaults with the method's own augmentation pipelines for its default params, when
     * it declares them: what {@code preset: none} gives (also what {@link Presets#viewPipelines} shows in list).
     */
    static TrainSpec methodDefaults(Catalog catalog, String method) {
        return methodDefaults(catalog, method, defaultParams(catalog, method));
    }

    /** The pretext defaults with the method's own augmentation pipelines (for these params), when it declares them. */
    static TrainSpec methodDefaults(Catalog catalog, String method, Map<String, Object> params) {
        List<Map<String, Object>> augment = catalog.defaultAugment(method, params);
        TrainSpec d = Defaults.PRETEXT;
        if (augment.isEmpty()) {
            return d;
        }
        return augment.size() == 1
                ? new TrainSpec(d.epochs(), d.batchSize(), d.optimizer(), d.schedule(), Map.copyOf(augment.get(0)))
                : new TrainSpec(d.epochs(), d.batchSize(), d.optimizer(), d.schedule(), Map.of(),
                        augment.stream().map(m -> (Map<String, Object>) new java.util.TreeMap<>(m)).toList());
    }

    /**
     * {@code params} plus {@code <param>_sha256}, the content hash of the weights file or directory
     * the param names: it enters every hash of the method's cells, so other weights (even under the
     * same path) give other rows, and the rows' params name both the path and its content.
     */
    private static Map<String, Object> withWeightsHash(String method, String param, Map<String, Object> params,
                                                       YNode paramsNode, YNode nameNode) throws SpecException {
        String value = String.valueOf(params.get(param));
        YNode at = paramsNode != null && paramsNode.lookup(param) != null ? paramsNode.lookup(param)
                : paramsNode != null ? paramsNode : nameNode;
        String how = "the path of an sslbench checkpoint (results/<spec>/pretext/<hash>.ckpt) or of a SavedModel directory"
                + " written by sslbench export, e.g. {name: " + method + ", params: {" + param + ": exported/my-encoder}}";
        if (value.isBlank()) {
            throw at.error("method '" + method + "' needs params." + param + ": " + how);
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw at.error(param + " '" + value + "' is not a valid path: " + e.getMessage());
        }
        if (!java.nio.file.Files.exists(path)) {
            throw at.error(param + " '" + value + "' does not exist (looked for " + path.toAbsolutePath().normalize()
                    + "; relative paths are resolved from the current directory); give " + how);
        }
        String sha;
        try {
            sha = org.sslbench.transfer.EncoderWeights.sha256(path);
        } catch (java.io.IOException e) {
            throw at.error(param + " '" + value + "' cannot be read: " + e);
        }
        Map<String, Object> out = new TreeMap<>(params);
        out.put(param + "_sha256", sha);
        return Collections.unmodifiableMap(out);
    }

    /**
     * What a preset's pretext block is read over: the harness defaults without their augmentation
     * (a preset names every view's pipeline itself, so the default shift and flip must not leak in).
     */
    static final TrainSpec PRESET_BASE = new TrainSpec(Defaults.PRETEXT.epochs(), Defaults.PRETEXT.batchSize(),
            Defaults.PRETEXT.optimizer(), Defaults.PRETEXT.schedule(), Map.of());

    /**
     * The method's defaults overlaid with its preset's params (when it has one) and then with the
     * spec's params, sorted by name for stable hashing.
     */
    private Map<String, Object> params(String method, YNode presetParams, YNode node) throws SpecException {
        Map<String, Object> base = params(method, presetParams);
        return node == null ? base : overlay(method, base, node);
    }

    /** The method's defaults overlaid with the spec's params, sorted by name for stable hashing. */
    private Map<String, Object> params(String method, YNode node) throws SpecException {
        Map<String, Object> out = new TreeMap<>();
        catalog.methods().get(method).forEach(p -> out.put(p.name(), p.defaultValue()));
        return node == null ? Collections.unmodifiableMap(out) : overlay(method, out, node);
    }

    /**
     * {@code base} with the params {@code node} sets, each checked against its declared type and range.
     * A renamed param's old key ({@link Param#renamedFrom}) sets the param(s) that took its name, with
     * a note naming the new key; so the params (and every hash) are those of the new spelling. Both
     * spellings in one block are refused, naming both lines.
     */
    private Map<String, Object> overlay(String method, Map<String, Object> base, YNode node) throws SpecException {
        List<Param> declared = catalog.methods().get(method);
        Map<String, Param> byName = new LinkedHashMap<>();
        declared.forEach(p -> byName.put(p.name(), p));
        Map<String, List<Param>> byOldName = new LinkedHashMap<>();
        declared.forEach(p -> p.formerNames().forEach(old -> byOldName.computeIfAbsent(old, k -> new ArrayList<>()).add(p)));
        Map<String, Object> out = new TreeMap<>(base);
        YMap written = node.map(byName.keySet(), byOldName.keySet(), method + " param");
        for (YMap.Entry e : written.entries()) {
            List<Param> targets = byName.containsKey(e.key()) ? List.of(byName.get(e.key())) : byOldName.get(e.key());
            for (Param param : targets) {
                if (!param.name().equals(e.key()) && written.has(param.name())) {
                    throw e.value().error(method + " param '" + e.key() + "' is the old name of '" + param.name()
                            + "', which line " + written.get(param.name()).line() + " also sets: keep only '"
                            + param.name() + "'");
                }
                Object value = e.value().ofType(param.defaultValue().getClass());
                // The method's declared range: a temperature of 0 fails here, not an hour into the run.
                String problem = param.problem(value);
                if (problem != null) {
                    throw e.value().error(method + " param '" + e.key() + "' " + problem + ", got " + shown(value)
                            + " (" + param.description() + "; default " + shown(param.defaultValue()) + ")");
                }
                out.put(param.name(), value);
            }
            if (!byName.containsKey(e.key())) {
                readingNotes.add(node.file() + " line " + e.value().line() + ": " + method + " param '" + e.key()
                        + "' is now " + targets.stream().map(p -> "'" + p.name() + "'").collect(java.util.stream.Collectors.joining(" and "))
                        + ", read as " + targets.stream().map(p -> p.name() + ": " + shown(out.get(p.name())))
                        .collect(java.util.stream.Collectors.joining(", "))
                        + " (same meaning, same cells as the new name; rename it to silence this note)");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String shown(Object value) {
        return value instanceof Number n && !(value instanceof Integer) ? Range.format(n.doubleValue())
                : value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    /** @param unevenNode receives where {@code uneven} was written, for checks that need the dataset */
    private static LabelSpec labels(YNode node, List<YNode> items, List<YNode> unevenNode) throws SpecException {
        LabelSpec.Kind kind = LabelSpec.Kind.COUNTS;
        YNode list = node;
        if (node.isScalar() || node.isNull()) {
            throw node.error("expected a list of label counts, {per_class: [...]} or {fractions: [...]}, got "
                    + node.describe());
        }
        boolean uneven = false;
        boolean folds = false;
        if (!node.isSeq()) {
            YMap m = node.map(List.of("counts", "per_class", "fractions", "uneven", "folds"), "key");
            folds = m.bool("folds", false);
            int given = (m.has("counts") ? 1 : 0) + (m.has("per_class") ? 1 : 0) + (m.has("fractions") ? 1 : 0);
            if (given == 0 && folds) {
                if (m.has("uneven")) {
                    throw m.get("uneven").error("uneven applies to label counts, and the predefined folds have their"
                            + " own; with folds only it has no effect: remove it");
                }
                return new LabelSpec(LabelSpec.Kind.COUNTS, List.of(), false, true);
            }
            if (given != 1) {
                throw node.error("give exactly one of counts, per_class or fractions (or a plain list of label counts)");
            }
            kind = m.has("counts") ? LabelSpec.Kind.COUNTS
                    : m.has("per_class") ? LabelSpec.Kind.PER_CLASS : LabelSpec.Kind.FRACTIONS;
            list = m.get(m.has("counts") ? "counts" : m.has("per_class") ? "per_class" : "fractions");
            uneven = m.bool("uneven", false);
            if (unevenNode != null && m.has("uneven")) {
                unevenNode.add(m.get("uneven"));
            }
        }
        List<Double> values = new ArrayList<>();
        Unique unique = new Unique("label value");
        for (YNode item : list.nonEmptyList()) {
            double v = kind == LabelSpec.Kind.FRACTIONS ? item.number(Range.FRACTION) : item.integer(Range.POSITIVE);
            unique.add(v, item);
            values.add(v);
            items.add(item);
        }
        return new LabelSpec(kind, List.copyOf(values), uneven, folds);
    }

    private static List<Integer> seeds(YNode node) throws SpecException {
        if (node == null) {
            return Defaults.SEEDS;
        }
        List<Integer> out = new ArrayList<>();
        Unique unique = new Unique("seed");
        for (YNode item : node.nonEmptyList()) {
            int seed = item.integer(Range.NON_NEGATIVE);
            unique.add(seed, item);
            out.add(seed);
        }
        return List.copyOf(out);
    }

    private Map<String, ProtocolSpec> protocols(YNode node, YNode topSelection) throws SpecException {
        YMap m = node.map(catalog.protocols(), "protocol");
        if (m.entries().isEmpty()) {
            throw node.error("name at least one protocol: " + String.join(", ", new TreeSet<>(catalog.protocols())));
        }
        String fallback = topSelection == null ? ProtocolSpec.LABELLED : topSelection.oneOf(SELECTIONS, SELECTION);
        Map<String, ProtocolSpec> out = new LinkedHashMap<>();
        for (YMap.Entry e : m.entries()) {
            // knn has no training block (its own keys k and temperature); every other protocol has one.
            ProtocolSpec p = e.key().equals(KNN) ? knn(e.value()) : trained(e.key(), e.value());
            out.put(e.key(), candidates(withSelection(p, e.value(), topSelection, fallback), e.value()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code selection}: top level (every protocol's default) and inside a protocol block (that protocol's). */
    static final String SELECTION = "selection";
    /** Allowed values of {@value #SELECTION}, the default first. */
    static final List<String> SELECTIONS = List.of(ProtocolSpec.LABELLED, ProtocolSpec.FIXED);

    /**
     * {@code p} with its {@value #SELECTION}: the block's own key, else the top-level one, else
     * {@code labelled}. Under {@code labelled} the fine-tune scores the test split once (after the
     * epoch chosen on the labelled subset), so a written {@code eval_every} (test scores for the
     * test-selected diagnostic) would have no effect and is refused, naming both lines.
     */
    private static ProtocolSpec withSelection(ProtocolSpec p, YNode block, YNode topSelection, String fallback)
            throws SpecException {
        if (!p.name().equals(KNN) && !ownKeys(p.name()).contains(SELECTION)) {
            // supcon: no selection key; its linear stage always chooses L2 on the labelled subset (SupCon).
            return p.withSelection(Optional.of(ProtocolSpec.LABELLED));
        }
        YNode own = block == null ? null : block.lookup(SELECTION);
        String selection = own == null ? fallback : own.oneOf(SELECTIONS, SELECTION);
        YNode evalEvery = block == null ? null : block.lookup(EVAL_EVERY);
        if (selection.equals(ProtocolSpec.LABELLED) && p.kind().trainsEncoder() && evalEvery != null) {
            YNode why = own != null ? own : topSelection;
            throw evalEvery.error("eval_every has no effect with selection: labelled"
                    + (why == null ? " (the default)" : " (line " + why.line() + ")")
                    + ": the fine-tune epoch is chosen on a held-out part of the labelled subset and the test split"
                    + " is scored once, after it; remove eval_every, or set selection: fixed in this block (the"
                    + " published protocol: fixed epochs, the test split scored every eval_every epochs for the"
                    + " test-selected maximum)");
        }
        return p.withSelection(Optional.of(selection));
    }

    /**
     * The keys a protocol block takes besides the training keys and the protocol's own params
     * (Protocol#params): finetune, fixmatch and linear score the test split every {@code eval_every} epochs
     * under selection fixed, and linear's probe takes {@code l2}; supcon has no selection key (its
     * linear stage always chooses L2 on the labelled subset); any other protocol takes {@code selection}.
     */
    private static List<String> ownKeys(String protocol) {
        return switch (protocol) {
            case "linear" -> List.of(EVAL_EVERY, L2, SELECTION);
            case "finetune", "fixmatch" -> List.of(EVAL_EVERY, SELECTION);
            case "supcon" -> List.of();
            default -> List.of(SELECTION);
        };
    }

    private static final String KNN = "knn";

    /**
     * A protocol with a training block (every one but knn): the training keys, the keys of
     * {@link #ownKeys} and the protocol's params, each checked where it is read.
     */
    private ProtocolSpec trained(String name, YNode node) throws SpecException {
        List<Param> declared = catalog.protocolParams(name);
        List<String> extra = new ArrayList<>(ownKeys(name));
        declared.forEach(p -> extra.add(p.name()));
        ProtocolSpec.Kind kind = new ProtocolSpec.Kind(catalog.trainsEncoder(name), catalog.usesUnlabeled(name));
        if (name.equals(org.sslbench.evaluate.FixMatch.NAME) && node != null && node.lookup("augment") != null) {
            // The block's augment is FixMatch's weak view; the strong view adds RandAugment and
            // Cutout to it (FixMatch.strongAugment). Writing them here would turn the weak view
            // strong, or (0) the strong view weak: no FixMatch left either way.
            for (String key : org.sslbench.evaluate.FixMatch.STRONG_EXTRA.keySet()) {
                YNode written = node.lookup("augment", key);
                if (written != null) {
                    throw written.error(key + " belongs to FixMatch's strong view, which is this block's augment (the"
                            + " weak view) plus " + org.sslbench.evaluate.FixMatch.STRONG_EXTRA_TEXT + "; the weak view"
                            + " takes none; remove it (the strong view's RandAugment and Cutout are FixMatch's, fixed)");
                }
            }
        }
        TrainSpec train = trains.read(node, overTop(Defaults.protocol(name)), extra);
        YMap m = node == null ? null : node.map(trains.keys(extra), "key");
        if (!kind.trainsEncoder() && m != null && m.has("augment")) {
            // The probe trains on features computed once per encoder (EncoderFeatures), so an
            // augmented image never reaches it; augmenting would mean an encoder pass per step.
            throw m.get("augment").error("the " + (name.equals("linear") ? "linear probe" : name + " protocol")
                    + " trains on frozen features computed once without"
                    + " augmentation, so augment would have no effect; remove it (to train with augmented"
                    + " images, use the finetune protocol)");
        }
        if (!kind.trainsEncoder() && m != null && m.has(TrainSpecReader.BN_MOMENTUM)) {
            throw m.get(TrainSpecReader.BN_MOMENTUM).error(FROZEN_BN);
        }
        Params params = protocolParams(name, declared, m);
        int evalEvery = m == null ? 0 : m.integer(EVAL_EVERY, 0, Range.NON_NEGATIVE);
        if (evalEvery > 0 && evalEvery >= train.epochs()) {
            throw m.get(EVAL_EVERY).error("eval_every " + evalEvery + " with " + train.epochs() + " epochs scores only"
                    + " the final epoch, as eval_every 0 (the default) does, so it has no effect; use a value below "
                    + train.epochs() + " or remove it");
        }
        EffectChecks.check(train, java.util.Collections.singletonList(node));
        return new ProtocolSpec(name, train, 0, 0.0, evalEvery, Optional.empty(), Optional.empty(), Optional.empty(),
                params, kind);
    }

    /**
     * {@code declared}'s defaults overlaid with the values {@code block} writes for them, each of
     * the param's type and in its range (else refused at its line with the range and the default);
     * a misspelt key was already refused with a did-you-mean by the block's key check.
     */
    private static Params protocolParams(String protocol, List<Param> declared, YMap block) throws SpecException {
        Map<String, Object> out = new TreeMap<>();
        for (Param param : declared) {
            Object value = param.defaultValue();
            YNode at = block == null ? null : block.get(param.name());
            if (at != null) {
                value = at.ofType(param.defaultValue().getClass());
                String problem = param.problem(value);
                if (problem != null) {
                    throw at.error(protocol + " param '" + param.name() + "' " + problem + ", got " + shown(value)
                            + " (" + param.description() + "; default " + shown(param.defaultValue()) + ")");
                }
            }
            out.put(param.name(), value);
        }
        return new Params(out);
    }

    private static final String EVAL_EVERY = "eval_every";
    private static final String L2 = "l2";

    /**
     * The candidate lists of issue 13, checked once the protocol's selection is known:
     *
     * <ul>
     *   <li>knn: a list of k (read by {@link #knn}) needs {@code selection: labelled}, which chooses
     *       among it on the labelled subset. With one k there is nothing to choose, so the selection
     *       is dropped and the protocol (and its hash) is what it was before selection existed.</li>
     *   <li>linear: {@code l2}, a positive number or a list of at least 2 distinct ones, the
     *       candidate L2 strengths of the logistic-regression probe; only with {@code selection:
     *       labelled} (under {@code fixed} the probe is the SGD softmax head, which has no such
     *       penalty). Under {@code labelled} the probe is fitted by L-BFGS, so the block's SGD keys
     *       ({@code epochs}, {@code batch_size}, {@code optimizer}, {@code schedule},
     *       {@code eval_every}) do not apply: they are still validated, then dropped (train block
     *       null, eval_every 0), so they change neither the result nor the cell hash.</li>
     * </ul>
     */
    static ProtocolSpec candidates(ProtocolSpec p, YNode node) throws SpecException {
        if (p.name().equals("knn")) {
            if (p.kChoices().isEmpty()) {
                return new ProtocolSpec(p.name(), p.train(), p.k(), p.temperature(), p.evalEvery())
                        .withPrecision(p.precision());
            }
            if (!p.selectsOnLabels()) {
                throw node.lookup("k").error("a list of k is chosen among on the labelled subset, which selection "
                        + ProtocolSpec.FIXED + " does not do; write one k, or use selection: " + ProtocolSpec.LABELLED);
            }
            return p;
        }
        if (!p.name().equals("linear")) {
            return p;
        }
        YNode l2 = node == null ? null : node.lookup(L2);
        Optional<List<Double>> l2Choices = l2 == null || l2.isNull() ? Optional.empty() : Optional.of(l2Choices(l2));
        if (!p.selectsOnLabels()) {
            if (l2Choices.isPresent()) {
                throw l2.error("l2 is the penalty of the logistic-regression probe that selection " + ProtocolSpec.LABELLED
                        + " fits; under selection " + ProtocolSpec.FIXED + " the probe is the SGD softmax head of epochs"
                        + " and optimizer, with no such penalty; remove it, or use selection: " + ProtocolSpec.LABELLED);
            }
            return p;
        }
        // The SGD keys train the fixed protocol's softmax head; the labelled probe is an L-BFGS fit
        // with no epochs, batches, optimizer or schedule, so a written one would change nothing.
        if (node != null && !node.isNull()) {
            for (String key : List.of("epochs", "batch_size", "optimizer", "schedule", EVAL_EVERY)) {
                YNode written = node.lookup(key);
                if (written != null) {
                    throw written.error(key + " has no effect on the linear probe under selection: "
                            + ProtocolSpec.LABELLED + ": it is an L2-regularised logistic regression"
                            + " fitted by L-BFGS, with the L2 strength chosen by k-fold cross-validation on the labelled"
                            + " subset (candidates: l2); remove " + key + ", or set selection: " + ProtocolSpec.FIXED
                            + " in this block for the published protocols' softmax head trained with epochs and optimizer");
                }
            }
        }
        // The block's precision still applies to the frozen features the probe is fitted on.
        return new ProtocolSpec(p.name(), null, 0, 0.0, 0, p.selection(), Optional.empty(), l2Choices)
                .withPrecision(p.precision());
    }

    /** A positive finite number, or a list of at least 2 distinct ones. */
    private static List<Double> l2Choices(YNode node) throws SpecException {
        if (!node.isSeq()) {
            return List.of(node.number(Range.POSITIVE));
        }
        return candidateList(node, "l2", "l2 candidate", n -> n.number(Range.POSITIVE), Range::format);
    }

    /**
     * linear and knn read features of the frozen encoder in eval mode (EncoderFeatures): BatchNorm
     * normalises with the pretext's moving statistics and never updates them, and the heads have
     * no BatchNorm, so a momentum there would change the hash and nothing else.
     */
    private static final String FROZEN_BN = "bn_momentum has no effect here: this protocol uses the frozen encoder's"
            + " features in eval mode (BatchNorm normalises with the moving statistics the pretext left and never"
            + " updates them) and its head has no BatchNorm; remove it (BatchNorm statistics are updated in pretext"
            + " and protocols.finetune, where bn_momentum applies)";

    /** {@code base} in the top-level precision when the spec writes one. */
    private TrainSpec overTop(TrainSpec base) {
        return topPrecision == null ? base : base.withPrecision(topPrecision);
    }

    private ProtocolSpec knn(YNode node) throws SpecException {
        YNode bn = node.lookup(TrainSpecReader.BN_MOMENTUM);
        if (bn != null) {
            throw bn.error(FROZEN_BN);
        }
        YMap m = node.map(List.of("k", "temperature", SELECTION, TrainSpecReader.PRECISION), "key");
        Optional<List<Integer>> kChoices = m.has("k") && m.get("k").isSeq() ? Optional.of(kChoices(m.get("k"))) : Optional.empty();
        int k = kChoices.isPresent() ? kChoices.get().get(0) : m.integer("k", Defaults.KNN_K, Range.POSITIVE);
        double temperature = m.number("temperature", Defaults.KNN_TEMPERATURE, Range.POSITIVE);
        // The temperature only weighs the k neighbours' votes against each other (Knn): one
        // neighbour's vote wins whatever its weight. Only a written temperature is blamed.
        if (k == 1 && kChoices.isEmpty() && m.has("temperature")) {
            throw m.get("temperature").error("temperature has no effect with k 1 (a single neighbour's vote wins"
                    + " whatever its weight); remove it, or use k > 1");
        }
        // The frozen encoder's features are computed in this precision (EncoderFeatures).
        org.sslbench.engine.Precision precision = TrainSpecReader.precision(m.get(TrainSpecReader.PRECISION),
                topPrecision == null ? org.sslbench.engine.Precision.FP32 : topPrecision);
        return new ProtocolSpec("knn", null, k, temperature, 0, Optional.empty(), kChoices, Optional.empty())
                .withPrecision(precision);
    }

    /** {@code k: [5, 10, 20, 50]}: at least 2 distinct positive integers (the first is {@code k()}). */
    private static List<Integer> kChoices(YNode node) throws SpecException {
        return candidateList(node, "k", "k", n -> n.integer(Range.POSITIVE), String::valueOf);
    }

    /** Reads one candidate of a list. */
    private interface CandidateReader<T> {
        T read(YNode item) throws SpecException;
    }

    /**
     * A list of candidates the selection chooses among: at least 2 distinct values, each read by
     * {@code read}; a one-element list is refused with the spelling that uses the value as given.
     */
    private static <T> List<T> candidateList(YNode node, String key, String what, CandidateReader<T> read,
                                             java.util.function.Function<T, String> format) throws SpecException {
        List<YNode> items = node.nonEmptyList();
        if (items.size() < 2) {
            throw node.error("a list of " + key + (key.equals("k") ? "" : " candidates") + " needs at least 2 values to"
                    + " choose among; write the one value without brackets (" + key + ": "
                    + format.apply(read.read(items.get(0))) + ") to use it as given");
        }
        List<T> out = new ArrayList<>();
        Unique unique = new Unique(what);
        for (YNode item : items) {
            T v = read.read(item);
            unique.add(v, item);
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static Preprocess preprocess(YNode node) throws SpecException {
        YNode value = node == null ? null : node.map(List.of("normalize"), "key").get("normalize");
        return new Preprocess(value == null ? Defaults.NORMALIZE : value.oneOf(NORMALIZE, "normalize"));
    }

    /** A directory setting and where it came from, for the error if it must exist and does not. */
    record DirSetting(Path path, YNode at) {
    }

    /**
     * {@code output}, {@code data} or {@code plugins}: {@code {dir: ...}}, checked even when a
     * command-line override replaces it. Relative paths resolve against the working directory, as
     * a shell user expects.
     */
    private static DirSetting dir(YMap top, String key, Path override) throws SpecException {
        YNode value = top.has(key) ? top.get(key).map(List.of("dir"), "key").get("dir") : null;
        Path fromSpec = value == null ? null : path(value);
        if (override != null) {
            // Line 0: the value came from the command line, not from the file.
            YNode field = top.at(key).child("dir", null);
            return new DirSetting(override.toAbsolutePath().normalize(), YNode.synthetic(field.file(), field.path()));
        }
        return new DirSetting(fromSpec, value);
    }

    private static Path path(YNode value) throws SpecException {
        String text = value.string();
        if (text.isBlank()) {
            throw value.error("must not be empty");
        }
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw value.error("not a valid path: " + e.getMessage());
        }
    }
}
