package org.sslbench.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.method.Param;

/** What exists (methods, datasets, backbones, protocols, augmentations): what a spec is validated against. */
public interface Catalog {
    /** Method name → the hyperparameters it accepts (with defaults). */
    Map<String, List<Param>> methods();

    /** False for methods without a pretext run (the from-scratch baseline). */
    boolean pretrains(String method);

    Set<String> datasets();

    /** Sizes and classes of a dataset without loading pixels. */
    DatasetInfo describe(String dataset, Path dataDir) throws DataException;

    /**
     * Sizes and classes of a dataset of a spec: a registered one by name, or a declared image
     * folder (scanned, not decoded).
     */
    default DatasetInfo describe(DatasetRef dataset, Path dataDir) throws DataException {
        if (dataset.folder().isPresent()) {
            return org.sslbench.data.NonEmptySplits.check(dataset.name(),
                    new org.sslbench.data.folder.FolderDatasetFactory(dataset.name(), dataset.folder().get()).describe(dataDir));
        }
        return describe(dataset.name(), dataDir);
    }

    /** {@link #foldSizes(String, Path)} of a spec's dataset; image folders define no folds. */
    default int[] foldSizes(DatasetRef dataset, Path dataDir) throws DataException {
        return dataset.folder().isPresent() ? new int[0] : foldSizes(dataset.name(), dataDir);
    }

    Set<String> backbones();

    /** Whether backbone {@code name} has BatchNorm layers ({@code bn_momentum} acts on them); true if unsure. */
    default boolean batchNorm(String backbone) {
        return true;
    }

    /** finetune, linear, knn, supcon (org.sslbench.evaluate.Protocols). */
    Set<String> protocols();

    /**
     * The settings a protocol block accepts next to its training keys (Protocol#params): defaults,
     * ranges, descriptions; empty for finetune, linear and knn. The defaults of these three
     * methods are the built-in protocols' declarations (org.sslbench.evaluate.Protocols), so a
     * catalog that lists only names gets them right; Registries answers from the bound protocols.
     */
    default List<Param> protocolParams(String protocol) {
        return org.sslbench.evaluate.Protocols.named(protocol).map(org.sslbench.evaluate.Protocol::params).orElse(List.of());
    }

    /**
     * Whether {@code protocol} trains the encoder (Protocol#trainsEncoder: finetune, supcon,
     * fixmatch): no cells for the pixels baseline; augment and bn_momentum apply.
     */
    default boolean trainsEncoder(String protocol) {
        return org.sslbench.evaluate.Protocols.trainsEncoder(protocol);
    }

    /** Whether {@code protocol} reads the evaluation dataset's unlabeled training split (Protocol#usesUnlabeled). */
    default boolean usesUnlabeled(String protocol) {
        return org.sslbench.evaluate.Protocols.named(protocol).map(org.sslbench.evaluate.Protocol::usesUnlabeled).orElse(false);
    }

    /** Augmentation name → the Java type of its setting (Double, Boolean, ...). */
    Map<String, Class<?>> augmentations();

    /** Sizes of a dataset's predefined label folds (empty when it has none), without loading pixels. */
    default int[] foldSizes(String dataset, Path dataDir) throws DataException {
        return new int[0];
    }

    /** Augmented views per image a method's pretext step takes (0 = no pretext). */
    default int views(String method) {
        return pretrains(method) ? 1 : 0;
    }

    /**
     * Augmented views per image a method's pretext step takes with the spec's {@code params} (all
     * of them, defaults filled in): a multi-crop method's view count depends on them (DINO's
     * {@code local_crops}). Default: {@link #views(String)}.
     */
    default int views(String method, Map<String, Object> params) {
        return views(method);
    }

    /**
     * A method's default pretext augmentation: empty = the harness default, one map = every view,
     * several = pipelines in view order, each making {@code count} views (default 1).
     */
    default List<Map<String, Object>> defaultAugment(String method) {
        return List.of();
    }

    /** {@link #defaultAugment(String)} with the spec's {@code params} (Method#augmentations(Params)). */
    default List<Map<String, Object>> defaultAugment(String method, Map<String, Object> params) {
        return defaultAugment(method);
    }

    /**
     * The method's {@code presets.yaml} (Method#presets), or null when it ships none: a spec then
     * gets the harness defaults and the plugin's param defaults, as with {@code preset: none}.
     */
    default PresetFile presets(String method) {
        return null;
    }

    /** Whether {@code method}'s pretext needs square images (see Method#squareImages). */
    default boolean squareImages(String method) {
        return false;
    }

    /**
     * Whether {@code method}'s linear and kNN features are the normalised pixels rather than an
     * encoder's (see Method#pixelFeatures): it has no finetune cells.
     */
    default boolean pixelFeatures(String method) {
        return false;
    }

    /** The param of {@code method} naming the weights it starts from (see Method#weightsParam), or null. */
    default String weightsParam(String method) {
        return null;
    }

    /**
     * What keeps the encoder weights in {@code weights} (a checkpoint or SavedModel directory) from
     * being loaded into {@code backbone} built for images of {@code shape}: one line per missing,
     * extra or mis-shaped variable; empty when they fit.
     *
     * @throws java.io.IOException when the weights cannot be read at all
     */
    default List<String> weightsMismatches(Path weights, String backbone, org.sslbench.data.ImageShape shape)
            throws java.io.IOException {
        return List.of();
    }

    /**
     * Why no {@code kind} ("method", "dataset", "backbone") named {@code name} is available though a
     * plugin provides one (it was skipped at load for an invalid declaration: "jar: reason"), or
     * null when no plugin of that name was skipped.
     */
    default String unavailable(String kind, String name) {
        return null;
    }
}
