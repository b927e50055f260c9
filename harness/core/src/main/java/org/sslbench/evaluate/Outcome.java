package org.sslbench.evaluate;

import java.util.List;

/**
 * A protocol's result on the full test split.
 *
 * @param testAccuracy    fraction in [0, 1] on the test split, of the model the selection rule chose
 * @param maxTestAccuracy best test accuracy over the epochs evaluated (test-selected: a diagnostic,
 *                        optimistic; the rotation table's source reports this); NaN (not measured)
 *                        when the test split was scored only once (eval_every 0, one epoch, kNN),
 *                        because the final accuracy is no max over epochs
 * @param testLoss        mean cross-entropy on the test split (NaN for kNN)
 * @param seconds         wall seconds of the protocol
 * @param imagesPerSecond training images (or feature rows) per second; NaN without training
 * @param selection       the rule that chose the settings, e.g. {@code holdout 20%}, {@code 5-fold},
 *                        {@code fixed}; never mentions the test split
 * @param selected        the settings it chose, {@code key=value} pairs separated by {@code ;}
 *                        (e.g. {@code epochs=12}, {@code l2=0.001}, {@code k=20}); empty when fixed
 * @param history         per-epoch training scalars (empty for kNN), for TensorBoard
 * @param evalSeconds     wall seconds of {@code seconds} spent scoring ({@link EvalClock}): the test
 *                        split (images, or test features and their classifier) and the held-out part
 *                        of the labelled subset; NaN when not measured
 */
public record Outcome(double testAccuracy, double maxTestAccuracy, double testLoss, int epochs, double seconds,
                      double imagesPerSecond, String selection, String selected, List<Epoch> history,
                      double evalSeconds) {
    /**
     * One training epoch's scalars.
     *
     * @param epoch              1-based epoch number (the TensorBoard step)
     * @param loss               mean training cross-entropy of the epoch
     * @param lr                 learning rate at the epoch's last step
     * @param imagesPerSecond    training rows per second in the epoch
     * @param validationAccuracy accuracy on the held-out part of the labelled subset, fraction; NaN when not
     *                           scored (fine-tune under {@code selection: labelled}: the selection run's,
     *                           after the same epoch, since the final run trains on the whole subset)
     */
    public record Epoch(int epoch, double loss, double lr, double imagesPerSecond, double validationAccuracy) {
    }

    public Outcome {
        selection = selection == null ? "" : selection;
        selected = selected == null ? "" : selected;
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** Evaluation time not measured (NaN); see {@link #withEvalSeconds}. */
    public Outcome(double testAccuracy, double maxTestAccuracy, double testLoss, int epochs, double seconds,
                   double imagesPerSecond, String selection, String selected, List<Epoch> history) {
        this(testAccuracy, maxTestAccuracy, testLoss, epochs, seconds, imagesPerSecond, selection, selected, history,
                Double.NaN);
    }

    /** This outcome with {@code seconds} of scoring time. */
    public Outcome withEvalSeconds(double seconds) {
        return new Outcome(testAccuracy, maxTestAccuracy, testLoss, epochs, this.seconds, imagesPerSecond, selection,
                selected, history, seconds);
    }

    /** Fixed settings (no selection), no history. */
    public Outcome(double testAccuracy, double maxTestAccuracy, double testLoss, int epochs, double seconds,
                   double imagesPerSecond) {
        this(testAccuracy, maxTestAccuracy, testLoss, epochs, seconds, imagesPerSecond, "fixed", "", List.of());
    }
}
