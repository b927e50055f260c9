package org.sslbench.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sslbench.data.ImageShape;
import org.sslbench.method.Param;

/**
 * A method's presets: named sets of defaults (its params and its pretext block) for one image
 * scale, each value naming where it comes from. A plugin ships them as {@code presets.yaml} next to
 * its Method class (README "Method presets"):
 * <pre>{@code
 * presets:
 *   small:                                  # images up to 64 px
 *     description: solo-learn's CIFAR BYOL with Lightly's CIFAR-10 optimizer
 *     params: {tau: 0.99, proj_hidden_dim: 4096, ...}       # every param the method declares
 *     pretext: {batch_size: 128, optimizer: {...}, schedule: {...}, augment_views: [...]}
 *     sources:                              # dotted path of a key or of a parent -> citation
 *       params: "solo-learn scripts/pretrain/cifar/byol.yaml@4d64ac0d: ..."
 *     deviations:                           # where sslbench differs from the source, and why
 *       pretext.optimizer: "..."
 * }</pre>
 * Checked when read, with file, line and field: every key under {@code params} and
 * {@code pretext} is covered by a {@code sources} or {@code deviations} entry (its own path or a
 * parent's); every such entry names a key that exists; {@code params} lists every param the
 * method declares; {@code pretext} sets batch_size, optimizer, schedule and augment or
 * augment_views, and never epochs (the budget is the spec's). The values themselves are read like
 * a spec's, when a spec uses the preset ({@link SpecReader}).
 */
public final class Presets {
    /** Images whose larger side is at most this many pixels take the {@link #SMALL} preset by default. */
    public static final int SMALL_MAX_SIDE = 64;
    /** The preset for images up to {@link #SMALL_MAX_SIDE} px: CIFAR-10/100, Fashion-MNIST, STL-10 resized. */
    public static final String SMALL = "small";
    /** The preset for larger images (ImageNet-style recipes). */
    public static final String IMAGENET = "imagenet";
    /** The spec value that takes no preset: the harness defaults and the plugin's own param defaults. */
    public static final String NONE = "none";

    static final List<String> PRESET_KEYS = List.of("description", "params", "pretext", "sources", "deviations");
    static final List<String> PRETEXT_KEYS = List.of("batch_size", "optimizer", "schedule", "augment",
            TrainSpecReader.AUGMENT_VIEWS, TrainSpecReader.BN_MOMENTUM);
    private static final List<String> REQUIRED_PRETEXT = List.of("batch_size", "optimizer", "schedule");

    /** One preset as read: the nodes are read as spec blocks when a spec uses it. */
    record Preset(String name, String description, YNode params, YNode pretext,
                  Map<String, String> sources, Map<String, String> deviations) {
    }

    /**
     * One shown value of a preset ({@code make list}, README table): a param, or a pretext key with
     * its value in YAML flow style.
     *
     * @param key       dotted path, e.g. {@code params.tau}, {@code pretext.optimizer}
     * @param value     e.g. {@code 0.99}, {@code {name: sgd, lr: 0.06}}
     * @param sources   the sources covering it (its own path, a parent's or a child's), path-prefixed
     *                  when not its own
     * @param deviation the stated deviations covering it, same form; empty when none
     */
    public record Entry(String key, String value, List<String> sources, List<String> deviation) {
    }

    /** A preset as {@code make list} shows it. */
    public record Described(String name, String description, List<Entry> entries) {
    }

    private Presets() {
    }

    /**
     * The harness's pretext defaults a method gets with {@code preset: none} (or without presets),
     * for {@code make list}: e.g. {@code epochs 10, batch_size 128, optimizer adam lr 0.001 weight_decay 0, schedule cosine}.
     */
    public static String harnessPretextDefaults() {
        return trainingDefaults(Defaults.PRETEXT) + " unless the method declares its own";
    }

    /**
     * The training keys a protocol block gets when it writes none (specs/README.md), for
     * {@code make list}: e.g. {@code epochs 20, batch_size 64, optimizer adam lr 0.001 weight_decay 0,
     * schedule constant warmup_epochs 0, augment {shift=0.1, hflip=true}}.
     */
    public static String protocolTrainingDefaults(String protocol) {
        return trainingDefaults(Defaults.protocol(protocol));
    }

    private static String trainingDefaults(TrainSpec d) {
        return "epochs " + d.epochs() + ", batch_size " + d.batchSize() + ", optimizer " + d.optimizer().name() + " lr "
                + plain(d.optimizer().lr()) + " weight_decay " + plain(d.optimizer().weightDecay())
                + (d.optimizer().nesterov() ? " nesterov" : "")
                + ", schedule " + d.schedule().name() + " warmup_epochs " + Range.format(d.schedule().warmupEpochs())
                + ", augment " + d.augment();
    }

    /** 0.0005, not 5.0E-4: as a spec writes it. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The preset a spec gets when it names none: {@link #SMALL} up to 64 px on the larger side, else {@link #IMAGENET}. */
    public static String forShape(ImageShape shape) {
        return Math.max(shape.height(), shape.width()) <= SMALL_MAX_SIDE ? SMALL : IMAGENET;
    }

    /**
     * Parses and checks a method's presets file.
     *
     * @param declared the params the method declares (each must be listed by every preset)
     * @return preset name → preset, in file order
     * @throws SpecException at the file's line for a malformed file or a value without a source
     */
    static Map<String, Preset> read(PresetFile file, String method, List<Param> declared) throws SpecException {
        YNode root = YamlTree.parse(file.file(), file.yaml());
        YMap top = root.map(List.of("presets"), "key");
        Map<String, Preset> out = new LinkedHashMap<>();
        YNode presets = top.require("presets");
        for (YMap.Entry e : anyKeys(presets).entries()) {
            if (!e.key().matches("[a-z][a-z0-9_-]*") || e.key().equals(NONE)) {
                throw e.value().error("preset name '" + e.key() + "' must be lower-case letters, digits, '-' or '_'"
                        + " and not '" + NONE + "' (a spec's word for no preset)");
            }
            out.put(e.key(), preset(method, e.key(), e.value(), declared));
        }
        if (out.isEmpty()) {
            throw presets.error("no presets: give at least one, e.g. " + SMALL + ":");
        }
        return out;
    }

    /**
     * Checks a presets file as a spec using it would (plugin load calls this, so a broken file
     * skips the plugin by name instead of failing a spec later).
     *
     * @throws SpecException at the file's line
     */
    public static void check(PresetFile file, String method, List<Param> declared) throws SpecException {
        read(file, method, declared);
    }

    private static Preset preset(String method, String name, YNode node, List<Param> declared) throws SpecException {
        YMap m = node.map(PRESET_KEYS, "key");
        String description = m.require("description").string();
        YNode params = m.get("params");
        List<String> former = declared.stream().flatMap(p -> p.formerNames().stream()).toList();
        YMap paramsMap = params == null ? new YMap(node, List.of()) : params.map(names(declared), former, method + " param");
        // A spec may still write a renamed param's old key (read with a note); the plugin's own file must not.
        for (YMap.Entry e : paramsMap.entries()) {
            if (former.contains(e.key())) {
                throw e.value().error("preset '" + name + "': " + method + " param '" + e.key() + "' was renamed to "
                        + String.join(" and ", declared.stream().filter(p -> p.formerNames().contains(e.key()))
                        .map(p -> "'" + p.name() + "'").toList()) + ": write the new name");
            }
        }
        for (Param p : declared) {
            if (!paramsMap.has(p.name())) {
                throw m.at("params").error("preset '" + name + "' does not set " + method + " param '" + p.name()
                        + "': list every param the method declares, so that each default names its source"
                        + " (the plugin's default is " + p.defaultValue() + ")");
            }
        }
        YNode pretext = m.require("pretext");
        YMap pretextMap = pretext.map(withEpochsRefused(pretext), "pretext key");
        for (String key : REQUIRED_PRETEXT) {
            pretextMap.require(key);
        }
        if (!pretextMap.has("augment") && !pretextMap.has(TrainSpecReader.AUGMENT_VIEWS)) {
            throw pretext.error("preset '" + name + "' sets no augmentation: give augment (every view) or augment_views");
        }
        Map<String, String> sources = citations(m.get("sources"));
        Map<String, String> deviations = citations(m.get("deviations"));
        Set<String> paths = new TreeSet<>();
        List<YNode> leaves = new ArrayList<>();
        walk(params, "params", paths, leaves);
        walk(pretext, "pretext", paths, leaves);
        for (String block : List.of("sources", "deviations")) {
            YNode at = m.get(block);
            if (at == null) {
                continue;
            }
            for (YMap.Entry c : anyKeys(at).entries()) {
                if (!paths.contains(c.key())) {
                    throw c.value().error("preset '" + name + "': " + block + " names '" + c.key() + "', which this preset"
                            + " does not set; use the dotted path of a key it sets (e.g. params.tau, pretext.optimizer)");
                }
            }
        }
        for (YNode leaf : leaves) {
            String path = relative(leaf);
            if (covering(path, sources).isEmpty() && covering(path, deviations).isEmpty()) {
                throw leaf.error("preset '" + name + "': " + path + " names no source; add it (or a parent such as "
                        + path.substring(0, Math.max(path.lastIndexOf('.'), 0)) + ") under sources (a published configuration:"
                        + " project path@commit, or paper and table) or under deviations (what differs and why)");
            }
        }
        if (sources.isEmpty()) {
            throw m.at("sources").error("preset '" + name + "' names no source at all: give the published"
                    + " configurations it follows under sources");
        }
        return new Preset(name, description, params, pretext, sources, deviations);
    }

    /** The pretext keys a preset may set; epochs is read only to refuse it with a reason. */
    private static List<String> withEpochsRefused(YNode pretext) throws SpecException {
        YNode epochs = pretext.lookup("epochs");
        if (epochs != null) {
            throw epochs.error("a preset does not set epochs: the pretext budget is the spec's (pretext.epochs);"
                    + " name the published epoch count in a source instead");
        }
        return PRETEXT_KEYS;
    }

    private static List<String> names(List<Param> declared) {
        return declared.stream().map(Param::name).toList();
    }

    /** The map under {@code node} with whatever keys it has (preset names, citation paths: checked by the caller). */
    private static YMap anyKeys(YNode node) throws SpecException {
        return node.map(EVERY_KEY, "key");
    }

    private static final Set<String> EVERY_KEY = new Everything();

    /** A collection that contains every string, for {@link YNode#map}'s allowed keys. */
    private static final class Everything extends java.util.AbstractSet<String> {
        @Override
        public boolean contains(Object o) {
            return o instanceof String;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Collections.emptyIterator();
        }

        @Override
        public int size() {
            return 0;
        }
    }

    private static Map<String, String> citations(YNode node) throws SpecException {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        for (YMap.Entry e : anyKeys(node).entries()) {
            String text = e.value().string();
            if (text.isBlank()) {
                throw e.value().error("empty citation for " + e.key());
            }
            out.put(e.key(), text.strip());
        }
        return out;
    }

    /** Collects the dotted paths of every map key below {@code node} (maps are descended, lists and scalars are leaves). */
    private static void walk(YNode node, String path, Set<String> paths, List<YNode> leaves) throws SpecException {
        paths.add(path);
        if (node == null) {
            return;
        }
        if (node.isSeq() || node.isScalar() || node.isNull()) {
            leaves.add(node);
            return;
        }
        for (YMap.Entry e : anyKeys(node).entries()) {
            walk(e.value(), path + "." + e.key(), paths, leaves);
        }
    }

    /** A node's path below {@code presets.<name>}: {@code params.tau}. */
    private static String relative(YNode node) {
        String[] parts = node.path().split("\\.", 3);
        return parts.length < 3 ? node.path() : parts[2];
    }

    /** The citations whose key is {@code path}, a parent of it, or a child of it. */
    static List<String> covering(String path, Map<String, String> citations) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> c : citations.entrySet()) {
            String k = c.getKey();
            if (k.equals(path)) {
                out.add(c.getValue());
            } else if (path.startsWith(k + ".")) {
                out.add(c.getValue());
            } else if (k.startsWith(path + ".")) {
                out.add(k.substring(path.length() + 1) + ": " + c.getValue());
            }
        }
        return out;
    }

    /**
     * A method's presets as {@code make list} and the README table show them: one entry per param
     * and per pretext key (augment_views as one entry per view), each with its sources.
     *
     * @return empty when the method ships no presets
     * @throws SpecException for a malformed presets file
     */
    /**
     * Per view, the augmentation pipeline a pretext run of {@code method} gets from {@code preset}
     * when the spec sets no augmentation key, read as the spec reader reads it: {@link #NONE} = the
     * method's own {@code augmentations()} (or the harness default shift and flip); a preset's
     * {@code augment} / {@code augment_views}. Keys left out are off. For {@code make list}.
     *
     * @throws SpecException when the method has no preset of that name (or its file is broken)
     */
    public static List<Map<String, Object>> viewPipelines(Catalog catalog, String method, String preset)
            throws SpecException {
        TrainSpec pretext;
        if (NONE.equals(preset)) {
            pretext = SpecReader.methodDefaults(catalog, method);
        } else {
            pretext = new TrainSpecReader(catalog.augmentations()).read(preset(catalog, method, preset).pretext(),
                    SpecReader.PRESET_BASE, List.of(TrainSpecReader.AUGMENT_VIEWS));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int v = 0; v < catalog.views(method); v++) {
            out.add(pretext.augmentFor(v));
        }
        return out;
    }

    /**
     * {@code method}'s params under {@code preset} ({@link #NONE}: its declared defaults), typed as
     * a spec's values: what its heads are built from. For {@code make list}.
     */
    public static Map<String, Object> params(Catalog catalog, String method, String preset) throws SpecException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Param> declared = catalog.methods().get(method);
        if (NONE.equals(preset)) {
            declared.forEach(p -> out.put(p.name(), p.defaultValue()));
            return out;
        }
        YNode params = preset(catalog, method, preset).params();
        for (Param p : declared) {
            out.put(p.name(), params.lookup(p.name()).ofType(p.defaultValue().getClass()));
        }
        return out;
    }

    private static Preset preset(Catalog catalog, String method, String name) throws SpecException {
        PresetFile file = catalog.presets(method);
        Preset p = file == null ? null : read(file, method, catalog.methods().get(method)).get(name);
        if (p == null) {
            throw new SpecException(method, 0, "preset", "method '" + method + "' has no preset '" + name + "'");
        }
        return p;
    }

    public static List<Described> describe(Catalog catalog, String method) throws SpecException {
        PresetFile file = catalog.presets(method);
        if (file == null) {
            return List.of();
        }
        List<Described> out = new ArrayList<>();
        for (Preset p : read(file, method, catalog.methods().get(method)).values()) {
            List<Entry> entries = new ArrayList<>();
            add(entries, p, p.params(), "params");
            add(entries, p, p.pretext(), "pretext");
            out.add(new Described(p.name(), p.description(), entries));
        }
        return out;
    }

    private static void add(List<Entry> entries, Preset p, YNode block, String prefix) throws SpecException {
        if (block == null) {
            return;
        }
        for (YMap.Entry e : anyKeys(block).entries()) {
            String key = prefix + "." + e.key();
            if (e.key().equals(TrainSpecReader.AUGMENT_VIEWS) && e.value().isSeq()) {
                List<YNode> views = e.value().nonEmptyList();
                for (int i = 0; i < views.size(); i++) {
                    entries.add(new Entry(key + "[" + i + "]", views.get(i).flow(),
                            covering(key, p.sources()), covering(key, p.deviations())));
                }
            } else {
                entries.add(new Entry(key, e.value().flow(), covering(key, p.sources()), covering(key, p.deviations())));
            }
        }
    }
}
