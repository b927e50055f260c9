package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sslbench.testkit.LossCheck;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * DINO's loss (Caron et al., ICCV 2021, eq. 1/3, Algorithm 1; averaged over pairs as
 * facebookresearch/dino main_dino.py@04c0ad95 DINOLoss) against a double-precision reference.
 */
class DinoLossTest {
    private static final int B = 3;
    private static final int K = 5;
    private static final long[] OUT = {B, K};
    private static final long[] CENTER = {1, K};
    private static final double TAU_T = 0.07;
    private static final double TAU_S = 0.1;

    /**
     * Plain Java: for each teacher crop i, q = softmax((t_i − c)/τ_t); for each student crop j ≠ i,
     * mean over rows of −Σ_k q_k log softmax(s_j/τ_s)_k; the mean over all such pairs.
     */
    static double reference(double[][] student, double[][] teacher, double[] center, double tauT, double tauS) {
        double total = 0;
        int pairs = 0;
        for (int i = 0; i < teacher.length; i++) {
            for (int j = 0; j < student.length; j++) {
                if (i == j) {
                    continue;
                }
                double sum = 0;
                for (int r = 0; r < B; r++) {
                    double[] q = softmax(teacher[i], r, center, tauT);
                    double[] p = softmax(student[j], r, new double[K], tauS);
                    for (int k = 0; k < K; k++) {
                        sum -= q[k] * Math.log(p[k]);
                    }
                }
                total += sum / B;
                pairs++;
            }
        }
        return total / pairs;
    }

    private static double[] softmax(double[] x, int row, double[] shift, double tau) {
        double[] out = new double[K];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < K; k++) {
            out[k] = (x[row * K + k] - shift[k]) / tau;
            max = Math.max(max, out[k]);
        }
        double z = 0;
        for (int k = 0; k < K; k++) {
            out[k] = Math.exp(out[k] - max);
            z += out[k];
        }
        for (int k = 0; k < K; k++) {
            out[k] /= z;
        }
        return out;
    }

    /**
     * Student crops as the inputs (placeholders, differentiated); teacher crops {@code x[crops..crops+1]}
     * and the centre {@code x[crops+2]} as constants: they are stop-gradient, so TF has no gradient to them.
     */
    private static LossCheck.Result tf(float[][] x, int crops, double tauT) {
        long[][] shapes = new long[crops][];
        java.util.Arrays.fill(shapes, OUT);
        return LossCheck.evaluate((tf, in) -> DinoLoss.loss(tf, in, List.of(InfoNceLossTest.constant(tf, x[crops], B, K),
                        InfoNceLossTest.constant(tf, x[crops + 1], B, K)), InfoNceLossTest.constant(tf, x[crops + 2], 1, K),
                tf.constant((float) tauT), TAU_S), java.util.Arrays.copyOfRange(x, 0, crops), shapes);
    }

    /** {@code outputs} [B, K] arrays (student crops, then the 2 teacher crops), then the [1, K] centre. */
    private static long[][] shapes(int outputs) {
        List<long[]> s = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            s.add(OUT);
        }
        s.add(CENTER);
        return s.toArray(long[][]::new);
    }

    /** 2 global + 0, 1 and 2 local crops: 2, 4 and 6 pairs; a non-zero centre. */
    @Test
    void valueMatchesTheReferenceWithAndWithoutLocalCrops() {
        for (int locals = 0; locals <= 2; locals++) {
            int crops = 2 + locals;
            float[][] x = LossCheck.gaussian(10 + locals, shapes(crops + 2));
            double[][] d = LossCheck.toDouble(x);
            double expected = reference(java.util.Arrays.copyOfRange(d, 0, crops),
                    java.util.Arrays.copyOfRange(d, crops, crops + 2), d[crops + 2], TAU_T, TAU_S);
            LossCheck.assertRelativeClose(expected, tf(x, crops, TAU_T).value(), 1e-5);
        }
    }

    /** The student gradient (every crop, local ones included) against central differences of the reference. */
    @Test
    void studentGradientMatchesFiniteDifferences() {
        int crops = 3;
        float[][] x = LossCheck.gaussian(20, shapes(crops + 2));
        double[][] d = LossCheck.toDouble(x);
        double[][] teacher = java.util.Arrays.copyOfRange(d, crops, crops + 2);
        double[] center = d[crops + 2];
        double[][] fd = LossCheck.finiteDifference(s -> reference(s, teacher, center, TAU_T, TAU_S),
                java.util.Arrays.copyOfRange(d, 0, crops), 1e-4);
        float[][] grads = tf(x, crops, TAU_T).gradients();
        LossCheck.assertGradientsClose(fd, java.util.Arrays.copyOfRange(grads, 0, crops), 2e-3);
    }

    /**
     * The teacher branch is stop-gradient: with the teacher outputs computed from the student's
     * (teacher = student + noise), the TF gradient must still be the reference one with that teacher
     * held fixed (a gradient through the teacher's softmax would add a second term).
     */
    @Test
    void noGradientFlowsIntoTheTeacher() {
        float[][] x = LossCheck.gaussian(30, shapes(4));
        float[] noise = x[2];
        float[] center = x[4];
        LossCheck.Result r = LossCheck.evaluate((tf, in) -> {
            List<Operand<TFloat32>> student = List.of(in.get(0), in.get(1));
            List<Operand<TFloat32>> teacher = List.of(tf.math.add(in.get(0), InfoNceLossTest.constant(tf, noise, B, K)),
                    tf.math.add(in.get(1), InfoNceLossTest.constant(tf, noise, B, K)));
            return DinoLoss.loss(tf, student, teacher, InfoNceLossTest.constant(tf, center, 1, K), tf.constant((float) TAU_T), TAU_S);
        }, new float[][] {x[0], x[1]}, new long[][] {OUT, OUT});
        double[][] s = LossCheck.toDouble(new float[][] {x[0], x[1]});
        double[][] t = new double[2][B * K];
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < B * K; i++) {
                t[v][i] = x[v][i] + noise[i];
            }
        }
        double[] c = LossCheck.toDouble(new float[][] {center})[0];
        LossCheck.assertRelativeClose(reference(s, t, c, TAU_T, TAU_S), r.value(), 1e-5);
        LossCheck.assertGradientsClose(LossCheck.finiteDifference(v -> reference(v, t, c, TAU_T, TAU_S), s, 1e-4),
                r.gradients(), 2e-3);
    }

    /** c ← m·c + (1 − m)·mean over the batch and both global crops, checked entry by entry. */
    @Test
    void centerUpdateIsTheEmaOfTheTeacherMean() {
        float[][] x = LossCheck.gaussian(40, OUT, OUT, CENTER);
        double m = 0.9;
        float[] updated = FeedAndFetch.run((tf, in) -> {
            var center = tf.variable(org.tensorflow.ndarray.Shape.of(CENTER), TFloat32.class);
            var init = tf.assign(center, in.get(2));
            var update = DinoLoss.updateCenter(tf.withControlDependencies(List.of(init)), center,
                    List.of(in.get(0), in.get(1)), m);
            return tf.withControlDependencies(List.of(update)).identity(center);
        }, x, new long[][] {OUT, OUT, CENTER});
        for (int k = 0; k < K; k++) {
            double mean = 0;
            for (int v = 0; v < 2; v++) {
                for (int r = 0; r < B; r++) {
                    mean += x[v][r * K + k];
                }
            }
            mean /= 2 * B;
            assertEquals(m * x[2][k] + (1 - m) * mean, updated[k], 1e-5, "centre entry " + k);
        }
    }

    /** Uniform teacher rows have entropy log K, one-hot-like ones (τ → small) about 0. */
    @Test
    void teacherEntropySpansUniformToOneHot() {
        float[] zeros = new float[B * K];
        float[] center = new float[K];
        float[] uniform = FeedAndFetch.run((tf, in) -> DinoLoss.meanEntropy(tf,
                DinoLoss.teacherProbabilities(tf, in.get(0), in.get(1), tf.constant(0.04f))), new float[][] {zeros, center},
                new long[][] {OUT, CENTER});
        assertEquals(Math.log(K), uniform[0], 1e-5);
        float[] peaked = new float[B * K];
        for (int r = 0; r < B; r++) {
            peaked[r * K + r % K] = 1;
        }
        float[] sharp = FeedAndFetch.run((tf, in) -> DinoLoss.meanEntropy(tf,
                DinoLoss.teacherProbabilities(tf, in.get(0), in.get(1), tf.constant(0.01f))), new float[][] {peaked, center},
                new long[][] {OUT, CENTER});
        assertEquals(0, sharp[0], 1e-3);
    }

    @Test
    void refusesCropListsWithoutAPair() {
        float[][] x = LossCheck.gaussian(50, OUT, CENTER);
        assertThrows(IllegalArgumentException.class, () -> LossCheck.evaluate((tf, in) -> DinoLoss.loss(tf, List.of(in.get(0)),
                List.of(in.get(0)), in.get(1), tf.constant(0.04f), TAU_S), x, new long[][] {OUT, CENTER}));
    }
}
