package org.example.flip;

import org.junit.jupiter.api.Test;
import org.sslbench.losses.TensorMath;
import org.sslbench.testkit.LossCheck;

/**
 * The loss this method trains, checked with sslbench-testkit: the two-class softmax cross-entropy
 * of the flip head (TensorMath.crossEntropy, as Classifier computes it) against plain Java, in value
 * and in gradient. A plugin with its own loss function checks it the same way.
 */
class FlipLossTest {
    private static final int[] LABELS = {1, 0, 0, 1}; // mirrored or not, per image

    /** mean over images of −log softmax(logits)[label], in double. */
    private static double reference(double[] logits) {
        double total = 0;
        for (int i = 0; i < LABELS.length; i++) {
            double a = logits[2 * i];
            double b = logits[2 * i + 1];
            double max = Math.max(a, b);
            double logSum = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
            total += logSum - logits[2 * i + LABELS[i]];
        }
        return total / LABELS.length;
    }

    @Test
    void crossEntropyMatchesJavaInValueAndGradient() {
        LossCheck check = LossCheck.of((tf, in) -> TensorMath.crossEntropy(tf, in.get(0), LABELS, 2),
                LossCheck.shape(LABELS.length, 2));
        float[][] logits = check.gaussian(1);
        check.assertValue(logits, x -> reference(x[0]));
        check.assertGradient(logits, x -> reference(x[0]));
    }
}
