package org.sslbench.engine;

import java.util.Arrays;
import java.util.List;
import org.sslbench.spec.TrainSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Layer builders over a {@link Net}. Variables are get-or-create by name, so calling the same
 * layer name again (a second augmented view, the eval-mode branch) shares its weights.
 */
public final class Layers {
    /** Default moving-average momentum of BatchNorm statistics ({@link TrainSpec#DEFAULT_BN_MOMENTUM}). */
    public static final float BN_MOMENTUM = (float) TrainSpec.DEFAULT_BN_MOMENTUM;
    public static final float BN_EPSILON = 1e-3f;

    private final Net net;
    private final Ops tf;
    private final float bnMomentum;
    private final java.util.Map<String, List<Op>> previousUpdates = new java.util.HashMap<>();

    /** Layers whose BatchNorm statistics update with the default momentum {@link #BN_MOMENTUM}. */
    public Layers(Net net) {
        this(net, BN_MOMENTUM);
    }

    /**
     * @param bnMomentum momentum m of every BatchNorm moving-average update built here (Keras
     *                   convention: moving = m·moving + (1 − m)·batch; PyTorch's momentum is 1 − m)
     * @throws IllegalArgumentException when m is outside [0, 1), also as a float32 (0.9999999999 becomes 1f,
     *                                  whose update rate 1 - m = 0 would never change the statistics)
     */
    public Layers(Net net, double bnMomentum) {
        if (!(bnMomentum >= 0 && (float) bnMomentum < 1f)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1), got " + bnMomentum);
        }
        this.net = net;
        this.tf = net.tf();
        // As float first, so the default's update rate is 1f - 0.9f exactly as before it was a setting.
        this.bnMomentum = (float) bnMomentum;
    }

    /** The momentum of this builder's BatchNorm moving-average updates. */
    public float bnMomentum() {
        return bnMomentum;
    }

    public Net net() {
        return net;
    }

    public Ops tf() {
        return tf;
    }

    /** Existing variable of that name (shape checked) or a new one. */
    public Variable<TFloat32> variable(String name, Init init, Role role, int fanIn, int fanOut, long... shape) {
        List<Net.Var> existing = net.vars(v -> v.name().equals(name));
        if (!existing.isEmpty()) {
            Net.Var v = existing.get(0);
            if (!Arrays.equals(v.shape(), shape)) {
                throw new IllegalArgumentException("variable " + name + " reused with shape " + Arrays.toString(shape)
                        + ", created with " + Arrays.toString(v.shape()));
            }
            return v.variable();
        }
        return net.variable(name, init, role, fanIn, fanOut, shape);
    }

    /** 2-D convolution, NHWC, square kernel; padding "SAME" or "VALID". */
    public Operand<TFloat32> conv2d(String name, Operand<TFloat32> x, int inChannels, int outChannels, int kernel,
                                    int stride, String padding, boolean bias, Init init) {
        Variable<TFloat32> w = variable(name + "/kernel", init, Role.WEIGHT, kernel * kernel * inChannels,
                kernel * kernel * outChannels, kernel, kernel, inChannels, outChannels);
        Operand<TFloat32> y = tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), padding);
        if (bias) {
            y = tf.nn.biasAdd(y, variable(name + "/bias", Init.zeros(), Role.PARAM, 0, 0, outChannels));
        }
        return y;
    }

    /**
     * BatchNorm over the last axis of an NHWC tensor. In training mode it normalises with the batch
     * statistics and registers the moving-average update (momentum {@link #bnMomentum()}) with the
     * net; in eval mode it uses the moving statistics.
     */
    public Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x, int channels, boolean training) {
        Variable<TFloat32> gamma = variable(name + "/gamma", Init.ones(), Role.PARAM, 0, 0, channels);
        Variable<TFloat32> beta = variable(name + "/beta", Init.zeros(), Role.PARAM, 0, 0, channels);
        Variable<TFloat32> mean = variable(name + "/moving_mean", Init.zeros(), Role.STATISTIC, 0, 0, channels);
        Variable<TFloat32> var = variable(name + "/moving_variance", Init.ones(), Role.STATISTIC, 0, 0, channels);
        if (!training) {
            return tf.nn.fusedBatchNorm(x, gamma, beta, mean, var,
                    FusedBatchNorm.epsilon(BN_EPSILON), FusedBatchNorm.isTraining(false)).y();
        }
        Operand<TFloat32> empty = tf.constant(new float[0]);
        FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, gamma, beta, empty, empty,
                FusedBatchNorm.epsilon(BN_EPSILON), FusedBatchNorm.isTraining(true));
        Operand<TFloat32> rate = tf.constant(1f - bnMomentum);
        // A layer applied to several views updates its statistics once per view: chain those
        // updates so they apply in one order and reruns agree bit for bit.
        Ops ordered = previousUpdates.containsKey(name) ? tf.withControlDependencies(previousUpdates.get(name)) : tf;
        Op meanUpdate = ordered.assignSub(mean, tf.math.mul(tf.math.sub(mean, tf.stopGradient(bn.batchMean())), rate));
        Op varUpdate = ordered.assignSub(var, tf.math.mul(tf.math.sub(var, tf.stopGradient(bn.batchVariance())), rate));
        net.addUpdateOp(meanUpdate);
        net.addUpdateOp(varUpdate);
        previousUpdates.put(name, List.of(meanUpdate, varUpdate));
        return bn.y();
    }

    /** BatchNorm over the features of a [batch, dim] tensor (projector/predictor heads). */
    public Operand<TFloat32> batchNorm1d(String name, Operand<TFloat32> x, int dim, boolean training) {
        Operand<TFloat32> as4d = tf.reshape(x, tf.constant(new long[] {-1, 1, 1, dim}));
        return tf.reshape(batchNorm(name, as4d, dim, training), tf.constant(new long[] {-1, dim}));
    }

    /** Fully connected layer: x [batch, in] → [batch, out]. */
    public Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out, boolean bias, Init init) {
        Variable<TFloat32> w = variable(name + "/kernel", init, Role.WEIGHT, in, out, in, out);
        Operand<TFloat32> y = tf.linalg.matMul(x, w);
        if (bias) {
            y = tf.nn.biasAdd(y, variable(name + "/bias", Init.zeros(), Role.PARAM, 0, 0, out));
        }
        return y;
    }

    public Operand<TFloat32> relu(Operand<TFloat32> x) {
        return tf.nn.relu(x);
    }

    /** Mean over height and width: [b, h, w, c] → [b, c]. */
    public Operand<TFloat32> globalAvgPool(Operand<TFloat32> x) {
        return tf.math.mean(x, tf.constant(new int[] {1, 2}));
    }

    /** [b, h, w, c] → [b, h·w·c]. */
    public Operand<TFloat32> flatten(Operand<TFloat32> x, int features) {
        return tf.reshape(x, tf.constant(new long[] {-1, features}));
    }
}
