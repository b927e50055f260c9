package org.sslbench.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.sslbench.engine.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Checks a loss built in TensorFlow against an independent plain-Java (double) computation of the
 * paper's formula: the value on fixed inputs, and TF's gradient against central finite
 * differences of the Java reference.
 *
 * <pre>{@code
 * var tfResult = LossCheck.evaluate((tf, in) -> MyLoss.build(tf, in.get(0), in.get(1), 0.1f), inputs, shapes);
 * double reference = MyLossReference.value(LossCheck.toDouble(inputs), ...);
 * LossCheck.assertRelativeClose(reference, tfResult.value(), 1e-5);
 * LossCheck.assertGradientsClose(LossCheck.finiteDifference(x -> MyLossReference.value(x, ...), LossCheck.toDouble(inputs), 1e-5),
 *                                tfResult.gradients(), 1e-3);
 * }</pre>
 *
 * @deprecated the same checks are published as {@code org.sslbench.testkit.LossCheck}
 *             (module harness/testkit, artifact sslbench-testkit), which the built-in loss tests
 *             use; this copy stays only for plugin tests that reach it through core's test-jar.
 */
@Deprecated
public final class LossCheck {
    private LossCheck() {
    }

    /** The TF loss value and its gradient with respect to every input. */
    public record Result(double value, float[][] gradients) {
    }

    /**
     * @param loss   builds the scalar loss from placeholders of the given shapes
     * @param inputs row-major values of each input
     * @param shapes shape of each input
     */
    public static Result evaluate(BiFunction<Ops, List<Operand<TFloat32>>, Operand<TFloat32>> loss,
                                  float[][] inputs, long[][] shapes) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Operand<TFloat32>> placeholders = new ArrayList<>();
            for (long[] shape : shapes) {
                placeholders.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape))));
            }
            Operand<TFloat32> value = loss.apply(tf, placeholders);
            Gradients grads = tf.gradients(value, placeholders);
            List<Tensor> open = new ArrayList<>();
            Session.Runner runner = s.runner().fetch(value);
            for (int i = 0; i < inputs.length; i++) {
                TFloat32 t = Tensors.floats(inputs[i], shapes[i]);
                open.add(t);
                runner.feed(placeholders.get(i), t);
                runner.fetch(grads.dy(i));
            }
            try (var result = runner.run()) {
                float[][] out = new float[inputs.length][];
                for (int i = 0; i < inputs.length; i++) {
                    out[i] = Tensors.toFloats((TFloat32) result.get(1 + i));
                }
                return new Result(((TFloat32) result.get(0)).getFloat(), out);
            } finally {
                open.forEach(Tensor::close);
            }
        }
    }

    /** Central differences of {@code reference} at {@code x}: d reference / d x[i][j]. */
    public static double[][] finiteDifference(Function<double[][], Double> reference, double[][] x, double eps) {
        double[][] grad = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            grad[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                double keep = x[i][j];
                x[i][j] = keep + eps;
                double up = reference.apply(x);
                x[i][j] = keep - eps;
                double down = reference.apply(x);
                x[i][j] = keep;
                grad[i][j] = (up - down) / (2 * eps);
            }
        }
        return grad;
    }

    /** |expected − actual| ≤ tol · max(1, |expected|). */
    public static void assertRelativeClose(double expected, double actual, double tol) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                "expected " + expected + " but TF gave " + actual + " (relative tolerance " + tol + ")");
    }

    /**
     * Every gradient entry within {@code tol} of the reference (relative to the largest reference
     * entry of that input), and not all zero: a gradient that is silently cut fails.
     */
    public static void assertGradientsClose(double[][] reference, float[][] actual, double tol) {
        assertEquals(reference.length, actual.length);
        for (int i = 0; i < reference.length; i++) {
            double scale = 1e-12;
            for (double v : reference[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < reference[i].length; j++) {
                double diff = Math.abs(reference[i][j] - actual[i][j]);
                assertTrue(diff <= tol * scale, "input " + i + " entry " + j + ": finite difference " + reference[i][j]
                        + " vs TF gradient " + actual[i][j] + " (scale " + scale + ")");
            }
            assertTrue(scale > 1e-9, "input " + i + " has an all-zero reference gradient: test a case where it matters");
        }
    }

    public static double[][] toDouble(float[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j];
            }
        }
        return out;
    }

    /** Gaussian inputs of the given shapes, seeded. */
    public static float[][] gaussian(long seed, long[]... shapes) {
        Random r = new Random(seed);
        float[][] out = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            out[i] = new float[Math.toIntExact(Shape.of(shapes[i]).size())];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) r.nextGaussian();
            }
        }
        return out;
    }
}
