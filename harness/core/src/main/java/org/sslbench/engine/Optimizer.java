package org.sslbench.engine;

import java.util.ArrayList;
import java.util.List;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Adam, SGD-momentum, LARS or AdamW over an explicit list of trainable variables.
 *
 * <p>Gradients come from {@code tf.gradients(loss, trainables)} — never from every variable, so
 * BatchNorm statistics, EMA targets and queues stay out of differentiation. Learning rate and
 * Adam's bias corrections are fed per step from Java, so the schedule is plain Java code.
 * Weight decay is the coupled L2 form ({@code grad + wd·w}, as PyTorch's {@code weight_decay}
 * and Keras' kernel regularisers) for adam, sgd and lars, and the decoupled form for adamw; either
 * acts on kernels only, or on every trainable variable (biases and BatchNorm scale/offset too) when
 * the spec's {@code exclude_bias_bn} is false — for every optimizer alike.
 *
 * <p>AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm
 * 2) exactly as PyTorch's {@code torch.optim.AdamW} (pytorch/pytorch
 * {@code torch/optim/adamw.py}@002d2f0b, {@code _single_tensor_adamw}): a decayed variable first
 * shrinks, {@code w ← w − lr·wd·w} (lr is the fed, scheduled rate; the paper's schedule multiplier
 * η_t times PyTorch's lr), then {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code w ← w − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + ε)}. That is TF's ApplyAdam with ε fed
 * per step as {@code ε·sqrt(1−β2^t)} (ApplyAdam adds ε to the uncorrected sqrt(v)).
 *
 * <p>LARS (You, Gitman &amp; Ginsburg 2017, "Large Batch Training of Convolutional Networks",
 * eq. 6) exactly as solo-learn's {@code solo/utils/lars.py}@c32f9cee, which the published SSL
 * configurations run: for an adapted variable w with gradient g, when ‖w‖ &gt; 0 and ‖g‖ &gt; 0,
 * {@code local = η·‖w‖ / (‖g‖ + wd·‖w‖ + 1e-8)} (with {@code clip_lr}: {@code min(local / lr, 1)})
 * and {@code d = local·(g + wd·w)}; otherwise {@code d = g} (no decay either). Then PyTorch's
 * SGD momentum (dampening 0): {@code buf = μ·buf + d; w -= lr·buf} (Nesterov: {@code w -= lr·(d + μ·buf)}),
 * which is TF's ApplyMomentum. Biases and BatchNorm are neither adapted nor decayed unless
 * {@code exclude_bias_bn} is false (solo-learn's {@code exclude_bias_n_norm}; there "1-D").
 *
 * <p>Dynamic loss scaling, only for {@link Precision#FP16} (Micikevicius et al., "Mixed Precision
 * Training", ICLR 2018, §3.2; the defaults of TensorFlow's {@code LossScaleOptimizer}: initial scale
 * 2^15, doubled after 2000 finite steps): the gradients are those of {@code loss × S}, divided by S
 * again before any use, so float16 backprop keeps small gradients above its underflow. S and the
 * count of finite steps are graph variables (role STATE, never trained or exported), so every
 * training loop stays as it is. A step whose gradients are not all finite is skipped: its applied
 * gradients and learning rate are 0 (MulNoNan, so an inf or NaN becomes 0), so no weight moves;
 * optimizer slots decay by one step (momentum and Adam moments times β; TensorFlow skips the apply
 * op instead), and S is halved. fp32 and bf16 build exactly the graph they built before (no extra op),
 * so fp32 reruns stay bit-identical.
 */
public final class Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f; // Keras' Adam epsilon
    /** solo-learn's LARS {@code eps} (solo/utils/lars.py@c32f9cee), added to the trust ratio's denominator. */
    static final float LARS_EPSILON = 1e-8f;

    private final OptimizerSpec spec;
    private final Placeholder<TFloat32> lr;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    /** AdamW's ε·sqrt(1 − β2^t), fed per step; null for the other optimizers. */
    private final Placeholder<TFloat32> adamwEpsilon;
    private final List<Op> updates = new ArrayList<>();
    /** The loss scale S (fp16 only; null otherwise). */
    private final Variable<TFloat32> lossScale;

    /** S at the first step: 2^15, TensorFlow's {@code LossScaleOptimizer} default (Micikevicius et al. §3.2). */
    static final float LOSS_SCALE_INITIAL = 32768f;
    /** Finite steps in a row after which S doubles (TensorFlow's {@code dynamic_growth_steps} default). */
    static final int LOSS_SCALE_GROWTH_STEPS = 2000;

    /**
     * Builds the update ops for {@code trainables} minimising {@code loss}.
     *
     * @param slotScope scope for the optimizer's slot variables (e.g. {@code pretext_opt})
     */
    public Optimizer(Net net, OptimizerSpec spec, Operand<TFloat32> loss, List<Net.Var> trainables, String slotScope) {
        this(net, spec, loss, trainables, slotScope, List.of());
    }

    /**
     * @param readsFirst values fetched in the same step (metrics, embeddings) that must see the
     *                   weights before this step's update
     */
    public Optimizer(Net net, OptimizerSpec spec, Operand<TFloat32> loss, List<Net.Var> trainables, String slotScope,
                     List<Operand<?>> readsFirst) {
        this(net, spec, loss, trainables, slotScope, readsFirst, false);
    }

    /**
     * As {@link #Optimizer(Net, OptimizerSpec, Operand, List, String, List)} for a session in
     * {@code precision} (an effective one): {@link Precision#FP16} adds dynamic loss scaling, the
     * others build the same graph as without it.
     */
    public Optimizer(Net net, OptimizerSpec spec, Operand<TFloat32> loss, List<Net.Var> trainables, String slotScope,
                     List<Operand<?>> readsFirst, Precision precision) {
        this(net, spec, loss, trainables, slotScope, readsFirst, precision == Precision.FP16);
    }

    /** @param lossScaling dynamic loss scaling (fp16; tests force it on in fp32 to check its arithmetic) */
    Optimizer(Net net, OptimizerSpec spec, Operand<TFloat32> loss, List<Net.Var> trainables, String slotScope,
              List<Operand<?>> readsFirst, boolean lossScaling) {
        if (trainables.isEmpty()) {
            throw new IllegalArgumentException("nothing to train");
        }
        this.spec = spec;
        Ops tf = net.tf();
        this.lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        this.beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        this.beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        List<Operand<TFloat32>> vars = new ArrayList<>();
        for (Net.Var v : trainables) {
            vars.add(v.variable());
        }
        Operand<TFloat32> stepLr = lr;
        Operand<TFloat32> finite = null;
        List<Operand<TFloat32>> unscaled = new ArrayList<>();
        if (lossScaling) {
            lossScale = net.variable(slotScope + "/loss_scale", Init.constant(LOSS_SCALE_INITIAL), Role.STATE, 0, 0);
            Gradients scaled = tf.gradients(tf.math.mul(loss, lossScale), vars);
            Operand<TBool> allFinite = tf.constant(true);
            for (int i = 0; i < vars.size(); i++) {
                Operand<TFloat32> g = scaled.dy(i);
                if (g != null) {
                    g = tf.math.div(g, lossScale);
                    allFinite = tf.math.logicalAnd(allFinite, tf.reduceAll(tf.math.isFinite(g), allAxes(tf, g)));
                }
                unscaled.add(g);
            }
            finite = tf.dtypes.cast(allFinite, TFloat32.class);
            stepLr = tf.math.mul(lr, finite);
        } else {
            lossScale = null;
        }
        Gradients grads = lossScaling ? null : tf.gradients(loss, vars);
        boolean adamw = spec.adamw().isPresent();
        boolean adam = "adam".equals(spec.name()) || adamw;
        if (!adam && !"sgd".equals(spec.name()) && !"lars".equals(spec.name())) {
            throw new IllegalArgumentException("unknown optimizer " + spec.name() + " (adam, sgd, lars, adamw)");
        }
        this.adamwEpsilon = adamw ? tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())) : null;
        Operand<TFloat32> beta1 = tf.constant(adamw ? (float) spec.adamw().get().beta1() : BETA1);
        Operand<TFloat32> beta2 = tf.constant(adamw ? (float) spec.adamw().get().beta2() : BETA2);
        Operand<TFloat32> epsilon = adamw ? adamwEpsilon : tf.constant(EPSILON);
        Operand<TFloat32> wd = tf.constant((float) spec.weightDecay());
        // Ref variables are updated in place: an update must wait until every op of the step that
        // reads weights (backprop through conv/matmul, fetched metrics) is done, or it races them
        // and reruns differ. Every such read is an ancestor of some gradient or of readsFirst.
        List<Op> barrier = new ArrayList<>();
        for (int i = 0; i < trainables.size(); i++) {
            Operand<TFloat32> g = lossScaling ? unscaled.get(i) : grads.dy(i);
            if (g != null) {
                barrier.add(tf.identity(g));
            }
        }
        for (Operand<?> r : readsFirst) {
            barrier.add(tf.identity((Operand) r));
        }
        barrier.add(tf.identity(loss));
        Ops after = tf.withControlDependencies(barrier);
        for (int i = 0; i < trainables.size(); i++) {
            Net.Var v = trainables.get(i);
            Operand<TFloat32> g = lossScaling ? unscaled.get(i) : grads.dy(i);
            if (g == null) {
                throw new IllegalStateException("variable " + v.name() + " does not influence the loss");
            }
            if (lossScaling) {
                g = tf.math.mulNoNan(g, finite); // a skipped step applies 0, not inf or NaN
            }
            boolean decayed = v.role().decayed || !spec.excludesBiasBn();
            if (spec.lars().isPresent()) {
                if (decayed) {
                    g = larsDirection(tf, spec.lars().get(), wd, v.variable(), g, stepLr);
                }
            } else if (spec.weightDecay() > 0 && decayed && !adamw) {
                g = tf.math.add(g, tf.math.mul(wd, v.variable()));
            }
            String slot = slotScope + "/" + v.name();
            if (adam) {
                var m = net.variable(slot + "/m", Init.zeros(), Role.STATE, 0, 0, v.shape());
                var s = net.variable(slot + "/v", Init.zeros(), Role.STATE, 0, 0, v.shape());
                Ops adamOps = after;
                if (adamw && spec.weightDecay() > 0 && decayed) {
                    // Decoupled decay w -= lr·(wd·w), done before the Adam step reads w (PyTorch's order).
                    Op decay = after.train.applyGradientDescent(v.variable(), stepLr, tf.math.mul(wd, v.variable()));
                    adamOps = tf.withControlDependencies(List.of(decay));
                }
                updates.add(adamOps.train.applyAdam(v.variable(), m, s, beta1Power, beta2Power, stepLr,
                        beta1, beta2, epsilon, g));
            } else {
                var accum = net.variable(slot + "/momentum", Init.zeros(), Role.STATE, 0, 0, v.shape());
                updates.add(after.train.applyMomentum(v.variable(), accum, stepLr, g, tf.constant((float) spec.momentum()),
                        ApplyMomentum.useNesterov(spec.nesterov())));
            }
        }
        if (lossScaling) {
            updates.add(scaleUpdate(net, tf.withControlDependencies(new ArrayList<>(updates)), slotScope, finite));
        }
    }

    /**
     * After this step's updates: a finite step counts towards growth (S × 2 and the count reset after
     * {@link #LOSS_SCALE_GROWTH_STEPS}), a non-finite one halves S and resets the count.
     */
    private Op scaleUpdate(Net net, Ops after, String slotScope, Operand<TFloat32> finite) {
        var good = net.variable(slotScope + "/loss_scale_good_steps", Init.zeros(), Role.STATE, 0, 0);
        Operand<TBool> ok = after.math.greater(finite, after.constant(0f));
        Operand<TFloat32> counted = after.math.add(good, after.constant(1f));
        Operand<TBool> grow = after.math.greaterEqual(counted, after.constant((float) LOSS_SCALE_GROWTH_STEPS));
        Operand<TFloat32> newScale = after.select(ok,
                after.select(grow, after.math.mul(lossScale, after.constant(2f)), after.math.mul(lossScale, after.constant(1f))),
                after.math.mul(lossScale, after.constant(0.5f)));
        Operand<TFloat32> newGood = after.select(ok, after.select(grow, after.constant(0f), counted), after.constant(0f));
        // Both new values are computed (reading the old ones) before either variable is written.
        Ops write = after.withControlDependencies(List.of(after.identity(newScale), after.identity(newGood)));
        return after.withControlDependencies(List.of(write.assign(lossScale, newScale), write.assign(good, newGood)))
                .noOp();
    }

    /** The loss scale S (fp16 loss scaling only), e.g. to fetch. */
    Operand<TFloat32> lossScale() {
        if (lossScale == null) {
            throw new IllegalStateException("no loss scaling: the optimizer was built for fp32 or bf16");
        }
        return lossScale;
    }

    /**
     * solo-learn's LARS direction for one adapted variable (before momentum): {@code trust·(g + wd·w)}
     * when ‖w‖ &gt; 0 and ‖g‖ &gt; 0, else {@code g}. Scalar selects rather than branches, so the
     * same graph serves every step; lr is this step's fed (scheduled) rate, as solo-learn reads the
     * group's scheduled {@code lr} for clipping.
     */
    private Operand<TFloat32> larsDirection(Ops tf, OptimizerSpec.Lars lars, Operand<TFloat32> wd,
                                            Operand<TFloat32> w, Operand<TFloat32> g, Operand<TFloat32> lr) {
        Operand<TFloat32> zero = tf.constant(0f);
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> wNorm = tf.math.sqrt(tf.reduceSum(tf.math.square(w), allAxes(tf, w)));
        Operand<TFloat32> gNorm = tf.math.sqrt(tf.reduceSum(tf.math.square(g), allAxes(tf, g)));
        Operand<TFloat32> trust = tf.math.mul(tf.constant((float) lars.eta()),
                tf.math.div(wNorm, tf.math.add(tf.math.add(gNorm, tf.math.mul(wd, wNorm)), tf.constant(LARS_EPSILON))));
        if (lars.clipLr()) {
            // At lr 0 (a warm-up's first step) trust / lr is +inf and the minimum 1, as in solo-learn.
            trust = tf.math.minimum(tf.math.div(trust, lr), one);
        }
        Operand<TBool> adapt = tf.math.logicalAnd(tf.math.greater(wNorm, zero), tf.math.greater(gNorm, zero));
        Operand<TFloat32> scale = tf.select(adapt, trust, one);
        Operand<TFloat32> decay = tf.select(adapt, wd, zero);
        return tf.math.mul(scale, tf.math.add(g, tf.math.mul(decay, w)));
    }

    private static Operand<TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
        return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
    }

    /** The per-variable update ops (use as control dependencies for EMA / queue updates). */
    public List<Op> updates() {
        return updates;
    }

    /**
     * Adds this step's learning rate and bias corrections to {@code runner}; the returned tensors
     * must be closed after the run.
     *
     * @param step 1-based count of optimizer steps including this one
     */
    public List<Tensor> feed(Session.Runner runner, long step, double learningRate) {
        double beta1 = spec.adamw().map(OptimizerSpec.AdamW::beta1).orElse((double) BETA1);
        double beta2 = spec.adamw().map(OptimizerSpec.AdamW::beta2).orElse((double) BETA2);
        TFloat32 l = TFloat32.scalarOf((float) learningRate);
        TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(beta1, step));
        TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(beta2, step));
        runner.feed(lr, l).feed(beta1Power, b1).feed(beta2Power, b2);
        for (Op u : updates) {
            runner.addTarget(u);
        }
        if (adamwEpsilon == null) {
            return List.of(l, b1, b2);
        }
        // PyTorch adds ε to sqrt(v)/sqrt(1−β2^t); ApplyAdam to sqrt(v) after scaling lr by sqrt(1−β2^t).
        TFloat32 e = TFloat32.scalarOf((float) (spec.adamw().get().epsilon() * Math.sqrt(1 - Math.pow(beta2, step))));
        runner.feed(adamwEpsilon, e);
        return List.of(l, b1, b2, e);
    }

    public OptimizerSpec spec() {
        return spec;
    }
}
