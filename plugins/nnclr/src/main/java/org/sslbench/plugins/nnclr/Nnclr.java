package org.sslbench.plugins.nnclr;

import org.sslbench.train.AugmentRecipes;
import java.util.List;
import java.util.Map;
import org.sslbench.losses.NnclrLoss;
import org.sslbench.losses.TensorMath;
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
 * NNCLR (Dwibedi, Aytar, Tompson, Sermanet &amp; Zisserman, "With a Little Help from My Friends:
 * Nearest-Neighbor Contrastive Learning of Visual Representations", ICCV 2021): SimCLR where each
 * view's L2-normalised projection is replaced, as the anchor, by its nearest neighbour in a
 * support set of past projections, contrasted with the other view's prediction
 * ({@link NnclrLoss}, symmetrised). After every step the normalised view-1 projections of the
 * batch are pushed into the support set (a {@link FeatureQueue}, newest first).
 *
 * <p>Heads as the paper / solo-learn (solo/methods/nnclr.py@08e027af): projector
 * Linear-BN-ReLU-Linear-BN-ReLU-Linear-BN, predictor Linear-BN-ReLU-Linear; widths default to
 * 512/128/512 instead of 2048/256/4096 and the support set to 4096 (Lightly's CIFAR-10 benchmark;
 * solo-learn 65536, paper 98 304) so a CPU run stays cheap. Augmentation of {@code preset: none}:
 * BYOL's asymmetric pipeline without blur, as solo-learn's CIFAR asymmetric.yaml@24322891, but
 * cropping from 0.2 where solo-learn crops from 0.08 (the {@code small} preset follows solo-learn).
 *
 * <pre>{@code
 * methods:
 *   - name: nnclr
 *     params: {temperature: 0.1, queue_size: 4096, proj_hidden_dim: 512, proj_output_dim: 128, pred_hidden_dim: 512}
 * }</pre>
 */
public final class Nnclr implements Method {
    @Override
    public String name() {
        return "nnclr";
    }

    @Override
    public String description() {
        return "NNCLR: contrastive loss with each projection's nearest neighbour in a support set of past projections as"
                + " the positive for the other view's prediction (Dwibedi et al., ICCV 2021)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("temperature", 0.1, "softmax temperature tau of the contrastive loss (paper: 0.1; solo-learn CIFAR and ImageNet-100: 0.2)")
                        // divides the logits (Dwibedi et al. 2021, eq. 2)
                        .atLeast(Param.MIN_TEMPERATURE),
                new Param("queue_size", 4096, "support-set size: past projections searched for nearest neighbours (paper: 98304; solo-learn: 65536; Lightly CIFAR-10: 4096)").between(1, Param.MAX_QUEUE),
                new Param("proj_hidden_dim", 512, "width of the projector's two hidden layers (paper: 2048)").between(1, Param.MAX_WIDTH),
                new Param("proj_output_dim", 128, "dimension of projections, predictions and support-set rows (paper: 256)").between(1, Param.MAX_WIDTH),
                new Param("pred_hidden_dim", 512, "width of the predictor's hidden layer (paper: 4096)").between(1, Param.MAX_WIDTH));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    @Override
    public List<Map<String, Object>> augmentations() {
        Map<String, Object> first = AugmentRecipes.smallImage(0.2);
        return List.of(first, AugmentRecipes.with(first, "solarize", 0.2));
    }

    /** Projector Linear-BN-ReLU ×2 + Linear-BN, predictor Linear-BN-ReLU-Linear. */
    @Override
    public List<Head> heads(Params p) {
        int dim = p.getInt("proj_output_dim");
        return List.of(Head.mlp("projector", p.getInt("proj_hidden_dim"), dim, 2, true),
                Head.mlp("predictor", p.getInt("pred_hidden_dim"), dim, 1, false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Ops tf = ctx.tf();
        Params p = ctx.params();
        List<Head> heads = heads(p);
        Head projector = heads.get(0);
        Head predictor = heads.get(1);
        int dim = projector.outDim();
        FeatureQueue support = new FeatureQueue(ctx.layers(), "nnclr_support_set", p.getInt("queue_size"), dim);
        View v1 = view(ctx, 0, projector, predictor, support);
        View v2 = view(ctx, 1, projector, predictor, support);
        Operand<TFloat32> loss = NnclrLoss.loss(tf, v1.neighbour(), v2.neighbour(), v1.prediction(), v2.prediction(),
                ctx.batchSize(), p.getDouble("temperature"));
        // mean cosine of z1 and its neighbour, from the lookup the loss used (so it saw the queue before the push)
        Operand<TFloat32> nnSimilarity = TensorMath.mean(tf, tf.reduceSum(tf.math.mul(v1.z(), v1.neighbour()), tf.constant(1)));
        return new Objective() {
            @Override
            public Operand<TFloat32> loss() {
                return loss;
            }

            @Override
            public Map<String, Operand<TFloat32>> metrics() {
                return Map.of("nn_similarity", nnSimilarity);
            }

            @Override
            public Operand<TFloat32> embedding() {
                return v1.z();
            }

            @Override
            public List<Op> afterStep(Ops afterOptimizer) {
                return List.of(support.enqueue(afterOptimizer, v1.z()));
            }
        };
    }

    /** One view's normalised projection, prediction (from the raw projection) and nearest neighbour. */
    private record View(Operand<TFloat32> z, Operand<TFloat32> prediction, Operand<TFloat32> neighbour) {
    }

    private static View view(PretextContext ctx, int v, Head projector, Head predictor, FeatureQueue support) {
        Operand<TFloat32> projection = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(v));
        Operand<TFloat32> prediction = predictor.apply(ctx.layers(), projection, projector.outDim(), true);
        Operand<TFloat32> z = TensorMath.l2Normalize(ctx.tf(), projection);
        return new View(z, prediction, NnclrLoss.nearestNeighbour(ctx.tf(), z, support.values()));
    }
}
