package org.sslbench.plugins.barlow;

import java.util.List;
import org.sslbench.train.AugmentRecipes;
import java.util.Map;
import org.sslbench.losses.BarlowTwinsLoss;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Barlow Twins (Zbontar, Jing, Misra, LeCun &amp; Deny, "Barlow Twins: Self-Supervised Learning via
 * Redundancy Reduction", ICML 2021): two augmented views go through the encoder and a projector
 * (Linear-BN-ReLU ×2 + Linear); the cross-correlation matrix of the two projections, standardised
 * over the batch, is pushed towards the identity ({@link BarlowTwinsLoss}). No negatives, no
 * momentum encoder, no stop-gradient: the off-diagonal term alone prevents collapse.
 *
 * <pre>{@code
 * methods:
 *   - name: barlow
 *     params: {proj_hidden_dim: 512, proj_output_dim: 512, lambda: 0.005, scale_loss: 1.0}   # paper: 8192 wide, λ 0.0051
 * }</pre>
 * The loss is {@code scale_loss · (invariance + λ·redundancy)}: solo-learn multiplies it by
 * {@code scale_loss} (solo/losses/barlow.py@2269ce64; 0.1 in scripts/pretrain/cifar/barlow.yaml@07f8c3bb),
 * the paper and Lightly do not (1.0, the default). Logged metrics: {@code invariance} (Σ(1−C_ii)²)
 * and {@code redundancy} (Σ_{i≠j} C_ij², before λ), both unscaled.
 */
public final class BarlowTwins implements Method {
    @Override
    public String name() {
        return "barlow";
    }

    @Override
    public String description() {
        return "Barlow Twins: cross-correlation of two views' projections pushed to the identity (Zbontar et al., ICML 2021)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("proj_hidden_dim", 512, "width of the projector's two hidden layers (paper 8192; solo-learn 2048; 512 for CPU runs)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_dim"),
                new Param("proj_output_dim", 512, "width of the projection whose cross-correlation is taken (paper 8192; solo-learn 2048; 512 for CPU runs)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_dim"),
                new Param("lambda", BarlowTwinsLoss.DEFAULT_LAMBDA,
                        "weight of the redundancy-reduction (off-diagonal) term against the invariance (diagonal) term"
                                + " (paper code and solo-learn 0.0051; Lightly 5e-3)")
                        // A non-negative trade-off weight (Zbontar et al. 2021, eq. 1; 0 leaves only the invariance term).
                        .atLeast(0),
                new Param("scale_loss", 1.0, "factor on the whole loss (solo-learn's scale_loss: 0.1 in its CIFAR and"
                        + " ImageNet-100 configs; 1 = the paper's and Lightly's unscaled loss)")
                        // a positive factor: 0 would leave nothing to train
                        .greaterThan(0));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    /**
     * The view pair of {@code preset: none}: BYOL's asymmetric pipeline (as the paper) without blur,
     * solarization 0 / 0.2, crop from 0.2. solo-learn's CIFAR config (asymmetric.yaml@24322891) is
     * the same but crops from 0.08; the presets follow it.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return AugmentRecipes.viewPairWithoutBlur();
    }

    /** The projector: Linear-BN-ReLU ×2 + Linear. */
    @Override
    public List<Head> heads(Params p) {
        return List.of(Head.mlp("projector", p.getInt("proj_hidden_dim"), p.getInt("proj_output_dim"), 2, false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Head projector = heads(ctx.params()).get(0);
        Operand<TFloat32> z1 = project(ctx, projector, 0);
        Operand<TFloat32> z2 = project(ctx, projector, 1);
        BarlowTwinsLoss.Terms terms = BarlowTwinsLoss.build(ctx.tf(), z1, z2, ctx.params().getDouble("lambda"));
        Operand<TFloat32> loss = ctx.tf().math.mul(ctx.tf().constant((float) ctx.params().getDouble("scale_loss")), terms.total());
        return Objective.of(loss, Map.of("invariance", terms.invariance(), "redundancy", terms.redundancy()), z1);
    }

    /** Projection of view {@code v}, reshaped to the static [batch, dim] the loss's masks need. */
    private static Operand<TFloat32> project(PretextContext ctx, Head head, int v) {
        Operand<TFloat32> z = head.applyOver(ctx.layers(), ctx.encoder(), ctx.view(v));
        return ctx.tf().reshape(z, ctx.tf().constant(new int[] {ctx.batchSize(), head.outDim()}));
    }
}
