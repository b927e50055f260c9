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
 * and an MLP projector (Linear → BN → ReLU → Linear, as solo-learn); the NT-Xent loss
 * ({@link NtXentLoss}) makes each projection pick out its other view among the 2N − 1 others.
 *
 * <p>Default augmentation, the same for both views: random resized crop (min scale 0.2, the
 * CIFAR setting of solo-learn; the paper's 0.08 is for 224-px ImageNet), horizontal flip, colour
 * jitter with probability 0.8 (brightness 0.4, contrast 0.4, saturation 0.2, hue 0.1: solo-learn's
 * CIFAR values; the paper's CIFAR-10 run uses jitter strength 0.5, i.e. saturation 0.4), grayscale
 * with probability 0.2. No Gaussian blur: the paper's CIFAR-10 experiments leave it out (Appendix
 * B.9), since a blur kernel of ~10 % of a 32-px side wipes out most of the image's detail.
 * Temperature defaults to 0.1 (the paper's ImageNet value, better for small batches); its
 * CIFAR-10 runs use 0.5.
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
                new Param("proj_hidden_dim", 512, "width of the projector's hidden layer (paper and solo-learn: 2048)").between(1, Param.MAX_WIDTH),
                new Param("proj_output_dim", 128, "dimension of the projection the loss compares (paper: 128)").between(1, Param.MAX_WIDTH));
    }

    @Override
    public int views(Params params) {
        return 2;
    }

    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(AugmentRecipes.smallImage(0.2));
    }

    @Override
    public Objective build(PretextContext ctx) {
        Params p = ctx.params();
        Head projector = Head.mlp("projector", p.getInt("proj_hidden_dim"), p.getInt("proj_output_dim"), 1, false);
        Operand<TFloat32> z1 = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(0));
        Operand<TFloat32> z2 = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(1));
        int n = ctx.batchSize();
        Operand<TFloat32> loss = NtXentLoss.loss(ctx.tf(), z1, z2, n, p.getDouble("temperature"));
        Operand<TFloat32> accuracy = NtXentLoss.accuracy(ctx.tf(), z1, z2, n);
        return Objective.of(loss, Map.of("contrastive_acc", accuracy), z1);
    }
}
