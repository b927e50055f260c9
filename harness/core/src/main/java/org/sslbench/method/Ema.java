package org.sslbench.method;

import java.util.ArrayList;
import java.util.List;
import org.sslbench.engine.Net;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Exponential moving average of an online network into its target (MoCo's key encoder, BYOL's
 * target): {@code target ← τ·target + (1−τ)·online} for every variable under {@code onlineScope}
 * with a same-named twin under {@code targetScope} (parameters only: BatchNorm statistics are the
 * target's own). Build it with
 * the {@code Ops} that {@link Objective#afterStep} receives, so it reads post-update weights.
 */
public final class Ema {
    private Ema() {
    }

    public static List<Op> update(Ops afterOptimizer, Net net, String onlineScope, String targetScope, Operand<TFloat32> tau) {
        List<Op> ops = new ArrayList<>();
        // Parameters only, as PyTorch MoCo/BYOL and solo-learn: the target's BatchNorm statistics
        // come from its own training-mode forward pass, which already updates them each step.
        for (Net.Var online : net.vars(Net.under(onlineScope).and(v -> v.role() != org.sslbench.engine.Role.STATISTIC))) {
            String twin = targetScope + online.name().substring(onlineScope.length());
            Net.Var target = net.var(twin);
            // target − (1−τ)(target − online) == τ·target + (1−τ)·online
            Operand<TFloat32> step = afterOptimizer.math.mul(afterOptimizer.math.sub(afterOptimizer.constant(1f), tau),
                    afterOptimizer.math.sub(target.variable(), online.variable()));
            ops.add(afterOptimizer.assignSub(target.variable(), step));
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("no variables under " + onlineScope + " to average into " + targetScope);
        }
        return ops;
    }

    /** BYOL's cosine schedule: τ = 1 − (1 − τ0)·(cos(π·progress) + 1)/2, from τ0 at the start to 1 at the end. */
    public static Operand<TFloat32> cosineTau(Ops tf, double tau0, Operand<TFloat32> progress) {
        return cosineTau(tf, tau0, 1.0, progress);
    }

    /**
     * The cosine schedule from {@code base} to {@code end}: τ = end − (end − base)·(cos(π·progress) + 1)/2
     * (solo-learn solo/utils/momentum.py@2f8a8b5a, MomentumUpdater.update_tau, with progress =
     * step / max_steps); e.g. solo-learn's MoCo v2+ 0.99 → 0.999.
     */
    public static Operand<TFloat32> cosineTau(Ops tf, double base, double end, Operand<TFloat32> progress) {
        Operand<TFloat32> cos = tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), progress));
        Operand<TFloat32> half = tf.math.mul(tf.constant(0.5f), tf.math.add(cos, tf.constant(1f)));
        return tf.math.sub(tf.constant((float) end), tf.math.mul(tf.constant((float) (end - base)), half));
    }
}
