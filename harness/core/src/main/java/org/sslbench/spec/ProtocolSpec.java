package org.sslbench.spec;

/**
 * A downstream protocol: {@code finetune} (whole network + new head), {@code linear} (frozen
 * encoder + linear head) or {@code knn} (frozen encoder, cosine k-NN).
 *
 * @param train       epochs/batch/optimizer/schedule/augment for finetune and linear; null for knn
 * @param k           knn: neighbours
 * @param temperature knn: weight exp(sim / T) per neighbour (solo-learn's weighted vote)
 * @param evalEvery   finetune/linear: also score the test split every this many epochs, for
 *                    max_test_accuracy (0 = only after the final epoch)
 */
public record ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery) {
    /**
     * True for {@code linear} and {@code knn}, which score fixed features of each image (a frozen
     * encoder's, or the pixels of the {@code pixels} baseline); false for {@code finetune}, which
     * trains the encoder and so needs one.
     */
    public boolean frozenFeatures() {
        return !"finetune".equals(name);
    }
}
