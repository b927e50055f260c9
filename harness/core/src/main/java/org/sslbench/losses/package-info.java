/**
 * SSL losses as pure functions of graph tensors, and the {@link org.sslbench.losses.TensorMath}
 * helpers they are built from: a stable part of the plugin API (README, "Writing a method plugin").
 *
 * <p><b>Stable for plugins</b> (kept source-compatible within a major version; a change is listed
 * in the README's "What changed"): every public class and public static method of this package —
 * {@code TensorMath} (l2 normalisation, identity / diagonal / off-diagonal masks, log-sum-exp,
 * one-hot cross-entropy, ones, sums and means, static sizes) and the losses ({@code NtXentLoss},
 * {@code InfoNceLoss}, {@code NegativeCosineLoss}, {@code NormalizedMseLoss}, {@code NnclrLoss},
 * {@code BarlowTwinsLoss}, {@code VicregLoss} and the ones added later), including their public
 * {@code DEFAULT_*} constants and result records ({@code Terms}). Each loss's doc comment cites its
 * paper and equation and shows a call.
 *
 * <p>Contract of every function here: it builds ops with the given {@code Ops} and holds no state;
 * inputs are float32 [batch, d] embeddings (or [n, n] matrices where documented) whose batch size
 * is static ({@link org.sslbench.losses.TensorMath#dim}); the result is a scalar (or the documented
 * shape) with a gradient in TF Java with respect to every float input, checked against finite
 * differences in this package's tests. Only ops with a gradient in TF Java are used (README, "TensorFlow ops
 * without a gradient in TF Java"). Targets that must not receive gradients (a teacher's output,
 * Sinkhorn codes) are the caller's to wrap in {@code tf.stopGradient}.
 *
 * <p>Not covered by the promise: package-private members, and the exact float32 rounding of a value.
 * To test a plugin's own loss the same way, use {@code org.sslbench.testkit.LossCheck}
 * (artifact {@code org.sslbench:sslbench-testkit}, test scope).
 */
package org.sslbench.losses;
