package org.sslbench.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * DINO's self-distillation loss (Caron, Touvron, Misra, Jégou, Mairal, Bojanowski &amp; Joulin,
 * "Emerging Properties in Self-Supervised Vision Transformers", ICCV 2021, eq. 1 and 3 and
 * Algorithm 1). The teacher's output on a global crop, centred and sharpened, is the target
 * distribution of the student's output on every other crop:
 *
 * <pre>
 *   P_t(x) = softmax((g_t(x) − c) / τ_t)          (stop-gradient: the teacher is no trained branch)
 *   P_s(x) = softmax(g_s(x) / τ_s)
 *   L      = 1/|pairs| · Σ_{i ∈ global crops} Σ_{j ∈ all crops, j ≠ i} mean_batch H(P_t(x_i), P_s(x_j)),
 *   H(a, b) = −Σ_k a_k log b_k                                                                   (eq. 3)
 * </pre>
 *
 * averaged over the pairs as facebookresearch/dino main_dino.py@04c0ad95 DINOLoss.forward (and
 * solo-learn solo/losses/dino.py@252a63fd): with 2 global crops and L local ones, 2·(1 + L) pairs.
 * The centre c is an EMA of the teacher's outputs (Algorithm 1; {@link #updateCenter}):
 * {@code c ← m·c + (1 − m)·mean(teacher outputs over the batch and both global crops)}, applied
 * after the step, so the loss of a step uses the centre of the previous steps.
 *
 * <pre>{@code
 * Variable<TFloat32> center = layers.variable("dino/center", Init.zeros(), Role.STATE, 0, 0, 1, k);
 * Operand<TFloat32> loss = DinoLoss.loss(tf, studentCrops, teacherGlobalCrops, center, teacherTemperature, 0.1);
 * // in Objective.afterStep(afterOptimizer):
 * Op update = DinoLoss.updateCenter(afterOptimizer, center, teacherGlobalCrops, 0.9);
 * }</pre>
 */
public final class DinoLoss {
    private DinoLoss() {
    }

    /**
     * The teacher's target distribution softmax((t − c)/τ_t), detached (tf.stopGradient).
     *
     * @param teacher     teacher outputs [batch, K]
     * @param center      centre [1, K] (or [K])
     * @param temperature τ_t, a scalar tensor (it follows a warm-up schedule)
     * @return [batch, K], rows summing to 1
     */
    public static Operand<TFloat32> teacherProbabilities(Ops tf, Operand<TFloat32> teacher, Operand<TFloat32> center,
                                                         Operand<TFloat32> temperature) {
        return tf.stopGradient(tf.nn.softmax(tf.math.div(tf.math.sub(teacher, center), temperature)));
    }

    /**
     * The loss over every (teacher global crop i, student crop j ≠ i) pair.
     *
     * @param student            the student's outputs of every crop, [batch, K] each; crops 0 and 1 (the first
     *                           {@code teacher.size()}) are the global crops the teacher also saw, in the same order
     * @param teacher            the teacher's outputs of the global crops, [batch, K] each (1 or more; DINO: 2)
     * @param center             centre c, [1, K]
     * @param teacherTemperature τ_t, scalar tensor
     * @param studentTemperature τ_s &gt; 0
     * @return scalar, mean cross-entropy in nats
     * @throws IllegalArgumentException when there is no pair (fewer student crops than 2, or no teacher crop) or
     *                                  more teacher crops than student crops
     */
    public static Operand<TFloat32> loss(Ops tf, List<Operand<TFloat32>> student, List<Operand<TFloat32>> teacher,
                                         Operand<TFloat32> center, Operand<TFloat32> teacherTemperature,
                                         double studentTemperature) {
        if (teacher.isEmpty() || student.size() < 2 || teacher.size() > student.size()) {
            throw new IllegalArgumentException("DINO needs >= 1 teacher crop and >= 2 student crops, the teacher's among them; got "
                    + teacher.size() + " teacher and " + student.size() + " student crops");
        }
        Operand<TFloat32> invTau = tf.constant((float) (1.0 / studentTemperature));
        Operand<TFloat32> total = null;
        int pairs = 0;
        for (int i = 0; i < teacher.size(); i++) {
            Operand<TFloat32> q = teacherProbabilities(tf, teacher.get(i), center, teacherTemperature);
            for (int j = 0; j < student.size(); j++) {
                if (j == i) {
                    continue; // the student is never asked to match the teacher on the same crop
                }
                // −Σ_k q_k log_softmax(s/τ_s)_k per row; this op has a gradient in TF Java (the sparse one has not)
                Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(tf.math.mul(student.get(j), invTau), q).loss();
                Operand<TFloat32> mean = tf.math.mean(ce, tf.constant(0));
                total = total == null ? mean : tf.math.add(total, mean);
                pairs++;
            }
        }
        return tf.math.div(total, tf.constant((float) pairs));
    }

    /**
     * The batch centre: the mean of the teacher's outputs over the batch and the global crops, [1, K]
     * (main_dino.py's batch_center: the sum over the concatenated crops divided by their row count).
     */
    public static Operand<TFloat32> batchCenter(Ops tf, List<Operand<TFloat32>> teacher) {
        Operand<TFloat32> all = teacher.size() == 1 ? teacher.get(0) : tf.concat(teacher, tf.constant(0));
        return tf.stopGradient(tf.math.mean(all, tf.constant(0), org.tensorflow.op.math.Mean.keepDims(true)));
    }

    /**
     * {@code c ← m·c + (1 − m)·batchCenter(teacher)} (Algorithm 1), as an assignment built with the
     * {@code Ops} {@link org.sslbench.method.Objective#afterStep} receives.
     *
     * @param center   the centre variable [1, K]
     * @param momentum m in [0, 1] (DINO 0.9)
     */
    public static Op updateCenter(Ops afterOptimizer, Variable<TFloat32> center, List<Operand<TFloat32>> teacher,
                                  double momentum) {
        Operand<TFloat32> batch = batchCenter(afterOptimizer, teacher);
        // c − (1−m)(c − batch) == m·c + (1−m)·batch
        return afterOptimizer.assignSub(center, afterOptimizer.math.mul(afterOptimizer.constant((float) (1 - momentum)),
                afterOptimizer.math.sub(center, batch)));
    }

    /**
     * Mean entropy −Σ_k p_k log p_k (nats) of the rows of a distribution [batch, K]: the teacher's is
     * log K when it is uniform and 0 when one-hot, DINO's two collapse modes (the paper's discussion of
     * collapse: centering alone drives the output to uniform, sharpening alone to one dimension).
     */
    public static Operand<TFloat32> meanEntropy(Ops tf, Operand<TFloat32> probabilities) {
        Operand<TFloat32> plogp = tf.math.mul(probabilities, tf.math.log(tf.math.maximum(probabilities, tf.constant(1e-12f))));
        return tf.math.neg(tf.math.mean(tf.reduceSum(plogp, tf.constant(1)), tf.constant(0)));
    }
}
