package org.sslbench.plugins.simclr;

import java.util.List;
import org.sslbench.train.AugmentRecipes;
import java.util.Map;
import org.sslbench.losses.NtXentLoss;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * SimCLR (Chen, Kornblith, Norouzi &amp; Hinton, "A Simple Framework for Contrastive Learning of
 * Visual Representations", ICML 2020): two augmented views of every image go through the encoder
 * and an MLP projector (Linear → BN → ReLU → Linear by default; {@code proj_batch_norm: false} gives
 * solo-learn's Linear → ReLU → Linear, solo/methods/simclr.py@06351c4e);
 * the NT-Xent loss ({@link NtXentLoss}) makes each projection pick out its other view among the
 * 2N − 1 others.
 *
 * <p>Augmentation of {@code preset: none}, the same for both views: random resized crop (min
 * scale 0.2), horizontal flip, colour jitter with probability 0.8 (brightness 0.4, contrast 0.4,
 * saturation 0.2, hue 0.1), grayscale with probability 0.2, no Gaussian blur. These match no single
 * published SimCLR recipe: solo-learn's CIFAR config (scripts/pretrain/cifar/augmentations/symmetric.yaml@38ad477f)
 * crops from 0.08 with jitter 0.8/0.8/0.8/0.2 and blur p 0.5; Lightly's CIFAR-10 benchmark
 * (cifar10_benchmark.py@0351a522) crops from 0.08 with jitter 0.4/0.4/0.4/0.1 (strength 0.5, as the
 * authors' CIFAR-10 run) and no blur. The presets ({@code presets.yaml}) follow solo-learn.
 * Temperature defaults to 0.1 (the paper's ImageNet value); solo-learn's CIFAR and ImageNet-100
 * configs use 0.2, the authors' CIFAR-10 run 0.5.
 *
 * <pre>{@code
 * methods:
 *   - name: simclr
 *     params: {temperature: 0.1, proj_hidden_dim: 512, proj_output_dim: 128}
 * }</pre>
 */
public final class SimClr implements Method {
    @Override
    public String name() {
        return "simclr";
    }

    @Override
    public String description() {
        return "SimCLR: NT-Xent contrastive loss between two augmented views through an MLP projector"
                + " (Chen et al., ICML 2020); temperature 0.1 by default for small batches (the paper's CIFAR-10 runs use 0.5)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("temperature", 0.1, "softmax temperature tau of NT-Xent (paper: 0.5 on CIFAR-10, 0.1 on ImageNet)")
                        // The loss divides similarities by tau (Chen et al. 2020, eq. 1): tau must be > 0.
                        .atLeast(Param.MIN_TEMPERATURE),
                new Param("proj_hidden_dim", 512, "width of the projector's hidden layer (paper and solo-learn CIFAR: 2048)").between(1, Param.MAX_WIDTH),
                new Param("proj_output_dim", 128, "dimension of the projection the loss compares (paper: 128)").between(1, Param.MAX_WIDTH),
                new Param("proj_batch_norm", true, "BatchNorm after the projector's hidden layer;"
                        + " false = Linear-ReLU-Linear, solo-learn's SimCLR projector (solo/methods/simclr.py)"));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(AugmentRecipes.smallImage(0.2));
    }

    /** The projector, Linear(hidden) [→ BN] → ReLU → Linear(out); without BN the hidden Linear has a bias. */
    @Override
    public List<Head> heads(Params p) {
        return List.of(projector(p));
    }

    /** Linear(hidden) [→ BN] → ReLU → Linear(out); without BN the hidden Linear has a bias. */
    static Head projector(Params p) {
        return Head.of("projector", new Head.Block(p.getInt("proj_hidden_dim"), p.getBoolean("proj_batch_norm"), true),
                new Head.Block(p.getInt("proj_output_dim"), false, false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Params p = ctx.params();
        Head projector = heads(p).get(0);
        Operand<TFloat32> z1 = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(0));
        Operand<TFloat32> z2 = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(1));
        int n = ctx.batchSize();
        Operand<TFloat32> loss = NtXentLoss.loss(ctx.tf(), z1, z2, n, p.getDouble("temperature"));
        Operand<TFloat32> accuracy = NtXentLoss.accuracy(ctx.tf(), z1, z2, n);
        return Objective.of(loss, Map.of("contrastive_acc", accuracy), z1);
    }
}
