package org.sslbench.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * SwAV's swapped prediction loss (Caron et al., "Unsupervised Learning of Visual Features by
 * Contrasting Cluster Assignments", NeurIPS 2020, §3.1 eq. 1–2, multi-crop eq. 4): the code q_s
 * of one crop is predicted from every other crop t,
 * <pre>
 *   ℓ(z_t, q_s) = − Σ_k q_s^(k) log p_t^(k),   p_t^(k) = softmax_k(z_tᵀ c_k / τ)
 * </pre>
 * averaged as facebookresearch/swav main_swav.py@5e073db0: for each code crop s, the mean over
 * the batch of ℓ, averaged over the V − 1 other crops, then averaged over the code crops,
 * <pre>
 *   L = 1/|S| Σ_{s∈S} 1/(V−1) Σ_{t≠s} 1/B Σ_b ℓ(z_t,b, q_s,b)
 * </pre>
 * The codes are targets: they enter under {@code stopGradient} (compute them with
 * {@link SinkhornKnopp}); gradients reach only the scores of the predicting crops. Uses
 * SoftmaxCrossEntropyWithLogits, which has a gradient in TF Java.
 *
 * <pre>{@code
 * List<Operand<TFloat32>> scores = ...;                       // per crop: z_v · C, [batch, K]
 * List<Operand<TFloat32>> codes = List.of(SinkhornKnopp.codes(tf, scores.get(0), 0.05, 3),
 *                                         SinkhornKnopp.codes(tf, scores.get(1), 0.05, 3));
 * Operand<TFloat32> loss = SwavLoss.loss(tf, scores, codes, 0.1);
 * }</pre>
 */
public final class SwavLoss {
    private SwavLoss() {
    }

    /**
     * @param scores      per crop v (V ≥ 2), [B, K] scores z_vᵀ c_k (before the temperature)
     * @param codes       per code crop s = 0 … |S|−1 (the first |S| crops, swav's {@code crops_for_assign}
     *                    0, 1), [B, K] rows summing to 1
     * @param temperature τ &gt; 0 (swav and solo-learn: 0.1)
     * @return scalar loss
     * @throws IllegalArgumentException with fewer than 2 crops, no codes, more codes than crops, or τ ≤ 0
     */
    public static Operand<TFloat32> loss(Ops tf, List<Operand<TFloat32>> scores, List<Operand<TFloat32>> codes,
                                         double temperature) {
        int views = scores.size();
        if (views < 2 || codes.isEmpty() || codes.size() > views || !(temperature > 0)) {
            throw new IllegalArgumentException("SwAV loss needs >= 2 crops, 1.." + views + " code crops and temperature > 0; got "
                    + views + " crops, " + codes.size() + " code crops, temperature " + temperature);
        }
        Operand<TFloat32> invTau = tf.constant((float) (1 / temperature));
        Operand<TFloat32> total = null;
        for (int s = 0; s < codes.size(); s++) {
            Operand<TFloat32> q = tf.stopGradient(codes.get(s));
            Operand<TFloat32> sub = null;
            for (int t = 0; t < views; t++) {
                if (t == s) {
                    continue;
                }
                Operand<TFloat32> logits = tf.math.mul(scores.get(t), invTau);
                Operand<TFloat32> ce = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, q).loss(), tf.constant(0));
                sub = sub == null ? ce : tf.math.add(sub, ce);
            }
            Operand<TFloat32> perCode = tf.math.div(sub, tf.constant((float) (views - 1)));
            total = total == null ? perCode : tf.math.add(total, perCode);
        }
        return tf.math.div(total, tf.constant((float) codes.size()));
    }
}
