package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sslbench.evaluate.Outcome;

/**
 * A downstream cell's scalars as TensorBoard event files,
 * {@code <results>/tensorboard/downstream/<method>-<dataset>-<backbone>-<protocol>-n<labels>-seed<k>-<hash>/}:
 * per training epoch (1-based step) the training loss, learning rate, images/s and, when the
 * selection rule held out part of the labelled subset, the held-out accuracy (for every epoch of the
 * selection run, also those after the chosen one); at the epoch the scored model stopped at the test
 * accuracy (a fraction), the only scalar that saw the test split. kNN has no epochs: its test
 * accuracy is written at step 1. Written with TensorFlow's own summary ops ({@link TensorBoard}),
 * so {@code tensorboard --logdir results/<spec>} shows pretext and downstream runs side by side.
 */
public final class DownstreamEvents {
    private DownstreamEvents() {
    }

    /**
     * Writes {@code outcome}'s history and test accuracy for cell {@code name} under {@code resultsDir}
     * (replacing the cell's earlier event files, if any).
     *
     * @param protocol tag prefix, e.g. {@code finetune}
     * @throws IOException when the directory cannot be written
     */
    public static void write(Path resultsDir, String name, String protocol, Outcome outcome) throws IOException {
        try (TensorBoard tb = TensorBoard.open(resultsDir.resolve("tensorboard").resolve("downstream").resolve(name))) {
            List<Outcome.Epoch> history = outcome.history();
            for (Outcome.Epoch e : history) {
                long step = e.epoch();
                tb.scalar(protocol + "/loss", step, e.loss());
                tb.scalar(protocol + "/lr", step, e.lr());
                tb.scalar(protocol + "/images_per_second", step, e.imagesPerSecond());
                tb.scalar(protocol + "/holdout_accuracy", step, e.validationAccuracy());
            }
            long last = outcome.epochs() > 0 ? outcome.epochs() : 1; // the epoch the scored model stopped at
            tb.scalar(protocol + "/test_accuracy", last, outcome.testAccuracy());
        }
    }
}
