package org.sslbench.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.sslbench.method.Param;

/**
 * Turns a checked-safe node tree into a {@link Spec}, validating every value where it is read so
 * the error can name its line. Checks that need the data on disk are in {@link SpecValidator}.
 */
final class SpecReader {
    static final List<String> TOP_KEYS = List.of("name", "description", "datasets", "backbone", "backbones",
            "methods", "labels", "seeds", "pretext", "protocols", "preprocess", "output", "plugins", "data");
    static final Set<String> NORMALIZE = Set.of("none", "pixel_mean", "standardize");
    /** Becomes a directory name under results/, so no slashes, spaces or upper case. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+");

    private final Catalog catalog;
    private final TrainSpecReader trains;

    SpecReader(Catalog catalog) {
        this.catalog = catalog;
        this.trains = new TrainSpecReader(catalog.augmentations());
    }

    Spec read(YNode root, Overrides overrides) throws SpecException {
        YMap top = root.map(TOP_KEYS, "key");
        String name = name(top.require("name"));
        String description = top.string("description", "");
        List<YNode> datasetNodes = top.require("datasets").nonEmptyList();
        List<DatasetRef> datasets = datasets(datasetNodes);
        List<String> backbones = backbones(top);
        // Read once for its errors even when no method pretrains; each method re-reads it over its own defaults.
        trains.read(top.get("pretext"), Defaults.PRETEXT, PRETEXT_EXTRA_KEYS);
        List<MethodSpec> methods = methods(top.require("methods"), top.get("pretext"));
        List<YNode> labelNodes = new ArrayList<>();
        LabelSpec labels = labels(top.require("labels"), labelNodes);
        List<Integer> seeds = seeds(top.get("seeds"));
        Map<String, ProtocolSpec> protocols = protocols(top.require("protocols"));
        Preprocess preprocess = preprocess(top.get("preprocess"));

        DirSetting outputDir = dir(top, "output", overrides.outputDir());
        DirSetting dataDir = dir(top, "data", overrides.dataDir());
        DirSetting pluginsDir = dir(top, "plugins", overrides.pluginsDir());
        SpecValidator.checkDirectory(pluginsDir.path(), pluginsDir.at());

        Spec spec = new Spec(root.file(), name, description, datasets, backbones, methods, labels, seeds,
                protocols, preprocess, outputDir.path(), pluginsDir.path(), dataDir.path());
        SpecValidator.labelCounts(spec, catalog, datasetNodes, labelNodes);
        return spec;
    }

    private static String name(YNode node) throws SpecException {
        String name = node.string();
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw node.error("'" + name + "' is not a valid name: use lower-case letters, digits, '.', '_' and '-'"
                    + " (it becomes the directory results/<name>/)");
        }
        return name;
    }

    private List<DatasetRef> datasets(List<YNode> items) throws SpecException {
        List<DatasetRef> out = new ArrayList<>();
        Unique unique = new Unique("dataset");
        for (YNode item : items) {
            DatasetRef ref;
            if (item.isScalar()) {
                ref = new DatasetRef(item.oneOf(catalog.datasets(), "dataset"), 0);
            } else {
                YMap m = item.map(List.of("name", "unlabeled_limit"), "key");
                ref = new DatasetRef(m.require("name").oneOf(catalog.datasets(), "dataset"),
                        m.integer("unlabeled_limit", 0, Range.NON_NEGATIVE));
            }
            // By name: label counts are resolved per dataset name, and results are keyed by it.
            unique.add(ref.name(), item);
            out.add(ref);
        }
        return List.copyOf(out);
    }

    private List<String> backbones(YMap top) throws SpecException {
        if (top.has("backbone") && top.has("backbones")) {
            throw top.get("backbones").error("give either backbone or backbones, not both");
        }
        if (top.has("backbone")) {
            return List.of(top.get("backbone").oneOf(catalog.backbones(), "backbone"));
        }
        if (!top.has("backbones")) {
            throw top.at("backbone").error("required key 'backbone' (or 'backbones') is missing");
        }
        List<String> out = new ArrayList<>();
        Unique unique = new Unique("backbone");
        for (YNode item : top.get("backbones").nonEmptyList()) {
            String backbone = item.oneOf(catalog.backbones(), "backbone");
            unique.add(backbone, item);
            out.add(backbone);
        }
        return List.copyOf(out);
    }

    private static final List<String> PRETEXT_EXTRA_KEYS = List.of(TrainSpecReader.AUGMENT_VIEWS);

    private List<MethodSpec> methods(YNode node, YNode globalPretext) throws SpecException {
        List<MethodSpec> out = new ArrayList<>();
        Unique unique = new Unique("method");
        for (YNode item : node.nonEmptyList()) {
            MethodSpec method;
            if (item.isScalar()) {
                method = method(item, null, null, globalPretext);
            } else {
                YMap m = item.map(List.of("name", "params", "pretext"), "key");
                method = method(m.require("name"), m.get("params"), m.get("pretext"), globalPretext);
            }
            unique.add(method.name(), item);
            out.add(method);
        }
        return List.copyOf(out);
    }

    /** A method without a pretext run gets a null pretext: its results must not depend on those settings. */
    private MethodSpec method(YNode nameNode, YNode paramsNode, YNode pretextNode, YNode globalPretext)
            throws SpecException {
        String name = nameNode.oneOf(catalog.methods().keySet(), "method");
        Map<String, Object> params = params(name, paramsNode);
        if (!catalog.pretrains(name)) {
            if (pretextNode != null) {
                throw pretextNode.error("method '" + name + "' has no pretext run; remove this block");
            }
            return new MethodSpec(name, params, null);
        }
        TrainSpec pretext = trains.read(pretextNode, trains.read(globalPretext, methodDefaults(name), PRETEXT_EXTRA_KEYS),
                PRETEXT_EXTRA_KEYS);
        int views = catalog.views(name);
        if (!pretext.augmentViews().isEmpty() && pretext.augmentViews().size() != views) {
            YNode at = pretextNode != null && pretextNode.map(trains.keys(PRETEXT_EXTRA_KEYS), "key")
                    .has(TrainSpecReader.AUGMENT_VIEWS) ? pretextNode : globalPretext != null ? globalPretext : nameNode;
            throw at.error("augment_views has " + pretext.augmentViews().size() + " pipelines but method '" + name
                    + "' takes " + views + " views");
        }
        return new MethodSpec(name, params, pretext);
    }

    /** The pretext defaults with the method's own augmentation pipelines, when it declares them. */
    private TrainSpec methodDefaults(String method) {
        List<Map<String, Object>> augment = catalog.defaultAugment(method);
        TrainSpec d = Defaults.PRETEXT;
        if (augment.isEmpty()) {
            return d;
        }
        return augment.size() == 1
                ? new TrainSpec(d.epochs(), d.batchSize(), d.optimizer(), d.schedule(), Map.copyOf(augment.get(0)))
                : new TrainSpec(d.epochs(), d.batchSize(), d.optimizer(), d.schedule(), Map.of(),
                        augment.stream().map(m -> (Map<String, Object>) new java.util.TreeMap<>(m)).toList());
    }

    /** The method's defaults overlaid with the spec's params, sorted by name for stable hashing. */
    private Map<String, Object> params(String method, YNode node) throws SpecException {
        List<Param> declared = catalog.methods().get(method);
        Map<String, Param> byName = new LinkedHashMap<>();
        declared.forEach(p -> byName.put(p.name(), p));
        Map<String, Object> out = new TreeMap<>();
        declared.forEach(p -> out.put(p.name(), p.defaultValue()));
        if (node != null) {
            for (YMap.Entry e : node.map(byName.keySet(), method + " param").entries()) {
                Param param = byName.get(e.key());
                Object value = e.value().ofType(param.defaultValue().getClass());
                // The method's declared range: a temperature of 0 fails here, not an hour into the run.
                String problem = param.problem(value);
                if (problem != null) {
                    throw e.value().error(method + " param '" + e.key() + "' " + problem + ", got " + shown(value)
                            + " (" + param.description() + "; default " + shown(param.defaultValue()) + ")");
                }
                out.put(e.key(), value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String shown(Object value) {
        return value instanceof Number n && !(value instanceof Integer) ? Range.format(n.doubleValue())
                : value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    private static LabelSpec labels(YNode node, List<YNode> items) throws SpecException {
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
                return new LabelSpec(LabelSpec.Kind.COUNTS, List.of(), false, true);
            }
            if (given != 1) {
                throw node.error("give exactly one of counts, per_class or fractions (or a plain list of label counts)");
            }
            kind = m.has("counts") ? LabelSpec.Kind.COUNTS
                    : m.has("per_class") ? LabelSpec.Kind.PER_CLASS : LabelSpec.Kind.FRACTIONS;
            list = m.get(m.has("counts") ? "counts" : m.has("per_class") ? "per_class" : "fractions");
            uneven = m.bool("uneven", false);
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

    private Map<String, ProtocolSpec> protocols(YNode node) throws SpecException {
        YMap m = node.map(catalog.protocols(), "protocol");
        if (m.entries().isEmpty()) {
            throw node.error("name at least one protocol: " + String.join(", ", new TreeSet<>(catalog.protocols())));
        }
        Map<String, ProtocolSpec> out = new LinkedHashMap<>();
        for (YMap.Entry e : m.entries()) {
            out.put(e.key(), e.key().equals("knn") ? knn(e.value()) : trained(e.key(), e.value()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** finetune / linear: a training block plus {@code eval_every}. */
    private ProtocolSpec trained(String name, YNode node) throws SpecException {
        TrainSpec train = trains.read(node, Defaults.protocol(name), List.of(EVAL_EVERY));
        int evalEvery = node == null ? 0 : node.map(trains.keys(List.of(EVAL_EVERY)), "key")
                .integer(EVAL_EVERY, 0, Range.NON_NEGATIVE);
        return new ProtocolSpec(name, train, 0, 0.0, evalEvery);
    }

    private static final String EVAL_EVERY = "eval_every";

    private static ProtocolSpec knn(YNode node) throws SpecException {
        YMap m = node.map(List.of("k", "temperature"), "key");
        return new ProtocolSpec("knn", null,
                m.integer("k", Defaults.KNN_K, Range.POSITIVE),
                m.number("temperature", Defaults.KNN_TEMPERATURE, Range.POSITIVE), 0);
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
