package org.sslbench.evaluate;

/**
 * A protocol's result on the full test split.
 *
 * @param maxTestAccuracy best test accuracy over the epochs evaluated (the rotation table's source
 *                        reports this); NaN (not measured, an empty max_test_accuracy) when the
 *                        test split was scored only once (eval_every 0, one epoch, kNN), because
 *                        the final accuracy is no max over epochs
 * @param testLoss        mean cross-entropy on the test split (NaN for kNN)
 */
public record Outcome(double testAccuracy, double maxTestAccuracy, double testLoss, int epochs, double seconds,
                      double imagesPerSecond) {
}
