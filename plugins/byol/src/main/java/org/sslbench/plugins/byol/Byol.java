package org.sslbench.plugins.byol;

import java.util.ArrayList;
import org.sslbench.train.AugmentRecipes;
import java.util.List;
import java.util.Map;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Net;
import org.sslbench.losses.NormalizedMseLoss;
import org.sslbench.method.Ema;
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
 * BYOL (Grill et al., "Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning",
 * NeurIPS 2020). The online network (encoder → projector → predictor) regresses the target
 * network's projection of the other view with {@link NormalizedMseLoss} (eq. 2, symmetrised
 * L + L̃); the target (encoder + projector) is an EMA of the online one whose decay τ rises from
 * τ₀ to 1 on a cosine over training (§3.2): {@code ξ ← τ·ξ + (1−τ)·θ} (eq. 1) after every step.
 * BatchNorm runs on batch statistics in both networks, as in the paper.
 *
 * <pre>{@code
 * methods:
 *   - name: byol
 *     params: {tau: 0.99, proj_hidden_dim: 1024, proj_output_dim: 256, pred_hidden_dim: 1024}
 * }</pre>
 */
public final class Byol implements Method {
    static final String PROJECTOR = "projector";
    static final String PREDICTOR = "predictor";
    static final String TARGET_ENCODER = "target_encoder";
    static final String TARGET_PROJECTOR = "target_projector";

    @Override
    public String name() {
        return "byol";
    }

    @Override
    public String description() {
        return "BYOL: predict an EMA target network's projection of the other view (Grill et al., NeurIPS 2020)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("tau", 0.99, "base EMA decay tau_0 of the target, raised to 1 on a cosine over training"
                        + " (paper 0.996; 0.99 as solo-learn's CIFAR and ImageNet-100 byol.yaml; Lightly's CIFAR-10 benchmark keeps 0.99 constant)")
                        // An EMA decay: tau in [0, 1] (Grill et al. 2020, sec. 3.1; their Table 5a spans tau_base 0 to 1).
                        .between(0, 1),
                new Param("proj_hidden_dim", 1024, "hidden width of the Linear-BN-ReLU-Linear projector (paper and solo-learn 4096; Lightly CIFAR-10 1024)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_hidden"),
                new Param("proj_output_dim", 256, "projector (and predictor) output width (paper 256)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("projector_dim"),
                new Param("pred_hidden_dim", 1024, "hidden width of the predictor, same shape as the projector (paper and solo-learn CIFAR 4096, solo-learn ImageNet-100 8192; Lightly CIFAR-10 1024)")
                        .between(1, Param.MAX_WIDTH).renamedFrom("predictor_hidden"));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    /**
     * The pipelines of {@code preset: none}, BYOL's asymmetric ImageNet pair (as solo-learn's
     * imagenet-100 asymmetric.yaml@6f228fd0) with a 0.2 crop: both views crop (min scale 0.2;
     * BYOL and solo-learn 0.08), flip, colour jitter 0.4/0.4/0.2/0.1 with p 0.8, grayscale p 0.2;
     * view 1 always blurs and never solarizes, view 2 blurs with p 0.1 and solarizes with p 0.2.
     * solo-learn's CIFAR pair (cifar/augmentations/asymmetric.yaml@24322891) turns blur off in both
     * views and Lightly's CIFAR-10 benchmark uses no blur or solarization; the {@code small} preset
     * follows solo-learn's CIFAR pair.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(view(1.0, 0.0), view(0.1, 0.2));
    }

    private static Map<String, Object> view(double blur, double solarize) {
        return AugmentRecipes.with(AugmentRecipes.with(AugmentRecipes.smallImage(0.2), "blur", blur), "solarize", solarize);
    }

    /** Projector and predictor, both Linear-BN-ReLU-Linear (the target projector is the projector's EMA copy). */
    @Override
    public List<Head> heads(Params p) {
        int dim = p.getInt("proj_output_dim");
        return List.of(Head.mlp(PROJECTOR, p.getInt("proj_hidden_dim"), dim, 1, false),
                Head.mlp(PREDICTOR, p.getInt("pred_hidden_dim"), dim, 1, false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Params p = ctx.params();
        Encoder encoder = ctx.encoder();
        List<Head> heads = heads(p);
        Head projector = heads.get(0);
        Head predictor = heads.get(1);
        int dim = projector.outDim();
        Head targetProjector = new Head(TARGET_PROJECTOR, projector.blocks());
        Encoder target = ctx.targetEncoder(TARGET_ENCODER);
        ctx.freeze(TARGET_PROJECTOR);
        ctx.initializeAsCopy(PROJECTOR, TARGET_PROJECTOR);

        List<Operand<TFloat32>> z = new ArrayList<>();
        List<Operand<TFloat32>> prediction = new ArrayList<>();
        List<Operand<TFloat32>> targetZ = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            z.add(projector.applyOver(ctx.layers(), encoder, ctx.view(v)));
            prediction.add(predictor.apply(ctx.layers(), z.get(v), dim, true));
            targetZ.add(targetProjector.applyOver(ctx.layers(), target, ctx.view(v)));
        }
        Operand<TFloat32> loss = NormalizedMseLoss.symmetric(ctx.tf(), prediction.get(0), prediction.get(1),
                targetZ.get(0), targetZ.get(1));
        Operand<TFloat32> tau = Ema.cosineTau(ctx.tf(), p.getDouble("tau"), ctx.progress());
        return new ByolObjective(loss, z.get(0), tau, ctx.layers().net(), encoder.scope());
    }

    /** @param embedding view 1's online projection (collapse monitor) */
    record ByolObjective(Operand<TFloat32> loss, Operand<TFloat32> embedding, Operand<TFloat32> tau, Net net,
                         String encoderScope) implements Objective {
        @Override
        public Map<String, Operand<TFloat32>> metrics() {
            return Map.of("tau", tau);
        }

        @Override
        public List<Op> afterStep(Ops afterOptimizer) {
            List<Op> ops = new ArrayList<>(Ema.update(afterOptimizer, net, encoderScope, TARGET_ENCODER, tau));
            ops.addAll(Ema.update(afterOptimizer, net, PROJECTOR, TARGET_PROJECTOR, tau));
            return ops;
        }
    }
}
