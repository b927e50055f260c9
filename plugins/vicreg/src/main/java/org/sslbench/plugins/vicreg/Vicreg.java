package org.sslbench.plugins.vicreg;

import java.util.List;
import org.sslbench.train.AugmentRecipes;
import java.util.Map;
import org.sslbench.losses.VicregLoss;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * VICReg (Bardes, Ponce &amp; LeCun, "VICReg: Variance-Invariance-Covariance Regularization for
 * Self-Supervised Learning", ICLR 2022): two augmented views go through the encoder and an expander
 * (Linear-BN-ReLU ×2 + Linear); the loss ({@link VicregLoss}) keeps the two embeddings close
 * (invariance), every dimension's std above γ (variance) and different dimensions uncorrelated
 * (covariance), each branch regularised on its own.
 *
 * <pre>{@code
 * methods:
 *   - name: vicreg
 *     params: {proj_hidden_dim: 512, proj_output_dim: 512, lambda: 25, mu: 25, nu: 1}   # paper: 8192 wide
 * }</pre>
 * Logged metrics: {@code invariance}, {@code variance} (v(Z)+v(Z')) and {@code covariance}
 * (c(Z)+c(Z')), unweighted.
 */
public final class Vicreg implements Method {
    @Override
    public String name() {
        return "vicreg";
    }

    @Override
    public String description() {
        return "VICReg: invariance + variance hinge + covariance penalty on two views' embeddings (Bardes et al., ICLR 2022)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("proj_hidden_dim", 512, "width of the expander's two hidden layers (paper 8192; solo-learn 2048; 512 for CPU runs)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("expander_dim"),
                new Param("proj_output_dim", 512, "width of the embeddings the loss compares, the expander's output (paper 8192; solo-learn 2048; 512 for CPU runs)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("expander_dim"),
                new Param("lambda", 25.0, "weight of the invariance term (mean squared distance of the two embeddings)")
                        // Loss-term weights are >= 0 (Bardes et al. 2022, eq. 6); their ablations set single terms to 0.
                        .atLeast(0),
                new Param("mu", 25.0, "weight of the variance term (hinge on each dimension's std, both branches summed)").atLeast(0),
                new Param("nu", 1.0, "weight of the covariance term (squared off-diagonal covariances / dim, both branches)").atLeast(0));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    /**
     * The pipelines of {@code preset: none}: BYOL's asymmetric pair without blur, crop from 0.2
     * (the authors' code, facebookresearch/vicreg augmentations.py@cc1ef4f1, uses BYOL's pair with
     * blur 1.0 / 0.1 and a 0.08 crop). solo-learn's CIFAR config (cifar/vicreg.yaml@1df0b89d) is
     * symmetric instead: crop 0.2, no blur, solarize p 0.1 on both views; the {@code small} preset
     * follows it.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return AugmentRecipes.viewPairWithoutBlur();
    }

    /** The expander (the paper's name for the projector): Linear-BN-ReLU ×2 + Linear. */
    @Override
    public List<Head> heads(Params p) {
        return List.of(Head.mlp("expander", p.getInt("proj_hidden_dim"), p.getInt("proj_output_dim"), 2, false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Params p = ctx.params();
        Head expander = heads(p).get(0);
        Operand<TFloat32> z1 = expand(ctx, expander, 0);
        Operand<TFloat32> z2 = expand(ctx, expander, 1);
        VicregLoss.Terms terms = VicregLoss.build(ctx.tf(), z1, z2, p.getDouble("lambda"), p.getDouble("mu"), p.getDouble("nu"));
        return Objective.of(terms.total(),
                Map.of("invariance", terms.invariance(), "variance", terms.variance(), "covariance", terms.covariance()), z1);
    }

    /** Embedding of view {@code v}, reshaped to the static [batch, dim] the loss needs. */
    private static Operand<TFloat32> expand(PretextContext ctx, Head head, int v) {
        Operand<TFloat32> z = head.applyOver(ctx.layers(), ctx.encoder(), ctx.view(v));
        return ctx.tf().reshape(z, ctx.tf().constant(new int[] {ctx.batchSize(), head.outDim()}));
    }
}
