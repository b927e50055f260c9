package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** MoCo's InfoNCE (He et al., CVPR 2020, eq. 1) against a double-precision reference of the equation. */
public class InfoNceLossTest {
    private static final int B = 4;
    private static final int D = 5;
    private static final int K = 6;
    private static final double T = 0.2;
    private static final long[][] SHAPES = {{B, D}, {B, D}, {K, D}};

    /**
     * Eq. 1 read off the paper: for query i, L = −log(exp(q·k₊/τ) / (exp(q·k₊/τ) + Σ_queue exp(q·k₋/τ)))
     * with q, k₊ scaled to unit length; the mean over queries. Queue rows are used as given.
     * Public for method tests that check a real step's loss.
     */
    public static double reference(double[] q, double[] k, double[] queue, int b, int d, int negatives, double tau) {
        double total = 0;
        for (int i = 0; i < b; i++) {
            double[] qi = unit(q, i, d);
            double[] ki = unit(k, i, d);
            double pos = Math.exp(dot(qi, ki, 0) / tau);
            double denominator = pos;
            for (int j = 0; j < negatives; j++) {
                denominator += Math.exp(dot(qi, queue, j * d) / tau);
            }
            total += -Math.log(pos / denominator);
        }
        return total / b;
    }

    private static double[] unit(double[] x, int row, int d) {
        double norm = 0;
        for (int c = 0; c < d; c++) {
            norm += x[row * d + c] * x[row * d + c];
        }
        double[] out = new double[d];
        for (int c = 0; c < d; c++) {
            out[c] = x[row * d + c] / Math.sqrt(norm);
        }
        return out;
    }

    private static double dot(double[] a, double[] b, int bOffset) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += a[c] * b[bOffset + c];
        }
        return s;
    }

    /** Gaussian q, k and a queue of unit rows (as FeatureQueue keeps them). */
    private static float[][] inputs(long seed) {
        float[][] x = LossCheck.gaussian(seed, SHAPES);
        for (int r = 0; r < K; r++) {
            double norm = 0;
            for (int c = 0; c < D; c++) {
                norm += x[2][r * D + c] * x[2][r * D + c];
            }
            for (int c = 0; c < D; c++) {
                x[2][r * D + c] /= (float) Math.sqrt(norm);
            }
        }
        return x;
    }

    /** A fixed input; keys and queue are stop-gradient, so LossCheck can only differentiate the queries. */
    static Operand<TFloat32> constant(Ops tf, float[] data, long... shape) {
        return tf.reshape(tf.constant(data), tf.constant(shape));
    }

    /** The loss with the queries {@code x[0]} as the input and keys {@code x[1]}, queue {@code x[2]} fixed. */
    private static LossCheck.Result tf(float[][] x, double tau) {
        return LossCheck.evaluate((tf, in) -> InfoNceLoss.withQueue(tf, in.get(0), constant(tf, x[1], B, D),
                constant(tf, x[2], K, D), tau, B), new float[][] {x[0]}, new long[][] {SHAPES[0]});
    }

    @Test
    void valueMatchesEquationOne() {
        for (long seed : new long[] {1, 2, 3}) {
            float[][] x = inputs(seed);
            double[][] d = LossCheck.toDouble(x);
            LossCheck.assertRelativeClose(reference(d[0], d[1], d[2], B, D, K, T), tf(x, T).value(), 1e-5);
        }
    }

    @Test
    void queryGradientMatchesFiniteDifferences() {
        float[][] x = inputs(4);
        double[][] d = LossCheck.toDouble(x);
        double[][] fd = LossCheck.finiteDifference(v -> reference(v[0], d[1], d[2], B, D, K, T), new double[][] {d[0]}, 1e-4);
        LossCheck.assertGradientsClose(fd, tf(x, T).gradients(), 2e-3);
    }

    /**
     * Keys computed from the queries themselves (k = q + noise, as a key encoder sharing the query's
     * weights would): the gradient must treat k as a constant, as MoCo's stop-gradient does.
     */
    @Test
    void keysAreStopGradient() {
        float[][] x = inputs(9);
        float[] noise = x[1];
        LossCheck.Result r = LossCheck.evaluate((tf, in) -> InfoNceLoss.withQueue(tf, in.get(0),
                tf.math.add(in.get(0), constant(tf, noise, B, D)), constant(tf, x[2], K, D), T, B),
                new float[][] {x[0]}, new long[][] {SHAPES[0]});
        double[] q = LossCheck.toDouble(x)[0];
        double[] k = new double[q.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = x[0][i] + noise[i];
        }
        double[] queue = LossCheck.toDouble(x)[2];
        LossCheck.assertRelativeClose(reference(q, k, queue, B, D, K, T), r.value(), 1e-5);
        double[][] keysFixed = LossCheck.finiteDifference(v -> reference(v[0], k, queue, B, D, K, T), new double[][] {q}, 1e-4);
        LossCheck.assertGradientsClose(keysFixed, r.gradients(), 2e-3);
        double[][] keysFollow = LossCheck.finiteDifference(v -> {
            double[] moved = new double[v[0].length];
            for (int i = 0; i < moved.length; i++) {
                moved[i] = v[0][i] + noise[i];
            }
            return reference(v[0], moved, queue, B, D, K, T);
        }, new double[][] {q}, 1e-4);
        double differs = 0;
        for (int i = 0; i < q.length; i++) {
            differs = Math.max(differs, Math.abs(keysFollow[0][i] - keysFixed[0][i]));
        }
        assertTrue(differs > 1e-2, "the case must distinguish a stopped from a flowing key gradient");
    }

    @Test
    void symmetricAveragesBothDirections() {
        float[][] x = LossCheck.gaussian(5, new long[] {B, D}, new long[] {B, D}, new long[] {B, D}, new long[] {B, D});
        float[] queue = inputs(6)[2];
        double[][] d = LossCheck.toDouble(x);
        double[] dq = LossCheck.toDouble(new float[][] {queue})[0];
        double expected = 0.5 * (reference(d[0], d[3], dq, B, D, K, T) + reference(d[1], d[2], dq, B, D, K, T));
        double actual = LossCheck.evaluate((tf, in) -> InfoNceLoss.symmetric(tf, in.get(0), in.get(1),
                        constant(tf, x[2], B, D), constant(tf, x[3], B, D), constant(tf, queue, K, D), T, B),
                new float[][] {x[0], x[1]}, new long[][] {{B, D}, {B, D}}).value();
        LossCheck.assertRelativeClose(expected, actual, 1e-5);
    }

    /** When the query is orthogonal to its key and to every negative all logits are 0: log(1 + K). */
    @Test
    void orthogonalKeysGiveLogOfTheClassCount() {
        int dim = 2 + K;
        float[] q = new float[B * dim];
        float[] k = new float[B * dim];
        float[] queue = new float[K * dim];
        for (int i = 0; i < B; i++) {
            q[i * dim] = 1 + i; // axis 0, any length
            k[i * dim + 1] = 2;  // axis 1
        }
        for (int j = 0; j < K; j++) {
            queue[j * dim + 2 + j] = 1;
        }
        double v = LossCheck.evaluate((tf, in) -> InfoNceLoss.withQueue(tf, in.get(0), constant(tf, k, B, dim),
                constant(tf, queue, K, dim), T, B), new float[][] {q}, new long[][] {{B, dim}}).value();
        assertEquals(Math.log(1 + K), v, 1e-6);
    }

    /** The loss sees directions only, and the order of the negatives and of the batch does not matter. */
    @Test
    void invariantToScaleAndToPermutingQueueAndBatch() {
        float[][] x = inputs(7);
        double base = tf(x, T).value();
        float[][] changed = {x[0].clone(), x[1].clone(), new float[x[2].length]};
        for (int i = 0; i < B; i++) {
            int src = (i + 1) % B; // rotate the batch, queries and keys together
            for (int c = 0; c < D; c++) {
                changed[0][i * D + c] = x[0][src * D + c] * (3f + i);
                changed[1][i * D + c] = x[1][src * D + c] * 0.5f;
            }
        }
        for (int j = 0; j < K; j++) {
            System.arraycopy(x[2], ((j + 2) % K) * D, changed[2], j * D, D);
        }
        assertEquals(base, tf(changed, T).value(), 1e-5);
        // …but pairing each query with another image's key must change (raise, here) the loss
        float[][] mispaired = {x[0], changed[1], x[2]};
        assertTrue(Math.abs(tf(mispaired, T).value() - base) > 1e-3, "the positive pairing matters");
    }

    @Test
    void lowerTemperatureSharpensAWellAlignedBatch() {
        float[][] x = inputs(8);
        x[1] = x[0].clone(); // each key equals its query: cos(q, k₊) = 1 beats every negative
        double warm = tf(x, 1.0).value();
        double cold = tf(x, 0.05).value();
        assertTrue(cold < warm, "τ 0.05 gave " + cold + ", τ 1 gave " + warm);
        double[][] d = LossCheck.toDouble(x);
        LossCheck.assertRelativeClose(reference(d[0], d[1], d[2], B, D, K, 0.05), cold, 1e-5);
    }

    /** Eq. 1 as a log-sum-exp in double: finite at any τ. */
    private static double stableReference(double[] q, double[] k, double[] queue, int b, int d, int negatives, double tau) {
        double total = 0;
        for (int i = 0; i < b; i++) {
            double[] qi = unit(q, i, d);
            double pos = dot(qi, unit(k, i, d), 0) / tau;
            double[] logits = new double[negatives + 1];
            logits[0] = pos;
            double max = pos;
            for (int j = 0; j < negatives; j++) {
                logits[j + 1] = dot(qi, queue, j * d) / tau;
                max = Math.max(max, logits[j + 1]);
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            total += max + Math.log(sum) - pos;
        }
        return total / b;
    }

    /** τ = 0.01 and 0.001 (logits up to 1000): a finite loss equal to the double reference. */
    @Test
    void smallTemperatureGivesTheFiniteReferenceLoss() {
        float[][] x = inputs(12);
        double[][] d = LossCheck.toDouble(x);
        for (double tau : new double[] {0.01, 0.001}) {
            double expected = stableReference(d[0], d[1], d[2], B, D, K, tau);
            double actual = tf(x, tau).value();
            assertTrue(Double.isFinite(expected) && Double.isFinite(actual), "tau " + tau + ": " + actual);
            assertEquals(expected, actual, 1e-6 / tau + 1e-5 * Math.abs(expected), "tau " + tau);
        }
    }
}
