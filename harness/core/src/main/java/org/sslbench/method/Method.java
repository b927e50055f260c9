package org.sslbench.method;

import java.util.List;
import org.sslbench.plugin.Named;

/**
 * A pretraining method, discovered with {@link java.util.ServiceLoader} from the classpath and
 * from every jar in the plugins directory.
 *
 * <p>The harness owns data, augmentation, optimizer, schedule, training loop, checkpoints,
 * evaluation and results. A method only declares its hyperparameters and how many augmented
 * views it wants per image, and builds its pretext objective on top of the encoder it is given.
 *
 * <pre>{@code
 * public final class MyMethod implements Method {
 *     public String name() { return "my-method"; }
 *     public String description() { return "what it does (paper, year)"; }
 *     public List<Param> params() { return List.of(new Param("temperature", 0.1, "softmax temperature")); }
 *     public int views(Params p) { return 2; }
 *     public Objective build(PretextContext ctx) {
 *         var z1 = ctx.encoder().apply(ctx.view(0), true);
 *         var z2 = ctx.encoder().apply(ctx.view(1), true);
 *         return Objective.of(myLoss(ctx.tf(), z1, z2, ctx.params().getDouble("temperature")));
 *     }
 * }
 * }</pre>
 * and list the class in {@code META-INF/services/org.sslbench.method.Method}.
 */
public interface Method extends Named {
    /** Hyperparameters accepted in a spec's {@code params}, with defaults and descriptions. */
    List<Param> params();

    /**
     * Augmented views of each image the harness prepares per pretext step ({@link PretextContext#view}).
     * 0 means the method has no pretext phase: downstream starts from randomly initialised weights
     * (the from-scratch baseline).
     */
    int views(Params params);

    /**
     * Default pretext augmentation (the paper's), overridable key by key in a spec: empty = the
     * harness default, one map = every view, several maps = the pipelines of the views in order
     * (BYOL's asymmetric pair). Keys are those of {@link org.sslbench.train.Augmenter}; with
     * several maps, {@code count: n} makes one map serve n consecutive views, so the counts (default
     * 1) sum to {@link #views}. Multi-crop (Caron et al., SwAV, NeurIPS 2020, section 3.2): 2 global
     * maps then one local map {@code {crop: 0.05, crop_max: 0.4, size: 0.43, count: n}}, whose views
     * are [batch, round(0.43·h), round(0.43·w), c] ({@link PretextContext#viewShape}).
     */
    default List<java.util.Map<String, Object>> augmentations() {
        return List.of();
    }

    /**
     * {@link #augmentations()} for the given params, for pipelines that depend on them (a
     * multi-crop method's {@code local_crops} sets the local pipeline's {@code count}). The harness
     * always calls this one (spec resolution, plugin-load checks with the default params, list,
     * views); default: {@link #augmentations()}.
     */
    default List<java.util.Map<String, Object>> augmentations(Params params) {
        return augmentations();
    }

    /**
     * For a method without a pretext phase ({@link #views} 0): the name of its String param that
     * holds the encoder weights downstream starts from (an sslbench {@code .ckpt} checkpoint or a
     * SavedModel directory written by {@code sslbench export}), instead of a random initialisation.
     * Null (the default) = random weights, the from-scratch baseline. The harness checks the file
     * against each backbone of the spec before any training (names and shapes, exit 2 on a
     * mismatch) and puts its content hash ({@code weights_sha256}) into the cell identity.
     */
    default String weightsParam() {
        return null;
    }

    /**
     * Whether the pretext needs square images (height = width), e.g. because it rotates them by
     * 90° (RotNet). True makes the harness refuse, at the spec line of the dataset's
     * {@code image_size}, a spec that runs this method on non-square images (exit 2 by validate and
     * bench) instead of failing the pretext run after other cells trained. Default false: the
     * harness's augmentations (crop, flip, shift, blur, colour) work on any height × width.
     */
    default boolean squareImages() {
        return false;
    }

    /**
     * Whether the method has no encoder at all and its "features" are the image itself: the
     * normalised pixels (as the spec's {@code preprocess} gives them to every encoder), flattened
     * to h·w·c values per image in height, width, channel order. True makes the frozen-feature
     * protocols (linear, kNN) read those instead of an encoder's output, through the same
     * {@link org.sslbench.evaluate.EncoderFeatures} path, and leaves out the protocols that train an
     * encoder ({@code finetune}): the raw-pixel floor any encoder must beat. Requires {@link #views}
     * 0 and no {@link #weightsParam} (a plugin declaring otherwise is skipped at load). Default false.
     */
    default boolean pixelFeatures() {
        return false;
    }

    /**
     * The method's presets (README "Method presets"): a {@code presets.yaml} resource holding, per
     * image scale ({@code small}: up to 64 px; {@code imagenet}: larger), its params and pretext
     * settings, each value with the published configuration it comes from or the reason it
     * deviates. A spec picks one with {@code preset: <name>} and overrides any key; without one it
     * gets the preset of its images' scale. Default: {@code presets.yaml} in this class's package,
     * or null when there is none (the harness defaults apply, as with {@code preset: none}). The
     * harness checks the file when it loads the method (format: org.sslbench.spec.Presets).
     */
    default java.net.URL presets() {
        return getClass().getResource("presets.yaml");
    }

    /**
     * The projection and prediction heads {@link #build} puts on the encoder, as data, in order:
     * the first takes the encoder's features, each next one the previous one's output (e.g. BYOL:
     * projector, then predictor). Target or momentum copies of a head are not listed (same shape).
     * {@code list} shows them with each backbone's feature dim ({@code projector: 512 → 2048 (BN, ReLU) → 128});
     * build() should create its heads from this list so that the listing cannot drift from what is
     * trained. Empty (the default) = no head, or none described.
     */
    default List<Head> heads(Params params) {
        return List.of();
    }

    /** Builds the pretext objective in the context's graph. Not called when {@link #views} is 0. */
    Objective build(PretextContext ctx);
}
