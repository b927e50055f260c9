package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.spec.OptimizerSpec;

/**
 * {@link Optimizer}'s AdamW against a plain-Java transcription of PyTorch's
 * {@code torch.optim.AdamW} ({@code torch/optim/adamw.py}@002d2f0b {@code _single_tensor_adamw},
 * amsgrad off) on {@link LarsOptimizerTest}'s toy loss (kernel w with ∇w = c⊙(w − a), bias b with
 * ∇b = e⊙(b − t)), three steps with a scheduled lr.
 */
class AdamwOptimizerTest {
    private static final double[] LRS = {0.1, 0.05, 0.02};

    /** PyTorch's AdamW step for one parameter (t is 1-based), in double. */
    private static void referenceStep(OptimizerSpec s, double lr, int t, double[] p, double[] g, double[] m, double[] v,
                                      boolean decayed) {
        OptimizerSpec.AdamW a = s.adamw().orElseThrow();
        double wd = decayed ? s.weightDecay() : 0;
        double bc1 = 1 - Math.pow(a.beta1(), t);
        double bc2 = 1 - Math.pow(a.beta2(), t);
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd; // param.mul_(1 - lr * weight_decay)
            m[i] = a.beta1() * m[i] + (1 - a.beta1()) * g[i];
            v[i] = a.beta2() * v[i] + (1 - a.beta2()) * g[i] * g[i];
            double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + a.epsilon();
            p[i] -= lr / bc1 * m[i] / denom;
        }
    }

    private static List<double[][]> reference(OptimizerSpec s, double[] b0, double[] t, double[] lrs) {
        double[] w = LarsOptimizerTest.W0.clone();
        double[] b = b0.clone();
        double[][] mw = {new double[w.length], new double[w.length]};
        double[][] mb = {new double[b.length], new double[b.length]};
        List<double[][]> out = new ArrayList<>();
        for (int step = 1; step <= lrs.length; step++) {
            double[] gw = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                gw[i] = LarsOptimizerTest.C[i] * (w[i] - LarsOptimizerTest.A[i]);
            }
            double[] gb = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                gb[i] = LarsOptimizerTest.E[i] * (b[i] - t[i]);
            }
            referenceStep(s, lrs[step - 1], step, w, gw, mw[0], mw[1], true);
            referenceStep(s, lrs[step - 1], step, b, gb, mb[0], mb[1], !s.excludesBiasBn());
            out.add(new double[][] {w.clone(), b.clone()});
        }
        return out;
    }

    @ParameterizedTest(name = "wd {0} beta1 {1} beta2 {2} eps {3} exclude {4}")
    @CsvSource({
            // PyTorch's defaults, biases excluded from the decay (the harness default)
            "0.01, 0.9, 0.999, 1e-8, true",
            "0.01, 0.9, 0.999, 1e-8, false",
            // a strong decay makes the decoupled shrink visible next to the Adam step
            "0.5,  0.9, 0.999, 1e-8, true",
            "0.5,  0.9, 0.999, 1e-8, false",
            "0.0,  0.9, 0.999, 1e-8, true",
            // other betas; ε of the order of sqrt(v̂), where PyTorch's placement of ε differs from TF's
            "0.1,  0.5, 0.9,   0.5,  false",
    })
    void matchesPyTorchsAdamW(double wd, double beta1, double beta2, double eps, boolean exclude) {
        OptimizerSpec spec = OptimizerSpec.adamw(1.0, wd, new OptimizerSpec.AdamW(beta1, beta2, eps), exclude);
        double[] b0 = {0.3, -0.3};
        double[] t = {1.0, 2.0};
        List<double[][]> got = LarsOptimizerTest.train(spec, b0, t, LRS);
        List<double[][]> want = reference(spec, b0, t, LRS);
        for (int step = 0; step < LRS.length; step++) {
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
     * The decay is decoupled: a bias at its optimum (zero gradient, so a zero Adam step) shrinks by
     * exactly (1 − lr·wd) when biases are decayed, and stays put by default. Adam's coupled L2
     * would instead move it by about lr (the Adam step normalises wd·b to ±1).
     */
    @Test
    void decayIsDecoupledAndSkipsBiasesByDefault() {
        double[] b0 = {0.3, -0.6};
        OptimizerSpec excluded = OptimizerSpec.adamw(1.0, 0.1, OptimizerSpec.AdamW.DEFAULTS, true);
        double[] kept = LarsOptimizerTest.train(excluded, b0, b0, new double[] {0.5}).get(0)[1];
        assertArrayEquals(LarsOptimizerTest.floats(b0), LarsOptimizerTest.floats(kept), 0f);
        double[] decayed = LarsOptimizerTest.train(excluded.withExcludeBiasBn(false), b0, b0, new double[] {0.5})
                .get(0)[1];
        for (int i = 0; i < 2; i++) {
            assertEquals(b0[i] * (1 - 0.5 * 0.1), decayed[i], 1e-6, "bias[" + i + "]");
        }
        double[] coupled = LarsOptimizerTest.train(new OptimizerSpec("adam", 1.0, 0.9, 0.1, false).withExcludeBiasBn(false),
                b0, b0, new double[] {0.5}).get(0)[1];
        assertNotEquals(decayed[0], coupled[0], 1e-2, "adam's coupled L2 differs from AdamW's decoupled decay");
    }
}
