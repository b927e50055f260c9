package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Optimizer}'s LARS and weight-decay exclusion against a plain-Java transcription of
 * solo-learn's {@code solo/utils/lars.py}@c32f9cee {@code LARS.step} (and PyTorch's SGD for
 * sgd), on a toy loss with known gradients: L = ½·Σ c⊙(w − a)² + ½·Σ e⊙(b − t)² for a 2×2 kernel w
 * (Role.WEIGHT) and a 2-vector bias b (Role.PARAM), so ∇w = c⊙(w − a) and ∇b = e⊙(b − t).
 */
class LarsOptimizerTest {
    static final double[] W0 = {0.5, -1.0, 2.0, 0.25};
    static final double[] A = {1.5, 0.5, -1.0, 0.0};
    static final double[] C = {1.0, 3.0, 0.5, 2.0};
    static final double[] E = {2.0, 1.0};
    /** Scheduled lr per step; the first 0 is a warm-up's first step (clip_lr divides by it). */
    private static final double[] LRS = {0.0, 0.5, 0.2};

    /**
     * The toy graph; trains kernel then bias with {@code spec} and returns their values after each
     * step (also used by AdamwOptimizerTest).
     */
    static List<double[][]> train(OptimizerSpec spec, double[] b0, double[] t, double[] lrs) {
        try (Net net = new Net()) {
            Ops tf = net.tf();
            var w = net.variable("toy/kernel", Init.zeros(), Role.WEIGHT, 2, 2, 2, 2);
            var b = net.variable("toy/bias", Init.zeros(), Role.PARAM, 0, 0, 2);
            Operand<TFloat32> dw = tf.math.sub(w, tf.reshape(tf.constant(floats(A)), tf.constant(new long[] {2, 2})));
            Operand<TFloat32> db = tf.math.sub(b, tf.constant(floats(t)));
            Operand<TFloat32> cw = tf.reshape(tf.constant(floats(C)), tf.constant(new long[] {2, 2}));
            Operand<TFloat32> half = tf.constant(0.5f);
            Operand<TFloat32> loss = tf.math.add(
                    tf.math.mul(half, tf.reduceSum(tf.math.mul(cw, tf.math.square(dw)), tf.constant(new int[] {0, 1}))),
                    tf.math.mul(half, tf.reduceSum(tf.math.mul(tf.constant(floats(E)), tf.math.square(db)), tf.constant(0))));
            Optimizer opt = new Optimizer(net, spec, loss, net.vars(Net.trainable()), "opt");
            List<double[][]> out = new ArrayList<>();
            try (Session session = new Session(net.graph())) {
                net.initialize(session, 0);
                net.assign(session, Map.of("toy/kernel", floats(W0), "toy/bias", floats(b0)));
                for (int step = 1; step <= lrs.length; step++) {
                    Session.Runner r = session.runner();
                    List<Tensor> open = opt.feed(r, step, lrs[step - 1]);
                    r.run().close();
                    open.forEach(Tensor::close);
                    Map<String, float[]> v = net.read(session, x -> x.name().startsWith("toy/"));
                    out.add(new double[][] {doubles(v.get("toy/kernel")), doubles(v.get("toy/bias"))});
                }
            }
            return out;
        }
    }

    /**
     * solo-learn's LARS.step (dampening 0) for one parameter, in double: the trust ratio and the
     * decay only inside the adapted branch with both norms non-zero; then PyTorch momentum.
     * For a spec without LARS, PyTorch's SGD with coupled L2 on decayed parameters.
     */
    private static void referenceStep(OptimizerSpec s, double lr, double[] p, double[] g, double[] buf, boolean decayed) {
        double wd = s.weightDecay();
        double[] d = g.clone();
        if (s.lars().isPresent()) {
            double pNorm = norm(p);
            double gNorm = norm(g);
            if (decayed && pNorm != 0 && gNorm != 0) {
                double larsLr = pNorm / (gNorm + pNorm * wd + 1e-8) * s.lars().get().eta();
                if (s.lars().get().clipLr()) {
                    larsLr = Math.min(larsLr / lr, 1); // lr 0: +inf, so 1 (as a torch tensor division)
                }
                for (int i = 0; i < d.length; i++) {
                    d[i] = (g[i] + wd * p[i]) * larsLr;
                }
            }
        } else if (decayed && wd > 0) {
            for (int i = 0; i < d.length; i++) {
                d[i] = g[i] + wd * p[i];
            }
        }
        for (int i = 0; i < d.length; i++) {
            buf[i] = s.momentum() * buf[i] + d[i]; // buf starts at 0: the first step clones d
            double step = s.nesterov() ? d[i] + s.momentum() * buf[i] : buf[i];
            p[i] -= lr * step;
        }
    }

    private static List<double[][]> reference(OptimizerSpec s, double[] b0, double[] t, double[] lrs) {
        double[] w = W0.clone();
        double[] b = b0.clone();
        double[] bufW = new double[w.length];
        double[] bufB = new double[b.length];
        List<double[][]> out = new ArrayList<>();
        for (double lr : lrs) {
            double[] gw = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                gw[i] = C[i] * (w[i] - A[i]);
            }
            double[] gb = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                gb[i] = E[i] * (b[i] - t[i]);
            }
            referenceStep(s, lr, w, gw, bufW, true);
            referenceStep(s, lr, b, gb, bufB, !s.excludesBiasBn());
            out.add(new double[][] {w.clone(), b.clone()});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} m {1} wd {2} nesterov {3} eta {4} clip {5} exclude {6} bias0 {7}")
    @CsvSource({
            // eta 0.02 with clip: trust ≈ 0.009, so trust / lr < 1 at lr 0.5 and 0.2 (and 1 at lr 0)
            "lars, 0.9, 0.1,  false, 0.02,  true,  true,  0.3",
            "lars, 0.9, 0.1,  false, 0.02,  false, true,  0.3",
            "lars, 0.9, 0.0,  false, 0.001, false, true,  0.3",
            // eta 1 with clip: trust ≈ 0.45, so min(trust / lr, 1) is 1 at lr 0 and 0.2 (plain decayed steps)
            "lars, 0.9, 0.05, false, 1.0,   true,  true,  0.3",
            // bias adapted and decayed; it starts at 0, so its first step is unadapted (‖b‖ = 0)
            "lars, 0.9, 0.1,  false, 0.02,  true,  false, 0.0",
            "lars, 0.9, 0.1,  false, 0.02,  false, false, 0.3",
            "lars, 0.0, 0.1,  false, 0.02,  false, true,  0.3",
            "lars, 0.9, 0.1,  true,  0.02,  true,  true,  0.3",
            "sgd,  0.9, 0.1,  false, 0,     false, true,  0.3",
            "sgd,  0.9, 0.1,  false, 0,     false, false, 0.3",
    })
    void matchesSoloLearnsLarsStep(String name, double momentum, double wd, boolean nesterov,
                                   double eta, boolean clip, boolean exclude, double bias0) {
        OptimizerSpec spec = name.equals("lars")
                ? OptimizerSpec.lars(1.0, momentum, wd, nesterov, eta, clip, exclude)
                : new OptimizerSpec(name, 1.0, momentum, wd, nesterov).withExcludeBiasBn(exclude);
        double[] lrs = LRS;
        double[] b0 = {bias0, -bias0};
        double[] t = {1.0, 2.0};
        List<double[][]> got = train(spec, b0, t, lrs);
        List<double[][]> want = reference(spec, b0, t, lrs);
        for (int step = 0; step < lrs.length; step++) {
            for (int v = 0; v < 2; v++) {
                double[] g = got.get(step)[v];
                double[] e = want.get(step)[v];
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], g[i], 1e-5 * Math.max(1, Math.abs(e[i])),
                            (v == 0 ? "kernel" : "bias") + "[" + i + "] after step " + (step + 1));
                }
            }
        }
    }

    /**
     * With the default exclusion a bias is neither adapted nor decayed: one LARS step moves it by
     * exactly −lr·∇b, while the kernel moves by −lr·trust·(∇w + wd·w), not −lr·∇w.
     */
    @Test
    void excludedBiasTakesThePlainGradientStep() {
        OptimizerSpec spec = OptimizerSpec.lars(0.5, 0.9, 0.1, false, 0.02, false, true);
        double[] b0 = {0.3, -0.3};
        double[] t = {1.0, 2.0};
        double[][] after = train(spec, b0, t, new double[] {0.5}).get(0);
        for (int i = 0; i < 2; i++) {
            assertEquals(b0[i] - 0.5 * E[i] * (b0[i] - t[i]), after[1][i], 1e-6, "bias[" + i + "]");
        }
        double plainKernel0 = W0[0] - 0.5 * C[0] * (W0[0] - A[0]);
        assertNotEquals(plainKernel0, after[0][0], 1e-3, "the kernel step is LARS-scaled");
    }

    /**
     * Weight decay skips a bias by default and reaches it with exclude_bias_bn false: a bias at its
     * optimum (zero gradient) stays put, or shrinks by (1 − lr·wd) in one SGD step.
     */
    @Test
    void excludeBiasBnDecidesWhetherWeightDecayReachesBiases() {
        double[] b0 = {0.3, -0.6};
        OptimizerSpec excluded = new OptimizerSpec("sgd", 0.5, 0.9, 0.1, false);
        double[][] kept = train(excluded, b0, b0, new double[] {0.5}).get(0);
        assertArrayEquals(floats(b0), floats(kept[1]), 0f);
        double[][] decayed = train(excluded.withExcludeBiasBn(false), b0, b0, new double[] {0.5}).get(0);
        for (int i = 0; i < 2; i++) {
            assertEquals(b0[i] * (1 - 0.5 * 0.1), decayed[1][i], 1e-6, "bias[" + i + "]");
        }
        // Adam alike: a zero gradient plus decay gives a non-zero step only when biases are decayed.
        OptimizerSpec adam = new OptimizerSpec("adam", 0.01, 0.9, 0.1, false);
        assertArrayEquals(floats(b0), floats(train(adam, b0, b0, new double[] {0.01}).get(0)[1]), 0f);
        double[] adamDecayed = train(adam.withExcludeBiasBn(false), b0, b0, new double[] {0.01}).get(0)[1];
        for (int i = 0; i < 2; i++) {
            assertNotEquals(b0[i], adamDecayed[i], 1e-4, "bias[" + i + "]");
        }
    }

    /** The default exclusion is stored as empty, so it stays out of config hashes. */
    @Test
    void defaultExclusionIsStoredEmpty() {
        assertEquals(Optional.empty(), new OptimizerSpec("sgd", 0.1, 0.9, 1e-4, false).withExcludeBiasBn(true).excludeBiasBn());
        assertEquals(Optional.of(false), new OptimizerSpec("sgd", 0.1, 0.9, 1e-4, false).withExcludeBiasBn(false).excludeBiasBn());
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] doubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
