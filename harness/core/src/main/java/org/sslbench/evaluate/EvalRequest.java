package org.sslbench.evaluate;

import java.util.Map;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Precision;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.train.Batches;

/**
 * Everything a protocol needs for one cell.
 *
 * @param encoderWeights pretrained encoder variables by name, or null for random initialisation
 * @param labelled       the stratified label subset (normalised; the protocol adds augmentation)
 * @param test           the full test split
 * @param labelIndices   indices of the subset in the labelled pool (keys into {@code features})
 * @param features       frozen-encoder features of this pretext group, shared by linear and kNN cells
 * @param quiet          no live progress bar
 * @param unlabeled      the evaluation dataset's unlabeled pool, normalised as {@code labelled}: the
 *                       images a pretext on this dataset trains on (Dataset#unlabeled, after the
 *                       spec's unlabeled_limit; labels, if any, never read), for protocols that read
 *                       one (Protocol#usesUnlabeled, fixmatch), so FixMatch and SSL pretraining see
 *                       the same unlabeled images; null for protocols that do not read it
 * @param precision      the EFFECTIVE precision of the cell's sessions: {@link Precision#effective} of
 *                       {@code spec.precision()} on the run's device (BenchRunner resolves it once per
 *                       run); what the row records
 */
public record EvalRequest(ProtocolSpec spec, Backbone backbone, Map<String, float[]> encoderWeights,
                          Batches labelled, Batches test, int[] labelIndices, int classes, long seed,
                          EncoderFeatures features, boolean quiet, Batches unlabeled, Precision precision) {
    public EvalRequest {
        precision = precision == null ? Precision.FP32 : precision;
    }

    /** In fp32. */
    public EvalRequest(ProtocolSpec spec, Backbone backbone, Map<String, float[]> encoderWeights,
                       Batches labelled, Batches test, int[] labelIndices, int classes, long seed,
                       EncoderFeatures features, boolean quiet, Batches unlabeled) {
        this(spec, backbone, encoderWeights, labelled, test, labelIndices, classes, seed, features, quiet, unlabeled,
                Precision.FP32);
    }

    /** A request without an unlabeled pool (for protocols that do not read it). */
    public EvalRequest(ProtocolSpec spec, Backbone backbone, Map<String, float[]> encoderWeights,
                       Batches labelled, Batches test, int[] labelIndices, int classes, long seed,
                       EncoderFeatures features, boolean quiet) {
        this(spec, backbone, encoderWeights, labelled, test, labelIndices, classes, seed, features, quiet, null);
    }
}
