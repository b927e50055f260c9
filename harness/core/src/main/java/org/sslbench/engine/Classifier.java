package org.sslbench.engine;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Softmax classification on top of features: logits, mean cross-entropy and correct-count.
 * Labels go through oneHot + softmaxCrossEntropyWithLogits because TF Java has no gradient for
 * the sparse variant.
 */
public record Classifier(Placeholder<TInt32> labels, Operand<TFloat32> logits, Operand<TFloat32> loss,
                         Operand<TFloat32> correct, Operand<TFloat32> accuracy) {

    /** Builds a dense head {@code name} (in → classes) over {@code features}. */
    public static Classifier build(Layers layers, String name, Operand<TFloat32> features, int in, int classes) {
        Operand<TFloat32> logits = layers.dense(name, features, in, classes, true, Init.glorotUniform());
        return over(layers.tf(), logits, classes);
    }

    /** Loss and accuracy for given logits. */
    public static Classifier over(Ops tf, Operand<TFloat32> logits, int classes) {
        Placeholder<TInt32> labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
        Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
        Operand<TFloat32> loss = tf.math.mean(perExample, tf.constant(0));
        Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
        Operand<TFloat32> hits = tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class);
        return new Classifier(labels, logits, loss, tf.reduceSum(hits, tf.constant(0)), tf.math.mean(hits, tf.constant(0)));
    }
}
