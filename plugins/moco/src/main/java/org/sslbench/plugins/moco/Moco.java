package org.sslbench.plugins.moco;

import java.util.ArrayList;
import org.sslbench.train.AugmentRecipes;
import java.util.List;
import java.util.Map;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Net;
import org.sslbench.losses.InfoNceLoss;
import org.sslbench.losses.TensorMath;
import org.sslbench.method.Ema;
import org.sslbench.method.FeatureQueue;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MoCo v2 (Chen, Fan, Girshick &amp; He, "Improved Baselines with Momentum Contrastive Learning",
 * arXiv:2003.04297, 2020; MoCo v1: He, Fan, Wu, Xie &amp; Girshick, "Momentum Contrast for
 * Unsupervised Visual Representation Learning", CVPR 2020). A query encoder + MLP projector is
 * trained with InfoNCE ({@link InfoNceLoss}, MoCo eq. 1): the positive is the other view's key
 * from a momentum copy of encoder and projector (EMA, MoCo eq. 2), the negatives a FIFO queue of
 * past keys. After each optimizer step the key network moves by {@code k ← m·k + (1−m)·q} and the
 * step's keys are enqueued. m is constant unless {@code final_momentum} is set: then it rises from
 * {@code momentum} to {@code final_momentum} on a cosine over training, as solo-learn's MoCo v2+
 * (scripts/pretrain/cifar/mocov2plus.yaml@1df0b89d: base_tau 0.99, final_tau 0.999).
 *
 * <pre>{@code
 * methods:
 *   - name: moco
 *     params: {temperature: 0.2, momentum: 0.99, final_momentum: 0.999, queue_size: 4096, symmetric: true}
 * }</pre>
 *
 * <p>Not reproduced: MoCo's shuffling BN (it needs several devices); on a BatchNorm backbone the
 * key encoder normalises with its own batch statistics.
 */
public final class Moco implements Method {
    static final String KEY_ENCODER = "key_encoder";
    static final String PROJECTOR = "projector";
    static final String KEY_PROJECTOR = "key_projector";
    static final String QUEUE = "moco/queue";
    /** {@code final_momentum} value meaning "no schedule": m stays at {@code momentum}. */
    static final double CONSTANT = -1;

    @Override
    public String name() {
        return "moco";
    }

    @Override
    public String description() {
        return "MoCo v2: InfoNCE against a momentum key encoder and a queue of negatives (Chen et al. 2020; He et al., CVPR 2020)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("temperature", 0.2, "softmax temperature of InfoNCE (MoCo v2: 0.2; v1: 0.07)")
                        // InfoNCE divides logits by tau (He et al. 2020, eq. 1)
                        .atLeast(Param.MIN_TEMPERATURE),
                new Param("momentum", 0.99, "EMA momentum m of the key encoder and projector, at the start of training when"
                        + " final_momentum is set (paper 0.999 constant; solo-learn's MoCo v2+ configs start at 0.99;"
                        + " Lightly's CIFAR-10 benchmark keeps 0.99 constant)")
                        // theta_k <- m theta_k + (1 - m) theta_q is an average only for m in [0, 1] (He et al. 2020, eq. 2;
                        // their ablation spans m = 0 to 0.9999).
                        .between(0, 1),
                new Param("final_momentum", CONSTANT, "EMA momentum at the end of training, reached on a cosine from"
                        + " momentum (solo-learn MoCo v2+: 0.99 -> 0.999); -1 keeps m constant at momentum")
                        // -1 is the "no schedule" marker; otherwise an EMA rate in [0, 1] like momentum
                        .between(CONSTANT, 1),
                new Param("queue_size", 4096, "negative keys kept in the queue (paper 65536 on ImageNet; solo-learn's CIFAR"
                        + " config 32768; 4096 as Lightly's CIFAR-10 benchmark)")
                        // a [size, dim] variable: at least one negative
                        .between(1, Param.MAX_QUEUE),
                new Param("proj_hidden_dim", 512, "hidden width of the Linear-ReLU-Linear projector (MoCo v2: 2048)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_hidden"),
                new Param("proj_output_dim", 128, "projector output width, the contrasted embedding (MoCo v2: 128)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_dim"),
                new Param("symmetric", false, "also contrast view 2's query with view 1's key and average the two losses"
                        + " (MoCo v3 / solo-learn MoCo v2+); both views' keys are then enqueued"));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    /**
     * The augmentation of {@code preset: none}, the same for both views: crop (min scale 0.2, as MoCo
     * v2's own ImageNet code, facebookresearch/moco main_moco.py@010242b7), flip, colour jitter
     * 0.4/0.4/0.4/0.1 with p 0.8, grayscale p 0.2, and no Gaussian blur, as Lightly's CIFAR-10
     * benchmark (cifar10_benchmark.py@0351a522: SimCLRCollateFunction with gaussian_blur 0). MoCo v2
     * and solo-learn's CIFAR config (symmetric_weak.yaml@24322891) blur with p 0.5 and crop from
     * 0.08; the presets follow solo-learn.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(AugmentRecipes.with(AugmentRecipes.smallImage(0.4), "blur", 0.0));
    }

    /** MoCo v2's head: fc-ReLU-fc, no BatchNorm (the key projector is its momentum copy). */
    @Override
    public List<Head> heads(Params p) {
        return List.of(Head.of(PROJECTOR, new Head.Block(p.getInt("proj_hidden_dim"), false, true),
                new Head.Block(p.getInt("proj_output_dim"), false, false)));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Params p = ctx.params();
        Ops tf = ctx.tf();
        int batch = ctx.batchSize();
        boolean symmetric = p.getBoolean("symmetric");
        Encoder encoder = ctx.encoder();
        Head projector = heads(p).get(0);
        Head keyProjector = new Head(KEY_PROJECTOR, projector.blocks());
        Encoder keyEncoder = ctx.targetEncoder(KEY_ENCODER);
        ctx.freeze(KEY_PROJECTOR);
        ctx.initializeAsCopy(PROJECTOR, KEY_PROJECTOR);
        FeatureQueue queue = new FeatureQueue(ctx.layers(), QUEUE, p.getInt("queue_size"), projector.outDim());

        Operand<TFloat32> q1 = projector.applyOver(ctx.layers(), encoder, ctx.view(0));
        Operand<TFloat32> k2 = key(ctx, keyProjector, keyEncoder, 1);
        Operand<TFloat32> loss;
        Operand<TFloat32> keys;
        if (symmetric) {
            Operand<TFloat32> q2 = projector.applyOver(ctx.layers(), encoder, ctx.view(1));
            Operand<TFloat32> k1 = key(ctx, keyProjector, keyEncoder, 0);
            loss = InfoNceLoss.symmetric(tf, q1, q2, k1, k2, queue.values(), p.getDouble("temperature"), batch);
            keys = tf.concat(List.of(k2, k1), tf.constant(0));
        } else {
            loss = InfoNceLoss.withQueue(tf, q1, k2, queue.values(), p.getDouble("temperature"), batch);
            keys = k2;
        }
        return new MocoObjective(loss, q1, TensorMath.l2Normalize(tf, keys), queue, ctx.layers().net(),
                encoder.scope(), momentum(tf, p, ctx));
    }

    /**
     * m at this step: {@code momentum} constant, or (final_momentum ≥ 0) the cosine from momentum to
     * final_momentum over training progress (solo-learn solo/utils/momentum.py@2f8a8b5a).
     */
    static Operand<TFloat32> momentum(Ops tf, Params p, PretextContext ctx) {
        double base = p.getDouble("momentum");
        double end = p.getDouble("final_momentum");
        return end < 0 ? tf.constant((float) base) : Ema.cosineTau(tf, base, end, ctx.progress());
    }

    /** The key of view {@code v}: momentum encoder and projector, no gradient. */
    private static Operand<TFloat32> key(PretextContext ctx, Head keyProjector, Encoder keyEncoder, int v) {
        return ctx.tf().stopGradient(keyProjector.applyOver(ctx.layers(), keyEncoder, ctx.view(v)));
    }

    /**
     * @param embedding the view-1 query projection (collapse monitor)
     * @param keys      this step's normalised keys in enqueue order: view 2's, then (symmetric) view 1's
     */
    record MocoObjective(Operand<TFloat32> loss, Operand<TFloat32> embedding, Operand<TFloat32> keys,
                         FeatureQueue queue, Net net, String encoderScope, Operand<TFloat32> momentum) implements Objective {
        @Override
        public List<Op> afterStep(Ops afterOptimizer) {
            Operand<TFloat32> m = momentum;
            List<Op> ops = new ArrayList<>(Ema.update(afterOptimizer, net, encoderScope, KEY_ENCODER, m));
            ops.addAll(Ema.update(afterOptimizer, net, PROJECTOR, KEY_PROJECTOR, m));
            ops.add(queue.enqueue(afterOptimizer, keys));
            return ops;
        }
    }
}
