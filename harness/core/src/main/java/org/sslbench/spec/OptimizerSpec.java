package org.sslbench.spec;

import java.util.Optional;

/**
 * One training phase's optimizer (spec block {@code optimizer}, specs/README.md "Optimizer").
 *
 * <p>Settings added after results were stored are Optionals that are empty at their default, so
 * that ConfigHash (which leaves an empty Optional out) gives every spec not using them the hash it
 * had before they existed.
 *
 * @param name          {@code adam}, {@code sgd} (SGD with momentum) or {@code lars} (SGD momentum
 *                      with LARS layer-wise trust ratios, {@link Lars})
 * @param lr            base learning rate
 * @param momentum      SGD / LARS momentum (ignored by Adam, whose β1 is fixed)
 * @param weightDecay   coupled L2 coefficient (grad + wd·w) on the decayed variables: kernels only,
 *                      or every trainable variable with {@code excludeBiasBn} false
 * @param nesterov      Nesterov momentum for SGD / LARS
 * @param eta           LARS trust coefficient ({@link Lars#eta}); present exactly when {@code name} is {@code lars}
 * @param clipLr        LARS {@code clip_lr} ({@link Lars#clipLr}); present exactly when {@code name} is {@code lars}
 * @param excludeBiasBn empty = true (the default): biases and BatchNorm scale/offset are neither
 *                      decayed nor LARS-adapted; {@code Optional.of(false)}: every trainable
 *                      variable is (solo-learn's {@code exclude_bias_n_norm: False}, Lightly's
 *                      CIFAR-10 benchmark). Stored only when false, so default specs keep their hashes.
 * @throws IllegalArgumentException when eta / clipLr are present for adam/sgd or missing for lars,
 *                                  or eta is outside (0, 1]
 */
public record OptimizerSpec(String name, double lr, double momentum, double weightDecay, boolean nesterov,
                            Optional<Double> eta, Optional<Boolean> clipLr, Optional<Boolean> excludeBiasBn) {
    /** solo-learn's LARS class default trust coefficient (solo/utils/lars.py@c32f9cee {@code eta=1e-3}). */
    public static final double DEFAULT_ETA = 1e-3;

    /**
     * LARS settings (You, Gitman &amp; Ginsburg 2017, "Large Batch Training of Convolutional
     * Networks", eq. 6 local LR), as solo-learn's {@code solo/utils/lars.py}@c32f9cee.
     *
     * @param eta    trust coefficient η in (0, 1]: local lr = η·‖w‖ / (‖∇L‖ + wd·‖w‖ + 1e-8)
     * @param clipLr solo-learn's {@code clip_lars_lr}: the trust ratio becomes min(local lr / lr, 1),
     *               so a variable's step is lr·min(local lr / lr, 1) = min(local lr, lr)
     */
    public record Lars(double eta, boolean clipLr) {
        /** @throws IllegalArgumentException for η outside (0, 1] */
        public Lars {
            if (!(eta > 0 && eta <= 1)) {
                throw new IllegalArgumentException("LARS eta must be in (0, 1], got " + eta);
            }
        }
    }

    public OptimizerSpec {
        eta = eta == null ? Optional.empty() : eta;
        clipLr = clipLr == null ? Optional.empty() : clipLr;
        excludeBiasBn = excludeBiasBn == null ? Optional.empty() : excludeBiasBn.filter(e -> !e);
        boolean lars = "lars".equals(name);
        if (lars != eta.isPresent() || lars != clipLr.isPresent()) {
            throw new IllegalArgumentException("eta and clip_lr must be given exactly for optimizer lars, got "
                    + name + " with eta " + eta + ", clip_lr " + clipLr);
        }
        eta.ifPresent(e -> new Lars(e, false)); // range check
    }

    /** The LARS settings, present exactly for optimizer {@code lars}. */
    public Optional<Lars> lars() {
        return eta.map(e -> new Lars(e, clipLr.orElseThrow()));
    }

    /** Adam or SGD with biases and BatchNorm excluded from weight decay (the settings of every spec before LARS). */
    public OptimizerSpec(String name, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(name, lr, momentum, weightDecay, nesterov, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** LARS with biases and BatchNorm excluded from weight decay and adaptation unless {@code excludeBiasBn} is false. */
    public static OptimizerSpec lars(double lr, double momentum, double weightDecay, boolean nesterov, double eta,
                                     boolean clipLr, boolean excludeBiasBn) {
        return new OptimizerSpec("lars", lr, momentum, weightDecay, nesterov, Optional.of(eta), Optional.of(clipLr),
                Optional.of(excludeBiasBn));
    }

    /** True (the default) when biases and BatchNorm scale/offset skip weight decay and LARS adaptation. */
    public boolean excludesBiasBn() {
        return excludeBiasBn.orElse(true);
    }

    /** This optimizer with {@code exclude_bias_bn} set. */
    public OptimizerSpec withExcludeBiasBn(boolean exclude) {
        return new OptimizerSpec(name, lr, momentum, weightDecay, nesterov, eta, clipLr, Optional.of(exclude));
    }
}
