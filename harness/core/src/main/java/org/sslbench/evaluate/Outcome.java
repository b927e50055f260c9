package org.sslbench.evaluate;

/**
 * A protocol's result on the full test split.
 *
 * @param maxTestAccuracy best test accuracy over the epochs evaluated (the rotation table's source
 *                        reports this); equals testAccuracy when only the final epoch is evaluated
 * @param testLoss        mean cross-entropy on the test split (NaN for kNN)
 */
public record Outcome(double testAccuracy, double maxTestAccuracy, double testLoss, int epochs, double seconds,
                      double imagesPerSecond) {
}
