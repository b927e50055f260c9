package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class NnclrLossTest {
    private static final int N = 4;
    private static final int D = 3;
    private static final int Q = 7;
    private static final long[][] SHAPES = {{N, D}, {N, D}, {N, D}, {N, D}, {Q, D}};

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        double[] u = v.clone();
        for (int i = 0; i < u.length; i++) {
            u[i] /= Math.sqrt(norm);
        }
        return u;
    }

    private static double[] row(double[] m, int r, int d) {
        return Arrays.copyOfRange(m, r * d, (r + 1) * d);
    }

    /** The paper's NN(z, Q) = argmin_q ‖z − q‖₂ on L2-normalised vectors. */
    static int nearest(double[] z, double[] queue, int rows, int d) {
        double[] u = unit(z);
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            double[] q = unit(row(queue, r, d));
            double dist = 0;
            for (int j = 0; j < d; j++) {
                dist += (u[j] - q[j]) * (u[j] - q[j]);
            }
            if (dist < bestDistance) {
                bestDistance = dist;
                best = r;
            }
        }
        return best;
    }

    /** −1/n Σ_i log( exp(NN(z_i)·p_i⁺/τ) / Σ_k exp(NN(z_i)·p_k⁺/τ) ), vectors normalised. */
    private static double oneDirection(double[] z, double[] pOther, double[] queue, double tau) {
        double total = 0;
        for (int i = 0; i < N; i++) {
            double[] nn = unit(row(queue, nearest(row(z, i, D), queue, Q, D), D));
            double[] sims = new double[N];
            double denominator = 0;
            for (int k = 0; k < N; k++) {
                double[] p = unit(row(pOther, k, D));
                for (int j = 0; j < D; j++) {
                    sims[k] += nn[j] * p[j];
                }
                denominator += Math.exp(sims[k] / tau);
            }
            total += -Math.log(Math.exp(sims[i] / tau) / denominator);
        }
        return total / N;
    }

    /** Inputs in the order z1, z2, p1, p2, queue. */
    static double reference(double[][] x, double tau) {
        return 0.5 * (oneDirection(x[0], x[3], x[4], tau) + oneDirection(x[1], x[2], x[4], tau));
    }

    private static float tfLoss(float[][] x, double tau) {
        return FeedAndFetch.run((tf, in) -> lookupAndLoss(tf, in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), tau),
                x, SHAPES)[0];
    }

    private static Operand<TFloat32> lookupAndLoss(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2, Operand<TFloat32> p1,
                                                   Operand<TFloat32> p2, Operand<TFloat32> queue, double tau) {
        return NnclrLoss.loss(tf, NnclrLoss.nearestNeighbour(tf, z1, queue), NnclrLoss.nearestNeighbour(tf, z2, queue),
                p1, p2, N, tau);
    }

    private static Operand<TFloat32> constant(Ops tf, float[] values, int rows) {
        return tf.reshape(tf.constant(values), tf.constant(new long[] {rows, D}));
    }

    /** Gaussian batch with a support set of unit rows (as the queue holds). */
    private static float[][] inputs(long seed) {
        float[][] x = LossCheck.gaussian(seed, SHAPES);
        for (int r = 0; r < Q; r++) {
            double[] u = unit(row(LossCheck.toDouble(x)[4], r, D));
            for (int j = 0; j < D; j++) {
                x[4][r * D + j] = (float) u[j];
            }
        }
        return x;
    }

    @Test
    void nearestNeighbourIsTheQueueRowWithTheHighestCosineNotTheHighestDotProduct() {
        // row 0 is long and 30 degrees off z = (1, 0.2): it wins by dot product, row 1 by cosine
        float[] queue = {10f, 8f, 1f, 0.1f, 0f, 1f, -1f, 0f};
        float[] z = {1f, 0.2f, 0.1f, 1f, -3f, 0.5f};
        float[] nn = FeedAndFetch.run((tf, in) -> NnclrLoss.nearestNeighbour(tf, in.get(0), in.get(1)),
                new float[][] {z, queue}, new long[][] {{3, 2}, {4, 2}});
        int[] expected = new int[3];
        for (int i = 0; i < 3; i++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestDot = 0;
            double bestDotValue = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < 4; r++) {
                double dot = z[2 * i] * queue[2 * r] + z[2 * i + 1] * queue[2 * r + 1];
                double cos = dot / Math.hypot(z[2 * i], z[2 * i + 1]) / Math.hypot(queue[2 * r], queue[2 * r + 1]);
                if (cos > best) {
                    best = cos;
                    expected[i] = r;
                }
                if (dot > bestDotValue) {
                    bestDotValue = dot;
                    bestDot = r;
                }
            }
            if (i == 0) {
                assertNotEquals(bestDot, expected[i], "the fixture must tell cosine from dot product apart");
            }
            assertArrayEquals(Arrays.copyOfRange(queue, 2 * expected[i], 2 * expected[i] + 2),
                    Arrays.copyOfRange(nn, 2 * i, 2 * i + 2), "row " + i + " gets queue row " + expected[i] + " as stored");
        }
        // and on a random case with a bigger support set
        float[][] r = LossCheck.gaussian(21, new long[] {6, 5}, new long[] {40, 5});
        float[] got = FeedAndFetch.run((tf, in) -> NnclrLoss.nearestNeighbour(tf, in.get(0), in.get(1)), r,
                new long[][] {{6, 5}, {40, 5}});
        double[][] rd = LossCheck.toDouble(r);
        for (int i = 0; i < 6; i++) {
            int k = nearest(row(rd[0], i, 5), rd[1], 40, 5);
            assertArrayEquals(Arrays.copyOfRange(r[1], 5 * k, 5 * k + 5), Arrays.copyOfRange(got, 5 * i, 5 * i + 5));
        }
    }

    @Test
    void valueMatchesThePaperFormula() {
        for (long seed : new long[] {1, 2}) {
            float[][] x = inputs(seed);
            for (double tau : new double[] {0.1, 0.5}) {
                LossCheck.assertRelativeClose(reference(LossCheck.toDouble(x), tau), tfLoss(x, tau), 1e-5);
            }
        }
    }

    @Test
    void gradientWithRespectToThePredictionsMatchesFiniteDifferences() {
        double tau = 0.5;
        float[][] x = inputs(4);
        // z1, z2 and the support set fixed, so the neighbours are fixed too
        LossCheck.Result r = LossCheck.evaluate((tf, p) -> lookupAndLoss(tf, constant(tf, x[0], N), constant(tf, x[1], N),
                p.get(0), p.get(1), constant(tf, x[4], Q), tau), new float[][] {x[2], x[3]}, new long[][] {{N, D}, {N, D}});
        double[][] fd = LossCheck.finiteDifference(p -> reference(new double[][] {
                LossCheck.toDouble(x)[0], LossCheck.toDouble(x)[1], p[0], p[1], LossCheck.toDouble(x)[4]}, tau),
                LossCheck.toDouble(new float[][] {x[2], x[3]}), 1e-4);
        LossCheck.assertGradientsClose(fd, r.gradients(), 2e-3);
    }

    /**
     * NN(z) is a support-set row, piecewise constant in z, so the paper's loss has zero derivative
     * in z through the neighbour. With an identity predictor (p = z) z is reached only through the
     * predictions: TF's gradient (neighbour path cut by stopGradient) must equal the finite
     * differences of the full formula, whose neighbour path contributes exactly nothing. (Had TF
     * differentiated the neighbour lookup, the gradient would go to the support set, which is a
     * buffer and not trained.)
     */
    @Test
    void noGradientFlowsThroughTheNeighbourLookup() {
        double tau = 0.5;
        float[][] x = inputs(6);
        float[] queue = x[4];
        LossCheck.Result r = LossCheck.evaluate((tf, z) -> lookupAndLoss(tf, z.get(0), z.get(1), z.get(0), z.get(1),
                constant(tf, queue, Q), tau), new float[][] {x[0], x[1]}, new long[][] {{N, D}, {N, D}});
        double[] q = LossCheck.toDouble(new float[][] {queue})[0];
        double[][] fd = LossCheck.finiteDifference(z -> reference(new double[][] {z[0], z[1], z[0], z[1], q}, tau),
                LossCheck.toDouble(new float[][] {x[0], x[1]}), 1e-4);
        LossCheck.assertGradientsClose(fd, r.gradients(), 2e-3);
        // the neighbours alone (predictions held fixed) do not move the loss under small changes of z
        double[][] all = LossCheck.toDouble(x);
        double[][] nnOnly = LossCheck.finiteDifference(z -> reference(new double[][] {z[0], z[1], all[2], all[3], q}, tau),
                new double[][] {all[0], all[1]}, 1e-4);
        for (double[] g : nnOnly) {
            for (double v : g) {
                assertEquals(0.0, v, 1e-9);
            }
        }
    }

    @Test
    void withTheBatchItselfAsSupportSetEachDirectionIsPlainCrossViewInfoNce() {
        // z1 normalised and stored as the queue: NN(z1_i) = z1_i, so the forward term is InfoNCE(z1, p2)
        float[][] x = inputs(9);
        float[][] q = {x[0], x[3], x[0]};
        double[] zq = LossCheck.toDouble(q)[0];
        for (int i = 0; i < N; i++) {
            double[] u = unit(row(zq, i, D));
            for (int j = 0; j < D; j++) {
                q[2][i * D + j] = (float) u[j];
            }
        }
        long[][] shapes = {{N, D}, {N, D}, {N, D}};
        float nnTerm = FeedAndFetch.run((tf, in) -> NtXentLoss.crossView(tf,
                NnclrLoss.nearestNeighbour(tf, in.get(0), in.get(2)), in.get(1), N, 0.1), q, shapes)[0];
        float plain = FeedAndFetch.run((tf, in) -> NtXentLoss.crossView(tf, in.get(0), in.get(1), N, 0.1), q, shapes)[0];
        assertEquals(plain, nnTerm, 1e-5 * Math.abs(plain));
        // with another support set the neighbours differ and so does the loss
        float[][] other = {x[0], x[3], inputs(10)[4]};
        float elsewhere = FeedAndFetch.run((tf, in) -> NtXentLoss.crossView(tf,
                NnclrLoss.nearestNeighbour(tf, in.get(0), in.get(2)), in.get(1), N, 0.1), other,
                new long[][] {{N, D}, {N, D}, {Q, D}})[0];
        assertTrue(Math.abs(elsewhere - plain) > 1e-3, "a different support set changes the positives");
    }
}
