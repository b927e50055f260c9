package org.sslbench.plugins.simsiam;

import java.util.List;
import org.sslbench.train.AugmentRecipes;
import java.util.Map;
import org.sslbench.losses.NegativeCosineLoss;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * SimSiam (Chen &amp; He, "Exploring Simple Siamese Representation Learning", CVPR 2021): two
 * augmented views go through the encoder and a projector (Linear-BN-ReLU ×2 + Linear-BN) giving z;
 * a bottleneck predictor (Linear-BN-ReLU + Linear) maps each z to p, and each view's p is pulled
 * towards the other view's z under a stop-gradient ({@link NegativeCosineLoss}). The stop-gradient
 * is what prevents collapse; there are no negatives and no momentum encoder.
 *
 * <pre>{@code
 * methods:
 *   - name: simsiam
 *     params: {proj_hidden_dim: 512, proj_output_dim: 512, pred_hidden_dim: 128}   # paper: 2048, 2048 and 512
 * }</pre>
 */
public final class SimSiam implements Method {
    @Override
    public String name() {
        return "simsiam";
    }

    @Override
    public String description() {
        return "SimSiam: predict one view's projection from the other's under a stop-gradient (Chen & He, CVPR 2021)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("proj_hidden_dim", 512, "width of the projector's two hidden layers (paper and solo-learn 2048; 512 for CPU runs)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_dim"),
                new Param("proj_output_dim", 512, "width of z and p, the projector's and predictor's output (paper and solo-learn 2048; 512 for CPU runs)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_dim"),
                new Param("pred_hidden_dim", 128, "width of the predictor's bottleneck layer (paper and solo-learn 512, a quarter of proj_output_dim)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("predictor_hidden"));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    /**
     * The pipeline of {@code preset: none}, the paper's symmetric one (facebookresearch/simsiam
     * main_simsiam.py@39ac33e6: crop min scale 0.2, flip, jitter 0.4/0.4/0.4/0.1 at p 0.8,
     * grayscale 0.2) without its blur (p 0.5), as Lightly's CIFAR-10 benchmark (no blur, crop 0.08).
     * solo-learn's CIFAR config (symmetric_weak.yaml@24322891) keeps the blur at p 0.5 and crops
     * from 0.08; the {@code small} preset follows solo-learn.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(AugmentRecipes.smallImage(0.4));
    }

    /** Projector Linear-BN-ReLU ×2 + Linear-BN, then the bottleneck predictor Linear-BN-ReLU + Linear. */
    @Override
    public List<Head> heads(Params p) {
        int dim = p.getInt("proj_output_dim");
        return List.of(Head.mlp("projector", p.getInt("proj_hidden_dim"), dim, 2, true),
                Head.mlp("predictor", p.getInt("pred_hidden_dim"), dim, 1, false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        List<Head> heads = heads(ctx.params());
        Head projector = heads.get(0);
        Head predictor = heads.get(1);
        int dim = projector.outDim();
        Operand<TFloat32> z1 = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(0));
        Operand<TFloat32> z2 = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(1));
        Operand<TFloat32> p1 = predictor.apply(ctx.layers(), z1, dim, true);
        Operand<TFloat32> p2 = predictor.apply(ctx.layers(), z2, dim, true);
        Operand<TFloat32> loss = NegativeCosineLoss.symmetric(ctx.tf(), p1, p2, z1, z2);
        return Objective.of(loss, Map.of(), z1);
    }
}
