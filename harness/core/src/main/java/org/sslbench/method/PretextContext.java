package org.sslbench.method;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** What the harness gives a method to build its objective with. */
public interface PretextContext {
    /** Graph-mode ops of the pretext graph. */
    Ops tf();

    /**
     * Layer builders; variables created through them are trained with the encoder unless they
     * lie under a scope passed to {@link #targetEncoder} or {@link #freeze}.
     */
    Layers layers();

    /** The encoder being pretrained (its weights are what downstream protocols receive). */
    Encoder encoder();

    /**
     * A second instance of the backbone under {@code scope}, initialised with the online encoder's
     * weights and excluded from gradients: the momentum/target encoder of MoCo and BYOL.
     */
    Encoder targetEncoder(String scope);

    /** Excludes every variable under {@code scope} from gradient updates (e.g. a target projector). */
    void freeze(String scope);

    /** Copies every variable under {@code from} into the same-named one under {@code to} once, at initialisation. */
    void initializeAsCopy(String from, String to);

    Params params();

    /** Shape of the dataset's images (and of every view of full size). */
    ImageShape shape();

    /**
     * Augmented view {@code i} of the batch: [batch, h_i, w_i, c] ({@link #viewShape}), fed by the
     * harness each step. Every backbone pools globally, so {@code encoder().apply} takes any view size.
     */
    Operand<TFloat32> view(int i);

    /**
     * Shape of view {@code i}: {@link #shape()} unless its pipeline sets {@code size} below 1
     * (multi-crop's local crops: h_i = max(1, round(h·size)), likewise w_i). Default: {@link #shape()}.
     */
    default ImageShape viewShape(int i) {
        return shape();
    }

    /** A placeholder of the method's own, fed in {@link Objective#feed}; -1 for free dimensions. */
    <T extends TType> Operand<T> input(String name, Class<T> type, long... shape);

    /** Training progress in [0, 1] (step / total steps), fed each step: for schedules such as BYOL's τ. */
    Operand<TFloat32> progress();

    /**
     * Images per step, the same in every step of the run: min(the block's {@code batch_size}, the
     * images in the unlabeled pool). A step never gets a smaller batch: each epoch runs
     * pool / batchSize() full steps (integer division) and drops the last partial batch, so
     * {@link StepBatch#size()} always equals this value and a loss may use it as a static size
     * (diagonal masks, {@code TensorMath.eye(tf, ctx.batchSize())}).
     */
    int batchSize();

    int stepsPerEpoch();

    int epochs();

    long seed();
}
