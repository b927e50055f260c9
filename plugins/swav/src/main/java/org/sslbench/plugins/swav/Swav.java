package org.sslbench.plugins.swav;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sslbench.engine.Init;
import org.sslbench.engine.Role;
import org.sslbench.losses.SinkhornKnopp;
import org.sslbench.losses.SwavLoss;
import org.sslbench.method.FeatureQueue;
import org.sslbench.method.Feeds;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.sslbench.train.AugmentRecipes;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * SwAV (Caron, Misra, Mairal, Goyal, Bojanowski &amp; Joulin, "Unsupervised Learning of Visual
 * Features by Contrasting Cluster Assignments", NeurIPS 2020): each crop's L2-normalised projection
 * z is scored against K learnable prototypes C (a bias-free linear layer, scores zᵀC); the codes
 * of the two global crops are computed online by Sinkhorn-Knopp under an equipartition constraint
 * ({@link SinkhornKnopp}, eq. 3) and every other crop predicts them (swapped prediction,
 * {@link SwavLoss}, eq. 1–2). With {@code local_crops} &gt; 0 the method asks for 2 + local_crops
 * views (multi-crop, §3.2): views 0 and 1 are the global crops that give codes, all crops predict.
 *
 * <p>As facebookresearch/swav main_swav.py@5e073db0 and solo-learn solo/methods/swav.py@3b357ee5:
 * projector Linear-BN-ReLU-Linear (solo-learn's; swav's ResNet-50 head is the same), prototypes
 * frozen for the first {@code freeze_prototypes_epochs} (solo-learn; swav counts iterations,
 * {@code freeze_prototypes_niters}), an optional queue of past projections per global crop that
 * joins the Sinkhorn batch from {@code epoch_queue_starts} on. Differences, each for a reason:
 * <ul>
 * <li>Prototype normalisation: swav L2-normalises each prototype <em>before</em> every step;
 *     here it is an after-step op ({@link Objective#afterStep}) and the prototypes start as unit
 *     vectors, so every step sees unit prototypes all the same. solo-learn instead reparametrises
 *     them with weight_norm (g fixed to 1), which also differentiates through the norm.</li>
 * <li>Freezing: the prototypes get a zero gradient (their scores use
 *     {@code W·(1−f) + stopGradient(W)·f} with a fed f = 1 while frozen) instead of swav's
 *     {@code p.grad = None}, since the harness's optimizer builds one update per variable. With
 *     LARS a zero gradient means no update at all (no trust ratio, no decay, as solo-learn's LARS);
 *     with SGD the coupled weight decay still scales each prototype by (1 − lr·wd), which the
 *     normalisation undoes; with Adam and weight decay the prototypes drift slightly.</li>
 * <li>Queue: filled from the first step (as solo-learn) and used from epoch
 *     {@code epoch_queue_starts} once it is full (as swav; solo-learn uses it from that epoch even
 *     while parts are still zeros). Rows not yet in use are masked out of Sinkhorn-Knopp.</li>
 * <li>BatchNorm statistics per view (as the other sslbench methods and solo-learn), where swav's
 *     backbone batches the crops of each resolution together and its head all crops.</li>
 * </ul>
 * Defaults are CPU-sized after Lightly's CIFAR-10 benchmark (docs/source/getting_started/benchmarks/
 * cifar10_benchmark.py@0351a522: SwaVProjectionHead(512, 512, 128), SwaVPrototypes(128, 512)); the
 * {@code small}/{@code imagenet} presets follow solo-learn.
 *
 * <pre>{@code
 * methods:
 *   - name: swav
 *     params: {num_prototypes: 512, temperature: 0.1, sinkhorn_epsilon: 0.05, queue_size: 0, local_crops: 0}
 * }</pre>
 */
public final class Swav implements Method {
    /** The prototype layer's head name (listed by {@link #heads}). */
    static final String PROTOTYPE_HEAD = "prototypes";
    /** Variable name of the prototypes, [proj_output_dim, num_prototypes], one unit column per prototype. */
    public static final String PROTOTYPES = PROTOTYPE_HEAD + "/fc0/kernel";
    /** Names of the fed flags: 1 while the prototypes are frozen / while the queue takes part in the codes. */
    static final String FROZEN_INPUT = "swav_prototypes_frozen";
    static final String QUEUE_INPUT = "swav_queue_in_use";
    /** Codes come from the first two crops (swav's {@code crops_for_assign} 0 1). */
    static final int GLOBAL_CROPS = 2;
    /** Side of a local crop as a fraction of the image's: 96 px against 224 px (swav_800ep_pretrain.sh@04b8f431 --size_crops 224 96). */
    static final double LOCAL_SIZE = 0.43; // 96/224 = 0.4286 rounded as specs write it: the same 96 px on 224 px images (and 14 px on 32 px)

    @Override
    public String name() {
        return "swav";
    }

    @Override
    public String description() {
        return "SwAV: each crop predicts the other crops' Sinkhorn-Knopp prototype assignments (swapped prediction;"
                + " Caron et al., NeurIPS 2020)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("temperature", 0.1, "softmax temperature tau of the swapped prediction (Caron et al. 2020, eq. 2;"
                        + " swav main_swav.py and solo-learn: 0.1)").atLeast(Param.MIN_TEMPERATURE),
                new Param("num_prototypes", 512, "number of prototypes K (paper, swav and solo-learn: 3000; Lightly's"
                        + " CIFAR-10 benchmark: 512)").between(1, Param.MAX_WIDTH),
                new Param("proj_hidden_dim", 512, "width of the projector's hidden layer (swav and solo-learn: 2048;"
                        + " Lightly CIFAR-10: 512)").between(1, Param.MAX_WIDTH),
                new Param("proj_output_dim", 128, "dimension of the normalised projection the prototypes score (swav,"
                        + " solo-learn and Lightly: 128)").between(1, Param.MAX_WIDTH),
                new Param("sinkhorn_epsilon", 0.05, "entropy weight epsilon of the Sinkhorn-Knopp codes (eq. 3; swav and"
                        + " solo-learn: 0.05)").atLeast(1e-4),
                new Param("sinkhorn_iterations", 3, "Sinkhorn-Knopp normalisation rounds (swav and solo-learn: 3)")
                        .between(1, 100),
                new Param("queue_size", 0, "past projections per global crop added to the Sinkhorn batch, 0 = no queue"
                        + " (swav default 0, its small-batch runs 3840; solo-learn: 3840)").between(0, Param.MAX_QUEUE),
                new Param("epoch_queue_starts", 15, "first epoch (0-based) whose codes may use the queue, once it is full"
                        + " (swav and solo-learn defaults: 15; solo-learn CIFAR/ImageNet-100: 50)").between(0, 1_000_000),
                new Param("freeze_prototypes_epochs", 1, "epochs at the start during which the prototypes are not updated"
                        + " (solo-learn default 1, its configs 2; swav: 313 to 5005 iterations)").between(0, 1_000_000),
                new Param("normalize_prototypes", true, "L2-normalise every prototype after each step, so the scores are"
                        + " cosines (swav main_swav.py: before each step)"),
                new Param("local_crops", 0, "extra (local) crops per image besides the 2 global ones; they predict"
                        + " the global crops' codes (multi-crop, Caron et al. 2020 section 3.2; swav_800ep_pretrain.sh@04b8f431: 6 local"
                        + " crops of 96 px, area 0.05-0.14, next to 2 of 224 px, area 0.14-1; solo-learn's CIFAR and"
                        + " ImageNet-100 configs 0); the local crops' pipeline is the method's own (size 96/224,"
                        + " augmentations(params)), also under a preset").between(0, 32));
    }

    @Override
    public int views(Params params) {
        return GLOBAL_CROPS + params.getInt("local_crops");
    }

    /**
     * SimCLR's colour distortion at strength 0.5 on every view (as SimCLR's default here); SwAV's
     * and solo-learn's recipes (jitter 0.8/0.8/0.8/0.2, blur) are in the presets.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(AugmentRecipes.smallImage(0.4));
    }

    /**
     * With {@code local_crops} &gt; 0, SwAV's multi-crop pipelines (facebookresearch/swav
     * scripts/swav_800ep_pretrain.sh@04b8f431: {@code --nmb_crops 2 6 --size_crops 224 96
     * --min_scale_crops 0.14 0.05 --max_scale_crops 1. 0.14}): two global pipelines cropping from
     * 0.14 to 1, then one local pipeline with {@code count: local_crops}, {@code crop: 0.05,
     * crop_max: 0.14, size: 96/224 ≈ 0.43}; every crop takes swav's colour transform
     * (src/multicropdataset.py@04b8f431: flip p 0.5, ColorJitter(0.8, 0.8, 0.8, 0.2) with p 0.8,
     * grayscale p 0.2, Gaussian blur p 0.5). Without local crops, {@link #augmentations()}
     * (unchanged, so those cells keep their hashes).
     */
    @Override
    public List<Map<String, Object>> augmentations(Params params) {
        int locals = params.getInt("local_crops");
        if (locals == 0) {
            return augmentations();
        }
        Map<String, Object> global = Map.of("crop", 0.14, "hflip", true, "jitter", 0.8, "brightness", 0.8, "contrast", 0.8,
                "saturation", 0.8, "hue", 0.2, "grayscale", 0.2, "blur", 0.5);
        Map<String, Object> local = AugmentRecipes.localCrops(global, 0.05, 0.14, LOCAL_SIZE, locals);
        return List.of(global, global, local);
    }

    /**
     * {@code projector}: Linear(proj_hidden_dim) → BN → ReLU → Linear(proj_output_dim), its output
     * L2-normalised (swav main_swav.py@5e073db0 / solo-learn swav.py@3b357ee5); {@code prototypes}:
     * a bias-free Linear to {@code num_prototypes} scores z·C, its columns started as random unit
     * vectors (and kept so after each step with {@code normalize_prototypes}).
     */
    @Override
    public List<Head> heads(Params p) {
        int dim = p.getInt("proj_output_dim");
        int k = p.getInt("num_prototypes");
        Head projector = Head.of("projector", new Head.Block(p.getInt("proj_hidden_dim"), true, true),
                new Head.Block(dim, false, false).l2Normalized());
        return List.of(projector, Head.of(PROTOTYPE_HEAD, new Head.Block(k, false, false).withoutBias()).withInit(unitColumns(dim, k)));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Ops tf = ctx.tf();
        Params p = ctx.params();
        int views = views(p);
        int dim = p.getInt("proj_output_dim");
        int k = p.getInt("num_prototypes");
        int queueSize = p.getInt("queue_size");
        int batch = ctx.batchSize();
        double epsilon = p.getDouble("sinkhorn_epsilon");
        int iterations = p.getInt("sinkhorn_iterations");

        List<Head> heads = heads(p);
        Head projector = heads.get(0);
        Head prototypeLayer = heads.get(1);
        Operand<TFloat32> frozen = ctx.input(FROZEN_INPUT, TFloat32.class);
        // gate 1 − frozen: a frozen step leaves the prototypes' gradient at zero
        Operand<TFloat32> trainPrototypes = tf.math.sub(tf.constant(1f), frozen);

        List<Operand<TFloat32>> z = new ArrayList<>();
        List<Operand<TFloat32>> scores = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            Operand<TFloat32> zv = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(v));
            z.add(zv);
            scores.add(prototypeLayer.apply(ctx.layers(), zv, dim, true, trainPrototypes));
        }
        Variable<TFloat32> prototypes = ctx.layers().variable(PROTOTYPES, prototypeLayer.init(), Role.WEIGHT, dim, k, dim, k);

        List<FeatureQueue> queues = new ArrayList<>();
        Operand<TFloat32> queueOn = queueSize > 0 ? ctx.input(QUEUE_INPUT, TFloat32.class) : tf.constant(0f);
        List<Operand<TFloat32>> codes = new ArrayList<>();
        for (int i = 0; i < GLOBAL_CROPS; i++) {
            if (queueSize == 0) {
                codes.add(SinkhornKnopp.codes(tf, scores.get(i), epsilon, iterations));
                continue;
            }
            FeatureQueue queue = new FeatureQueue(ctx.layers(), "swav_queue_" + i, queueSize, dim);
            queues.add(queue);
            Operand<TFloat32> queueScores = tf.linalg.matMul(queue.values(), tf.stopGradient(prototypes));
            Operand<TFloat32> joined = tf.concat(List.of(scores.get(i), queueScores), tf.constant(0));
            Operand<TFloat32> active = tf.concat(List.of(
                    tf.fill(tf.constant(new int[] {batch}), tf.constant(1f)),
                    tf.fill(tf.constant(new int[] {queueSize}), queueOn)), tf.constant(0));
            Operand<TFloat32> all = SinkhornKnopp.codes(tf, joined, active, epsilon, iterations);
            codes.add(tf.slice(all, tf.constant(new int[] {0, 0}), tf.constant(new int[] {batch, k})));
        }
        Operand<TFloat32> loss = SwavLoss.loss(tf, scores, codes, p.getDouble("temperature"));
        // a fed placeholder cannot be fetched in the same run: the metrics read copies
        Map<String, Operand<TFloat32>> metrics = queueSize > 0
                ? Map.of("prototypes_frozen", tf.identity(frozen), "queue_in_use", tf.identity(queueOn))
                : Map.of("prototypes_frozen", tf.identity(frozen));
        return new SwavObjective(p, ctx.stepsPerEpoch(), batch, loss, z.get(0), prototypes, frozen, queueOn, metrics, queues,
                z.subList(0, GLOBAL_CROPS), codes);
    }

    /** Random unit columns: the prototypes start normalised, as swav normalises before its first step. */
    private static Init unitColumns(int dim, int k) {
        return (size, fanIn, fanOut, rng) -> {
            float[] w = Init.heNormal().values(size, fanIn, fanOut, rng);
            for (int col = 0; col < k; col++) {
                double norm = 0;
                for (int r = 0; r < dim; r++) {
                    norm += w[r * k + col] * w[r * k + col];
                }
                float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
                for (int r = 0; r < dim; r++) {
                    w[r * k + col] *= inv;
                }
            }
            return w;
        };
    }

    /** The objective, with the flags it feeds each step and the handles tests read. */
    static final class SwavObjective implements Objective {
        private final boolean normalize;
        private final int freezeEpochs;
        private final int queueStartEpoch;
        private final int queueSize;
        private final int stepsPerEpoch;
        private final int batch;
        private final Operand<TFloat32> loss;
        private final Operand<TFloat32> embedding;
        private final Variable<TFloat32> prototypes;
        private final Operand<TFloat32> frozen;
        private final Operand<TFloat32> queueOn;
        private final Map<String, Operand<TFloat32>> metrics;
        private final List<FeatureQueue> queues;
        private final List<Operand<TFloat32>> globalZ;
        private final List<Operand<TFloat32>> codes;

        SwavObjective(Params p, int stepsPerEpoch, int batch, Operand<TFloat32> loss, Operand<TFloat32> embedding,
                      Variable<TFloat32> prototypes, Operand<TFloat32> frozen, Operand<TFloat32> queueOn,
                      Map<String, Operand<TFloat32>> metrics, List<FeatureQueue> queues, List<Operand<TFloat32>> globalZ, List<Operand<TFloat32>> codes) {
            this.normalize = p.getBoolean("normalize_prototypes");
            this.freezeEpochs = p.getInt("freeze_prototypes_epochs");
            this.queueStartEpoch = p.getInt("epoch_queue_starts");
            this.queueSize = p.getInt("queue_size");
            this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
            this.batch = batch;
            this.loss = loss;
            this.embedding = embedding;
            this.prototypes = prototypes;
            this.frozen = frozen;
            this.queueOn = queueOn;
            this.metrics = metrics;
            this.queues = queues;
            this.globalZ = globalZ;
            this.codes = codes;
        }

        @Override
        public Operand<TFloat32> loss() {
            return loss;
        }

        /** The normalised projection of view 0 (what the prototypes score). */
        @Override
        public Operand<TFloat32> embedding() {
            return embedding;
        }

        /**
         * {@code prototypes_frozen} and {@code queue_in_use}: the share of the epoch's steps with the
         * prototypes frozen and with the queue in the codes.
         */
        @Override
        public Map<String, Operand<TFloat32>> metrics() {
            return metrics;
        }

        /** Prototype normalisation (read after the optimizer's update) and the queues' push of this step's z. */
        @Override
        public List<Op> afterStep(Ops afterOptimizer) {
            List<Op> ops = new ArrayList<>();
            if (normalize) {
                Operand<TFloat32> sq = afterOptimizer.reduceSum(afterOptimizer.math.square(prototypes),
                        afterOptimizer.constant(0), ReduceSum.keepDims(true));
                ops.add(afterOptimizer.assign(prototypes, afterOptimizer.math.mul(prototypes,
                        afterOptimizer.math.rsqrt(afterOptimizer.math.maximum(sq, afterOptimizer.constant(1e-24f))))));
            }
            for (int i = 0; i < queues.size(); i++) {
                ops.add(queues.get(i).enqueue(afterOptimizer, globalZ.get(i)));
            }
            return ops;
        }

        @Override
        public void feed(StepBatch b, Feeds feeds) {
            long epoch = b.step() / stepsPerEpoch;
            feeds.floats(frozen, new float[] {epoch < freezeEpochs ? 1f : 0f});
            if (queueSize > 0) {
                feeds.floats(queueOn, new float[] {queueInUse(b.step(), epoch) ? 1f : 0f});
            }
        }

        /** From epoch {@code epoch_queue_starts} on, once the pushes so far (one batch per step) filled it. */
        boolean queueInUse(long step, long epoch) {
            return queueSize > 0 && epoch >= queueStartEpoch && step * batch >= queueSize;
        }

        /** The codes of the global crops, [batch, K] each (for tests). */
        List<Operand<TFloat32>> codes() {
            return codes;
        }

        List<FeatureQueue> queues() {
            return queues;
        }
    }
}
