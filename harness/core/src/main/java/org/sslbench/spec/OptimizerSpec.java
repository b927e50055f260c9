package org.sslbench.spec;

import java.util.Optional;

/**
 * One training phase's optimizer (spec block {@code optimizer}, specs/README.md "Optimizer").
 *
 * <p>Settings added after results were stored are Optionals that are empty at their default, so
 * that ConfigHash (which leaves an empty Optional out) gives every spec not using them the hash it
 * had before they existed.
 *
 * @param name          {@code adam}, {@code sgd} (SGD with momentum), {@code lars} (SGD momentum
 *                      with LARS layer-wise trust ratios, {@link Lars}) or {@code adamw} (Adam with
 *                      decoupled weight decay, {@link AdamW})
 * @param lr            base learning rate
 * @param momentum      SGD / LARS momentum (ignored by Adam, whose β1 is fixed, and AdamW, whose β1 is {@code beta1})
 * @param weightDecay   on the decayed variables (kernels only, or every trainable variable with
 *                      {@code excludeBiasBn} false): coupled L2 (grad + wd·w) for adam, sgd and lars;
 *                      decoupled (w ← w − lr·wd·w before the Adam step) for adamw
 * @param nesterov      Nesterov momentum for SGD / LARS
 * @param eta           LARS trust coefficient ({@link Lars#eta}); present exactly when {@code name} is {@code lars}
 * @param clipLr        LARS {@code clip_lr} ({@link Lars#clipLr}); present exactly when {@code name} is {@code lars}
 * @param excludeBiasBn empty = true (the default): biases and BatchNorm scale/offset are neither
 *                      decayed nor LARS-adapted; {@code Optional.of(false)}: every trainable
 *                      variable is (solo-learn's {@code exclude_bias_n_norm: False}, Lightly's
 *                      CIFAR-10 benchmark). Stored only when false, so default specs keep their hashes.
 *                      The same for every optimizer.
 * @param beta1         AdamW β1 ({@link AdamW#beta1}); present exactly when {@code name} is {@code adamw}
 * @param beta2         AdamW β2 ({@link AdamW#beta2}); present exactly when {@code name} is {@code adamw}
 * @param epsilon       AdamW ε ({@link AdamW#epsilon}); present exactly when {@code name} is {@code adamw}
 * @throws IllegalArgumentException when eta / clipLr are present for another optimizer or missing for lars,
 *                                  beta1 / beta2 / epsilon present for another optimizer or missing for
 *                                  adamw, or a value is outside its range
 */
public record OptimizerSpec(String name, double lr, double momentum, double weightDecay, boolean nesterov,
                            Optional<Double> eta, Optional<Boolean> clipLr, Optional<Boolean> excludeBiasBn,
                            Optional<Double> beta1, Optional<Double> beta2, Optional<Double> epsilon) {
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

    /**
     * AdamW settings (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019,
     * Algorithm 2) with PyTorch's semantics and defaults (pytorch/pytorch
     * {@code torch/optim/adamw.py}@002d2f0b: {@code lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
     * weight_decay=1e-2}; {@code param.mul_(1 - lr * weight_decay)} before the bias-corrected step
     * {@code lr / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + eps)}).
     *
     * @param beta1   first-moment decay β1 in [0, 1)
     * @param beta2   second-moment decay β2 in [0, 1)
     * @param epsilon ε &gt; 0 added to the bias-corrected sqrt(v̂), as PyTorch does
     */
    public record AdamW(double beta1, double beta2, double epsilon) {
        /** PyTorch's defaults: β1 0.9, β2 0.999, ε 1e-8 (torch/optim/adamw.py@002d2f0b). */
        public static final AdamW DEFAULTS = new AdamW(0.9, 0.999, 1e-8);
        /** PyTorch's AdamW {@code weight_decay} default, 1e-2 (torch/optim/adamw.py@002d2f0b). */
        public static final double DEFAULT_WEIGHT_DECAY = 1e-2;

        /** @throws IllegalArgumentException for a β outside [0, 1) or ε ≤ 0 */
        public AdamW {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("AdamW epsilon must be > 0, got " + epsilon);
            }
        }
    }

    public OptimizerSpec {
        beta1 = beta1 == null ? Optional.empty() : beta1;
        beta2 = beta2 == null ? Optional.empty() : beta2;
        epsilon = epsilon == null ? Optional.empty() : epsilon;
        boolean adamw = "adamw".equals(name);
        if (adamw != beta1.isPresent() || adamw != beta2.isPresent() || adamw != epsilon.isPresent()) {
            throw new IllegalArgumentException("beta1, beta2 and epsilon must be given exactly for optimizer adamw, got "
                    + name + " with beta1 " + beta1 + ", beta2 " + beta2 + ", epsilon " + epsilon);
        }
        if (adamw) {
            new AdamW(beta1.get(), beta2.get(), epsilon.get()); // range check
        }
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

    /** The AdamW settings, present exactly for optimizer {@code adamw}. */
    public Optional<AdamW> adamw() {
        return beta1.map(b1 -> new AdamW(b1, beta2.orElseThrow(), epsilon.orElseThrow()));
    }

    /** Adam or SGD with biases and BatchNorm excluded from weight decay (the settings of every spec before LARS). */
    public OptimizerSpec(String name, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(name, lr, momentum, weightDecay, nesterov, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * AdamW (decoupled weight decay, {@link AdamW}) with biases and BatchNorm excluded from the decay
     * unless {@code excludeBiasBn} is false. Momentum and Nesterov are stored at Adam's defaults (0.9,
     * false): AdamW reads β1 instead.
     */
    public static OptimizerSpec adamw(double lr, double weightDecay, AdamW settings, boolean excludeBiasBn) {
        return new OptimizerSpec("adamw", lr, 0.9, weightDecay, false, Optional.empty(), Optional.empty(),
                Optional.of(excludeBiasBn), Optional.of(settings.beta1()), Optional.of(settings.beta2()),
                Optional.of(settings.epsilon()));
    }

    /** LARS with biases and BatchNorm excluded from weight decay and adaptation unless {@code excludeBiasBn} is false. */
    public static OptimizerSpec lars(double lr, double momentum, double weightDecay, boolean nesterov, double eta,
                                     boolean clipLr, boolean excludeBiasBn) {
        return new OptimizerSpec("lars", lr, momentum, weightDecay, nesterov, Optional.of(eta), Optional.of(clipLr),
                Optional.of(excludeBiasBn), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * True (the default, for every optimizer) when biases and BatchNorm scale/offset skip weight
     * decay and LARS adaptation.
     */
    public boolean excludesBiasBn() {
        return excludeBiasBn.orElse(true);
    }

    /** This optimizer with {@code exclude_bias_bn} set. */
    public OptimizerSpec withExcludeBiasBn(boolean exclude) {
        return new OptimizerSpec(name, lr, momentum, weightDecay, nesterov, eta, clipLr, Optional.of(exclude),
                beta1, beta2, epsilon);
    }
}
