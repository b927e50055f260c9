package org.sslbench.engine;

/** What a variable is for; decides whether it is trained, decayed and checkpointed with the encoder. */
public enum Role {
    /** Conv/dense kernels: trained, L2-decayed. */
    WEIGHT(true, true),
    /** Biases, BatchNorm scale and offset: trained, not decayed. */
    PARAM(true, false),
    /** BatchNorm moving statistics: updated by assignment, not by gradients. */
    STATISTIC(false, false),
    /** Optimizer slots, EMA targets, queues: state owned by a training step. */
    STATE(false, false);

    public final boolean trainable;
    public final boolean decayed;

    Role(boolean trainable, boolean decayed) {
        this.trainable = trainable;
        this.decayed = decayed;
    }
}
