package org.sslbench.method;

import java.util.ArrayList;
import java.util.List;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A projection or prediction head described as data (as Lightly's heads): a list of
 * Linear → optional BatchNorm → optional ReLU blocks. Applying it twice under the same name
 * shares its weights.
 *
 * <pre>{@code
 * Head projector = Head.of("projector", new Head.Block(2048, true, true), new Head.Block(128, false, false));
 * Operand<TFloat32> z = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(0));
 * }</pre>
 */
public record Head(String name, List<Block> blocks) {
    /** One Linear layer (bias only when no BatchNorm follows), then BatchNorm and ReLU if asked. */
    public record Block(int out, boolean batchNorm, boolean relu) {
    }

    public static Head of(String name, Block... blocks) {
        return new Head(name, List.of(blocks));
    }

    /** {@code hiddenLayers} × (Linear(hidden) → BN → ReLU), then Linear(out) (→ BN when {@code bnLast}). */
    public static Head mlp(String name, int hidden, int out, int hiddenLayers, boolean bnLast) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < hiddenLayers; i++) {
            blocks.add(new Block(hidden, true, true));
        }
        blocks.add(new Block(out, bnLast, false));
        return new Head(name, blocks);
    }

    public int outDim() {
        return blocks.get(blocks.size() - 1).out();
    }

    /**
     * The head's shape over {@code in} input features, as {@code list} shows it: each layer's width
     * with what follows it, e.g. {@code 512 → 2048 (BN, ReLU) → 128}.
     */
    public String describe(int in) {
        StringBuilder out = new StringBuilder().append(in);
        for (Block b : blocks) {
            out.append(" → ").append(b.out());
            List<String> after = new ArrayList<>();
            if (b.batchNorm()) {
                after.add("BN");
            }
            if (b.relu()) {
                after.add("ReLU");
            }
            if (!after.isEmpty()) {
                out.append(" (").append(String.join(", ", after)).append(")");
            }
        }
        return out.toString();
    }

    /**
     * The variables {@link #apply} creates over {@code in} input features, name → shape, in creation
     * order: {@code <name>/fc<i>/kernel} [in, out] (and {@code /bias} [out] without BatchNorm), then
     * {@code <name>/bn<i>/gamma, beta, moving_mean, moving_variance} [out] with it.
     */
    public java.util.Map<String, long[]> variables(int in) {
        java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
        int width = in;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            out.put(name + "/fc" + i + "/kernel", new long[] {width, b.out()});
            if (!b.batchNorm()) {
                out.put(name + "/fc" + i + "/bias", new long[] {b.out()});
            } else {
                for (String v : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
                    out.put(name + "/bn" + i + "/" + v, new long[] {b.out()});
                }
            }
            width = b.out();
        }
        return out;
    }

    /**
     * The head over {@code encoder}'s features of {@code images}, both in training mode: a view's
     * projection as every pretext method builds it, for the online encoder or a target one.
     */
    public Operand<TFloat32> applyOver(Layers layers, Encoder encoder, Operand<TFloat32> images) {
        return apply(layers, encoder.apply(images, true), encoder.featureDim(), true);
    }

    /** Applies the head to [batch, in] features; {@code training} selects BatchNorm's batch statistics. */
    public Operand<TFloat32> apply(Layers layers, Operand<TFloat32> x, int in, boolean training) {
        Operand<TFloat32> h = x;
        int width = in;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            h = layers.dense(name + "/fc" + i, h, width, b.out(), !b.batchNorm(), Init.heNormal());
            if (b.batchNorm()) {
                h = layers.batchNorm1d(name + "/bn" + i, h, b.out(), training);
            }
            if (b.relu()) {
                h = layers.relu(h);
            }
            width = b.out();
        }
        return h;
    }
}
