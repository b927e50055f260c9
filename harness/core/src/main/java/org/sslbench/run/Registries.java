package org.sslbench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetFactory;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.NonEmptySplits;
import org.sslbench.engine.Backbone;
import org.sslbench.method.Method;
import org.sslbench.method.Param;
import org.sslbench.plugin.PluginConflictException;
import org.sslbench.plugin.PluginLoader;
import org.sslbench.plugin.Registry;
import org.sslbench.spec.Catalog;
import org.sslbench.spec.PresetFile;
import org.sslbench.spec.Presets;
import org.sslbench.train.Augmenter;

/** Methods, datasets and backbones found on the classpath and in plugin jars; what specs are validated against. */
public final class Registries implements Catalog {
    private final Registry<Method> methods;
    private final Registry<DatasetFactory> datasets;
    private final Registry<Backbone> backbones;
    private final Set<String> protocols;
    /** Each protocol's declarations (params, trainsEncoder), by name. */
    private Map<String, org.sslbench.evaluate.Protocol> protocolDeclarations = Map.of();
    private final List<PluginLoader.Problem> problems;
    private final List<PluginLoader.Conflict> conflicts;
    private Map<String, String> skipped = Map.of();

    public Registries(Registry<Method> methods, Registry<DatasetFactory> datasets, Registry<Backbone> backbones,
                      Set<String> protocols, List<PluginLoader.Problem> problems) {
        this(methods, datasets, backbones, protocols, problems, List.of());
    }

    /** @param conflicts names provided twice (see {@link PluginLoader#conflicts()}) */
    public Registries(Registry<Method> methods, Registry<DatasetFactory> datasets, Registry<Backbone> backbones,
                      Set<String> protocols, List<PluginLoader.Problem> problems, List<PluginLoader.Conflict> conflicts) {
        this.conflicts = List.copyOf(conflicts);
        this.methods = methods;
        this.datasets = datasets;
        this.backbones = backbones;
        this.protocols = new TreeSet<>(protocols);
        this.problems = List.copyOf(problems);
    }

    /**
     * Discovers everything on the classpath and in {@code pluginsDir} (may be null); the protocols
     * are the built-in ones named ({@link org.sslbench.evaluate.Protocols#BUILT_IN}).
     *
     * @throws IllegalArgumentException for a name no built-in protocol has
     */
    public static Registries discover(Path pluginsDir, Set<String> protocols) throws IOException {
        Map<String, org.sslbench.evaluate.Protocol> named = new java.util.LinkedHashMap<>();
        for (String name : protocols) {
            named.put(name, org.sslbench.evaluate.Protocols.named(name)
                    .orElseThrow(() -> new IllegalArgumentException("no built-in protocol '" + name + "'")));
        }
        return discover(pluginsDir, named);
    }

    /** Discovers everything on the classpath and in {@code pluginsDir} (may be null), with these protocols. */
    public static Registries discover(Path pluginsDir, Map<String, org.sslbench.evaluate.Protocol> protocols)
            throws IOException {
        Registries out = discoverNames(pluginsDir, protocols.keySet());
        out.protocolDeclarations = Map.copyOf(protocols);
        return out;
    }

    private static Registries discoverNames(Path pluginsDir, Set<String> protocols) throws IOException {
        PluginLoader loader = new PluginLoader(pluginsDir);
        // Everything list, validate and bench read from a method, called once here so that a plugin
        // whose declarations throw (a param default outside its own range, say) is skipped by name.
        var methods = loader.load(Method.class, "method", m -> {
            String namesProblem = org.sslbench.method.Param.namesProblem(m.params());
            if (namesProblem != null) {
                throw new IllegalStateException(namesProblem);
            }
            int views = m.views(org.sslbench.method.Params.of(m, Map.of()));
            // The heads list shows; a heads() that throws skips the plugin here rather than in list.
            m.heads(org.sslbench.method.Params.of(m, Map.of()));
            // The plugin's own pipelines are held to the spec's rules: a typo would otherwise do nothing.
            String augmentProblem = org.sslbench.spec.AugmentDefaults.problem(
                    m.augmentations(org.sslbench.method.Params.of(m, Map.of())), Augmenter.KNOWN, views);
            if (augmentProblem != null) {
                throw new IllegalStateException(augmentProblem);
            }
            m.squareImages();
            // A presets file that does not parse, or a value without a source, skips the plugin by name.
            if (views > 0) {
                PresetFile presets = presetFile(m);
                if (presets != null) {
                    try {
                        Presets.check(presets, m.name(), m.params());
                    } catch (org.sslbench.spec.SpecException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }
            }
            // Pixel features replace the encoder: a pretext run or imported weights would be ignored.
            if (m.pixelFeatures() && (views > 0 || m.weightsParam() != null)) {
                throw new IllegalStateException("pixelFeatures() is true, so views must be 0 and weightsParam null"
                        + " (its features are the pixels, not an encoder's)");
            }
        });
        var datasets = loader.load(DatasetFactory.class, "dataset");
        var backbones = loader.load(Backbone.class, "backbone");
        Registries out = new Registries(methods, datasets, backbones, protocols, loader.problems(), loader.conflicts());
        out.skipped = loader.skipped();
        return out;
    }

    public Registry<Method> methodRegistry() {
        return methods;
    }

    public Registry<DatasetFactory> datasetRegistry() {
        return datasets;
    }

    /** The loader of a spec's dataset: the registered one, or one over the declared image folder. */
    public DatasetFactory dataset(org.sslbench.spec.DatasetRef ref) {
        return ref.folder().<DatasetFactory>map(f -> new org.sslbench.data.folder.FolderDatasetFactory(ref.name(), f))
                .orElseGet(() -> datasets.get(ref.name()));
    }

    public Registry<Backbone> backboneRegistry() {
        return backbones;
    }

    /** Jars or providers that failed to load; everything else is usable. */
    public List<PluginLoader.Problem> problems() {
        return problems;
    }

    /** Names provided twice; non-empty means nothing may run. */
    public List<PluginLoader.Conflict> conflicts() {
        return conflicts;
    }

    /**
     * The one check every command that loads plugins applies before using them, so that
     * {@code validate} and {@code bench} (and list, views, merge, slurm) agree.
     *
     * @throws PluginConflictException when a name is provided twice
     */
    public void requireNoConflicts() throws PluginConflictException {
        if (!conflicts.isEmpty()) {
            throw new PluginConflictException(conflicts);
        }
    }

    @Override
    public String unavailable(String kind, String name) {
        return skipped.get(kind + ":" + name);
    }

    @Override
    public PresetFile presets(String method) {
        return methods.find(method).filter(m -> pretrains(method)).map(Registries::presetFile).orElse(null);
    }

    /** The text of a method's presets.yaml (Method#presets), or null when it has none. */
    private static PresetFile presetFile(Method m) {
        java.net.URL url = m.presets();
        if (url == null) {
            return null;
        }
        try (var in = url.openStream()) {
            String where = url.getPath();
            int bang = where.indexOf("!/");
            String jar = bang > 0 ? where.substring(where.lastIndexOf('/', bang) + 1, bang) : where;
            return new PresetFile("presets.yaml of method '" + m.name() + "' (" + jar + ")",
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + url, e);
        }
    }

    @Override
    public boolean squareImages(String method) {
        return methods.find(method).map(Method::squareImages).orElse(false);
    }

    @Override
    public boolean pixelFeatures(String method) {
        return methods.find(method).map(Method::pixelFeatures).orElse(false);
    }

    @Override
    public String weightsParam(String method) {
        return methods.find(method).map(Method::weightsParam).orElse(null);
    }

    /** Also says which backbone and dataset an sslbench checkpoint that does not fit was trained with. */
    @Override
    public List<String> weightsMismatches(Path weights, String backbone, org.sslbench.data.ImageShape shape)
            throws IOException {
        org.sslbench.transfer.EncoderWeights found = org.sslbench.transfer.EncoderWeights.read(weights);
        List<String> problems = new java.util.ArrayList<>(org.sslbench.transfer.WeightsCheck.mismatches(
                org.sslbench.transfer.WeightsCheck.expected(backbones.get(backbone), shape), found));
        if (!problems.isEmpty() && found.metadata().containsKey("backbone")) {
            problems.add("(the checkpoint was trained with backbone " + found.metadata().get("backbone") + " on dataset "
                    + found.metadata().getOrDefault("dataset", "?") + ")");
        }
        return problems;
    }

    @Override
    public Map<String, List<Param>> methods() {
        Map<String, List<Param>> out = new LinkedHashMap<>();
        for (var e : methods.entries()) {
            out.put(e.name(), e.value().params());
        }
        return out;
    }

    @Override
    public boolean pretrains(String method) {
        return views(method) > 0;
    }

    @Override
    public int[] foldSizes(String dataset, Path dataDir) throws DataException {
        try {
            return datasets.get(dataset).predefinedFoldSizes(dataDir);
        } catch (RuntimeException e) {
            throw pluginFailure(dataset, "predefinedFoldSizes", e);
        }
    }

    @Override
    public boolean batchNorm(String backbone) {
        return backbones.find(backbone).map(Backbone::batchNorm).orElse(true);
    }

    @Override
    public int views(String method) {
        Method m = methods.get(method);
        return m.views(org.sslbench.method.Params.of(m, Map.of()));
    }

    @Override
    public int views(String method, Map<String, Object> params) {
        Method m = methods.get(method);
        return m.views(org.sslbench.method.Params.of(m, params));
    }

    @Override
    public List<Map<String, Object>> defaultAugment(String method) {
        Method m = methods.get(method);
        return m.augmentations(org.sslbench.method.Params.of(m, Map.of()));
    }

    @Override
    public List<Map<String, Object>> defaultAugment(String method, Map<String, Object> params) {
        Method m = methods.get(method);
        return m.augmentations(org.sslbench.method.Params.of(m, params));
    }

    @Override
    public Set<String> datasets() {
        return new TreeSet<>(datasets.names());
    }

    @Override
    public DatasetInfo describe(String dataset, Path dataDir) throws DataException {
        try {
            return NonEmptySplits.check(dataset, datasets.get(dataset).describe(dataDir));
        } catch (RuntimeException e) {
            throw pluginFailure(dataset, "describe", e);
        }
    }

    /** A dataset provider that threw instead of reporting a DataException: named with its jar, exit 2 like bad data. */
    private DataException pluginFailure(String dataset, String call, RuntimeException e) {
        var entry = datasets.entries().stream().filter(x -> x.name().equals(dataset)).findFirst();
        return new DataException("dataset '" + dataset + "' (from " + entry.map(Registry.Entry::source).orElse("?")
                + ") failed in " + call + ": " + e + "; fix or remove that plugin");
    }

    @Override
    public Set<String> backbones() {
        return new TreeSet<>(backbones.names());
    }

    @Override
    public Set<String> protocols() {
        return protocols;
    }

    @Override
    public List<Param> protocolParams(String protocol) {
        var p = protocolDeclarations.get(protocol);
        return p == null ? List.of() : p.params();
    }

    @Override
    public boolean trainsEncoder(String protocol) {
        var p = protocolDeclarations.get(protocol);
        return p != null && p.trainsEncoder();
    }

    @Override
    public boolean usesUnlabeled(String protocol) {
        var p = protocolDeclarations.get(protocol);
        return p != null && p.usesUnlabeled();
    }

    @Override
    public Map<String, Class<?>> augmentations() {
        return Augmenter.KNOWN;
    }
}
