/**
 * The method plugin API: what a pretext method implements ({@link org.sslbench.method.Method},
 * {@link org.sslbench.method.Objective}) and what the harness hands it.
 *
 * <p><b>Stable for plugins</b> (source-compatible within a major version; new interface methods
 * come with defaults so existing plugins keep compiling and loading; changes are listed in the
 * README's "What changed"): {@code Method}, {@code Objective}, {@code PretextContext},
 * {@code StepBatch}, {@code Feeds}, {@code Param}, {@code ParamRange}, {@code Params}, {@code Head},
 * {@code Ema} and {@code FeatureQueue}, together with {@code org.sslbench.losses} (its package doc),
 * {@code org.sslbench.engine.Classifier}, {@code Layers} and {@code Encoder} as reached through
 * {@code PretextContext}. Everything else in sslbench-core (spec, train, run, results, ...) is the
 * harness's own and may change without notice.
 *
 * <p>Batch size: every step of a pretext run feeds exactly {@link
 * org.sslbench.method.PretextContext#batchSize()} images ({@link org.sslbench.method.StepBatch#size()}
 * is the same number every step): min(spec {@code batch_size}, images in the unlabeled pool), with
 * the last partial batch of each epoch dropped, so a loss may build masks of that static size.
 */
package org.sslbench.method;
