package org.sslbench.method;

import java.util.ArrayList;
import java.util.List;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Role;
import org.sslbench.losses.TensorMath;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * A projection or prediction head described as data (as Lightly's heads): a list of blocks, each
 * Linear → optional BatchNorm → optional activation (ReLU or GELU) → optional L2 normalisation,
 * the Linear optionally weight-normalised and with or without bias. Applying it twice under the
 * same name shares its weights.
 *
 * <pre>{@code
 * Head projector = Head.of("projector", new Head.Block(2048, true, true), new Head.Block(128, false, false));
 * Operand<TFloat32> z = projector.applyOver(ctx.layers(), ctx.encoder(), ctx.view(0));
 * // DINO's head: GELU MLP to an L2-normalised bottleneck, then a weight-normalised bias-free prototype layer
 * Head mlp = Head.of("dino_head", new Head.Block(2048, false, false).with(Head.Activation.GELU),
 *         new Head.Block(2048, false, false).with(Head.Activation.GELU), new Head.Block(256, false, false).l2Normalized());
 * Head prototypes = Head.of("dino_head/prototypes", new Head.Block(4096, false, false).withoutBias().weightNormalized(false));
 * }</pre>
 *
 * @param init initialiser of the Linear kernels (V of a weight-normalised one); null = He normal
 *             ({@link Init#heNormal()}), what every head had before this parameter existed
 */
public record Head(String name, List<Block> blocks, Init init) {
    /** A head with He-normal kernels. */
    public Head(String name, List<Block> blocks) {
        this(name, blocks, null);
    }

    /** The activation after a block's Linear (and BatchNorm). */
    public enum Activation {
        NONE, RELU,
        /** Exact GELU x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch nn.GELU's default; DINO's head). */
        GELU
    }

    /**
     * Weight normalisation of a block's Linear (Salimans &amp; Kingma 2016; PyTorch
     * nn.utils.weight_norm with dim 0, as DINO's last layer): {@code W = g·V/‖V‖} per output unit.
     */
    public enum WeightNorm {
        NONE,
        /** g fixed at 1: unit-norm columns, so on a unit input the outputs are cosines (DINO's norm_last_layer). */
        UNIT,
        /** g trained, from 1: variable {@code <name>/fc<i>/gain} [1, out]. */
        TRAINED_GAIN
    }

    /**
     * One Linear layer [in, out], then BatchNorm, the activation and L2 normalisation of the output
     * rows, each if asked. The 3-argument form is the original block: bias only when no BatchNorm
     * follows, ReLU or none, no normalisation; the {@code with…} methods derive the others.
     *
     * @param bias        a bias [out] after the Linear
     * @param l2Normalize L2-normalise each output row (a bottleneck the prototypes score by cosine)
     * @param weightNorm  weight normalisation of the Linear's kernel
     */
    public record Block(int out, boolean batchNorm, Activation activation, boolean bias, boolean l2Normalize,
                        WeightNorm weightNorm) {
        public Block(int out, boolean batchNorm, boolean relu) {
            this(out, batchNorm, relu ? Activation.RELU : Activation.NONE, !batchNorm, false, WeightNorm.NONE);
        }

        public boolean relu() {
            return activation == Activation.RELU;
        }

        /** This block with another activation. */
        public Block with(Activation a) {
            return new Block(out, batchNorm, a, bias, l2Normalize, weightNorm);
        }

        /** This block without a bias (SwAV's and DINO's prototype layers). */
        public Block withoutBias() {
            return new Block(out, batchNorm, activation, false, l2Normalize, weightNorm);
        }

        /** This block with its output rows L2-normalised. */
        public Block l2Normalized() {
            return new Block(out, batchNorm, activation, bias, true, weightNorm);
        }

        /** This block weight-normalised: the gain g fixed at 1, or trained from 1. */
        public Block weightNormalized(boolean trainedGain) {
            return new Block(out, batchNorm, activation, bias, l2Normalize, trainedGain ? WeightNorm.TRAINED_GAIN : WeightNorm.UNIT);
        }
    }

    public static Head of(String name, Block... blocks) {
        return new Head(name, List.of(blocks));
    }

    /** This head with its kernels initialised by {@code kernelInit} (e.g. DINO's N(0, 0.02²)). */
    public Head withInit(Init kernelInit) {
        return new Head(name, blocks, kernelInit);
    }

    /** The same blocks and init under another name (a target or teacher copy, whose variables it scopes). */
    public Head named(String newName) {
        return new Head(newName, blocks, init);
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
     * with what follows it, e.g. {@code 512 → 2048 (BN, ReLU) → 128} or DINO's
     * {@code 512 → 2048 (GELU) → 2048 (GELU) → 256 (L2-norm)}; a bias that differs from the default
     * (none after BatchNorm, one otherwise) and weight normalisation are named too
     * ({@code 256 → 4096 (weight-norm, no bias)}).
     */
    public String describe(int in) {
        StringBuilder out = new StringBuilder().append(in);
        for (Block b : blocks) {
            out.append(" → ").append(b.out());
            List<String> after = new ArrayList<>();
            if (b.weightNorm() != WeightNorm.NONE) {
                after.add(b.weightNorm() == WeightNorm.UNIT ? "weight-norm" : "weight-norm, trained gain");
            }
            if (b.bias() == b.batchNorm()) {
                after.add(b.bias() ? "bias" : "no bias");
            }
            if (b.batchNorm()) {
                after.add("BN");
            }
            if (b.activation() != Activation.NONE) {
                after.add(b.activation() == Activation.RELU ? "ReLU" : "GELU");
            }
            if (b.l2Normalize()) {
                after.add("L2-norm");
            }
            if (!after.isEmpty()) {
                out.append(" (").append(String.join(", ", after)).append(")");
            }
        }
        return out.toString();
    }

    /**
     * The variables {@link #apply} creates over {@code in} input features, name → shape, in creation
     * order: {@code <name>/fc<i>/kernel} [in, out] (with weight normalisation: V), {@code /gain}
     * [1, out] for a trained gain, {@code /bias} [out] with a bias, then
     * {@code <name>/bn<i>/gamma, beta, moving_mean, moving_variance} [out] with BatchNorm.
     */
    public java.util.Map<String, long[]> variables(int in) {
        java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
        int width = in;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            out.put(name + "/fc" + i + "/kernel", new long[] {width, b.out()});
            if (b.weightNorm() == WeightNorm.TRAINED_GAIN) {
                out.put(name + "/fc" + i + "/gain", new long[] {1, b.out()});
            }
            if (b.bias()) {
                out.put(name + "/fc" + i + "/bias", new long[] {b.out()});
            }
            if (b.batchNorm()) {
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
        return apply(layers, x, in, training, null);
    }

    /**
     * Applies the head to [batch, in] features, every variable of the head read through a gradient
     * gate: its value unchanged, its gradient multiplied by {@code gate} (a scalar, 1 = train,
     * 0 = an exact zero gradient), so a method can freeze a head for some steps inside one graph
     * (DINO's freeze_last_layer, SwAV's frozen prototypes) where the harness builds one update per
     * variable. Null = no gate.
     *
     * @throws IllegalArgumentException for a gate on a head with BatchNorm (whose parameters
     *                                  {@link Layers#batchNorm} reads ungated)
     */
    public Operand<TFloat32> apply(Layers layers, Operand<TFloat32> x, int in, boolean training, Operand<TFloat32> gate) {
        Ops tf = layers.tf();
        Init kernelInit = init == null ? Init.heNormal() : init;
        Operand<TFloat32> h = x;
        int width = in;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String fc = name + "/fc" + i;
            if (gate == null && b.weightNorm() == WeightNorm.NONE) {
                // the original path, op for op (every head before weight norm and gates)
                h = layers.dense(fc, h, width, b.out(), b.bias(), kernelInit);
            } else {
                if (gate != null && b.batchNorm()) {
                    throw new IllegalArgumentException("head " + name + ": a gradient gate does not reach BatchNorm's"
                            + " parameters; gate a head without BatchNorm");
                }
                Operand<TFloat32> w = gated(tf, layers.variable(fc + "/kernel", kernelInit, Role.WEIGHT, width, b.out(),
                        width, b.out()), gate);
                if (b.weightNorm() != WeightNorm.NONE) {
                    w = tf.math.mul(w, tf.math.rsqrt(tf.reduceSum(tf.math.square(w), tf.constant(0), ReduceSum.keepDims(true))));
                }
                if (b.weightNorm() == WeightNorm.TRAINED_GAIN) {
                    w = tf.math.mul(w, gated(tf, layers.variable(fc + "/gain", Init.ones(), Role.PARAM, 0, 0, 1, b.out()), gate));
                }
                h = tf.linalg.matMul(h, w);
                if (b.bias()) {
                    h = tf.nn.biasAdd(h, gated(tf, layers.variable(fc + "/bias", Init.zeros(), Role.PARAM, 0, 0, b.out()), gate));
                }
            }
            if (b.batchNorm()) {
                h = layers.batchNorm1d(name + "/bn" + i, h, b.out(), training);
            }
            if (b.activation() == Activation.RELU) {
                h = layers.relu(h);
            } else if (b.activation() == Activation.GELU) {
                h = tf.math.mul(tf.math.mul(tf.constant(0.5f), h), tf.math.add(tf.constant(1f),
                        tf.math.erf(tf.math.mul(h, tf.constant((float) (1 / Math.sqrt(2)))))));
            }
            if (b.l2Normalize()) {
                h = TensorMath.l2Normalize(tf, h);
            }
            width = b.out();
        }
        return h;
    }

    /** x in value; gradient gate·dL/dx (x itself when gate is null). */
    private static Operand<TFloat32> gated(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gate) {
        if (gate == null) {
            return x;
        }
        Operand<TFloat32> constant = tf.stopGradient(x);
        return tf.math.add(constant, tf.math.mul(gate, tf.math.sub(x, constant)));
    }
}
