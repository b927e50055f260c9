package org.sslbench.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Checks a loss built in TensorFlow (graph mode, TF Java) against an independent plain-Java
 * computation of the paper's formula: its value on fixed inputs, and TF's gradient (what
 * {@code tf.gradients} gives the optimizer) against central finite differences of the Java
 * reference. The test kit of sslbench's own losses, published for method plugins
 * ({@code org.sslbench:sslbench-testkit}, test scope; README, "Writing a method plugin").
 *
 * <p>In a few lines (shapes [n, d] for two views' embeddings):
 * <pre>{@code
 * LossCheck check = LossCheck.of((tf, in) -> MyLoss.loss(tf, in.get(0), in.get(1), 0.1), LossCheck.shape(4, 8), LossCheck.shape(4, 8));
 * float[][] x = check.gaussian(7);                            // seeded inputs, one array per placeholder
 * check.assertValue(x, v -> MyLossReference.value(v[0], v[1], 4, 8, 0.1));
 * check.assertGradient(x, v -> MyLossReference.value(v[0], v[1], 4, 8, 0.1));
 * }</pre>
 *
 * <p>Precision: TF computes in float32; the reference runs in float64 (double) and its finite
 * differences are central, (f(x + h) − f(x − h)) / 2h with h = {@value #STEP}, so their own error
 * (O(h²) truncation, ~1e-16 / h round-off) is far below float32's. Tolerances (defaults
 * {@value #VALUE_TOLERANCE} for values, {@value #GRADIENT_TOLERANCE} for gradients) are therefore
 * float32 tolerances: a value must satisfy |ref − tf| ≤ tol·max(1, |ref|); each gradient entry
 * |fd − tf| ≤ tol·max|fd| over that input (relative to the input's largest entry, so entries near
 * zero do not need relative accuracy). A gradient check also fails when an input's reference
 * gradient is all zero (test a case where the input matters), so a gradient silently cut by a
 * misplaced stopGradient cannot pass. Failures throw {@link AssertionError}, which every test
 * framework reports as a failed test.
 *
 * <p>Errors: {@link IllegalArgumentException} when inputs and shapes disagree; TensorFlow's own
 * exception when the loss uses an op without a gradient in TF Java (README, "TensorFlow ops
 * without a gradient in TF Java").
 */
public final class LossCheck {
    /** Default relative tolerance of {@link #assertValue}: float32 rounding over a few hundred ops. */
    public static final double VALUE_TOLERANCE = 1e-5;
    /** Default tolerance of {@link #assertGradient}, relative to the input's largest gradient entry. */
    public static final double GRADIENT_TOLERANCE = 2e-3;
    /** Default finite-difference step h of {@link #assertGradient} (on inputs of order 1). */
    public static final double STEP = 1e-4;

    /** Builds a scalar loss from one float placeholder per input (in the order of the shapes). */
    @FunctionalInterface
    public interface GraphLoss {
        Operand<TFloat32> build(Ops tf, List<Operand<TFloat32>> inputs);
    }

    /** The plain-Java loss on the same inputs (row-major, one array per input), in double. */
    @FunctionalInterface
    public interface Reference {
        double value(double[][] inputs);
    }

    /** The TF loss value and its gradient with respect to every input (row-major, as the inputs). */
    public record Result(double value, float[][] gradients) {
    }

    private final GraphLoss loss;
    private final long[][] shapes;

    private LossCheck(GraphLoss loss, long[][] shapes) {
        this.loss = loss;
        this.shapes = shapes;
    }

    /** A check of {@code loss} on inputs of the given shapes (e.g. {@code shape(4, 8)}). */
    public static LossCheck of(GraphLoss loss, long[]... shapes) {
        if (shapes.length == 0) {
            throw new IllegalArgumentException("give the shape of every input");
        }
        return new LossCheck(loss, shapes.clone());
    }

    /** A shape, for {@link #of}: {@code shape(batch, dim)}. */
    public static long[] shape(long... dims) {
        return dims;
    }

    /** Seeded standard-normal inputs of this check's shapes. */
    public float[][] gaussian(long seed) {
        return gaussian(seed, shapes);
    }

    /** TF's loss value and gradients at {@code inputs}. */
    public Result evaluate(float[][] inputs) {
        return evaluate(loss, inputs, shapes);
    }

    /** TF's loss value at {@code inputs}. */
    public double value(float[][] inputs) {
        return evaluate(inputs).value();
    }

    /** The TF value equals {@code reference} within {@link #VALUE_TOLERANCE} (relative, see the class doc). */
    public void assertValue(float[][] inputs, Reference reference) {
        assertValue(inputs, reference, VALUE_TOLERANCE);
    }

    /** As {@link #assertValue(float[][], Reference)} with relative tolerance {@code tol}. */
    public void assertValue(float[][] inputs, Reference reference, double tol) {
        assertRelativeClose(reference.value(toDouble(inputs)), value(inputs), tol);
    }

    /**
     * TF's gradient equals central finite differences of {@code reference} (step {@link #STEP},
     * tolerance {@link #GRADIENT_TOLERANCE}, see the class doc) for every input.
     */
    public void assertGradient(float[][] inputs, Reference reference) {
        assertGradient(inputs, reference, GRADIENT_TOLERANCE, STEP);
    }

    /** As {@link #assertGradient(float[][], Reference)} with tolerance {@code tol} and step {@code step}. */
    public void assertGradient(float[][] inputs, Reference reference, double tol, double step) {
        assertGradientsClose(finiteDifference(reference, toDouble(inputs), step), evaluate(inputs).gradients(), tol);
    }

    /**
     * TF's loss and its gradients with respect to every input.
     *
     * @param loss   builds the scalar loss from placeholders of the given shapes
     * @param inputs row-major values of each input
     * @param shapes shape of each input
     */
    public static Result evaluate(GraphLoss loss, float[][] inputs, long[][] shapes) {
        checkSizes(inputs, shapes);
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Operand<TFloat32>> placeholders = placeholders(tf, shapes);
            Operand<TFloat32> value = loss.build(tf, placeholders);
            if (value.shape().numDimensions() != 0) {
                throw new IllegalArgumentException("the loss must be a scalar, got shape " + value.shape());
            }
            Gradients grads = tf.gradients(value, placeholders);
            List<Tensor> open = new ArrayList<>();
            Session.Runner runner = s.runner().fetch(value);
            try {
                for (int i = 0; i < inputs.length; i++) {
                    TFloat32 t = floats(inputs[i], shapes[i]);
                    open.add(t);
                    runner.feed(placeholders.get(i), t);
                    try {
                        runner.fetch(grads.dy(i));
                    } catch (IllegalStateException e) {
                        // TF returns no gradient op at all for an input the loss does not depend on.
                        throw new AssertionError("input " + i + ": no gradient reaches it from the loss (cut by a"
                                + " stopGradient, or not connected to the loss)", e);
                    }
                }
                try (var result = runner.run()) {
                    float[][] out = new float[inputs.length][];
                    for (int i = 0; i < inputs.length; i++) {
                        out[i] = toFloats((TFloat32) result.get(1 + i));
                    }
                    return new Result(((TFloat32) result.get(0)).getFloat(), out);
                }
            } finally {
                open.forEach(Tensor::close);
            }
        }
    }

    /**
     * Evaluates any float op (not necessarily scalar, no gradients: metrics, masks, lookups) on
     * placeholders fed with {@code inputs}; returns its values row-major.
     */
    public static float[] fetch(GraphLoss op, float[][] inputs, long[][] shapes) {
        checkSizes(inputs, shapes);
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Operand<TFloat32>> in = placeholders(tf, shapes);
            Operand<TFloat32> out = op.build(tf, in);
            List<Tensor> open = new ArrayList<>();
            Session.Runner runner = s.runner().fetch(out);
            try {
                for (int i = 0; i < inputs.length; i++) {
                    TFloat32 t = floats(inputs[i], shapes[i]);
                    open.add(t);
                    runner.feed(in.get(i), t);
                }
                try (var result = runner.run()) {
                    return toFloats((TFloat32) result.get(0));
                }
            } finally {
                open.forEach(Tensor::close);
            }
        }
    }

    /** Central differences of {@code reference} at {@code x}: d reference / d x[i][j], step {@code step}. */
    public static double[][] finiteDifference(Reference reference, double[][] x, double step) {
        double[][] grad = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            grad[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                double keep = x[i][j];
                x[i][j] = keep + step;
                double up = reference.value(x);
                x[i][j] = keep - step;
                double down = reference.value(x);
                x[i][j] = keep;
                grad[i][j] = (up - down) / (2 * step);
            }
        }
        return grad;
    }

    /** |expected − actual| ≤ tol · max(1, |expected|), else AssertionError. */
    public static void assertRelativeClose(double expected, double actual, double tol) {
        if (!(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)))) {
            throw new AssertionError("expected " + expected + " but TF gave " + actual + " (relative tolerance " + tol + ")");
        }
    }

    /**
     * Every gradient entry within {@code tol} of the reference (relative to the largest reference
     * entry of that input), and not all zero: a gradient that is silently cut fails.
     */
    public static void assertGradientsClose(double[][] reference, float[][] actual, double tol) {
        if (reference.length != actual.length) {
            throw new AssertionError(reference.length + " reference gradients but " + actual.length + " from TF");
        }
        for (int i = 0; i < reference.length; i++) {
            double scale = 1e-12;
            for (double v : reference[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < reference[i].length; j++) {
                double diff = Math.abs(reference[i][j] - actual[i][j]);
                if (!(diff <= tol * scale)) {
                    throw new AssertionError("input " + i + " entry " + j + ": finite difference " + reference[i][j]
                            + " vs TF gradient " + actual[i][j] + " (scale " + scale + ", tolerance " + tol + ")");
                }
            }
            if (!(scale > 1e-9)) {
                throw new AssertionError("input " + i + " has an all-zero reference gradient: test a case where it matters");
            }
        }
    }

    /** The inputs widened to double, for the reference. */
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

    /** Standard-normal inputs of the given shapes, seeded (java.util.Random). */
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

    private static List<Operand<TFloat32>> placeholders(Ops tf, long[][] shapes) {
        List<Operand<TFloat32>> in = new ArrayList<>();
        for (long[] shape : shapes) {
            in.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape))));
        }
        return in;
    }

    private static void checkSizes(float[][] inputs, long[][] shapes) {
        if (inputs.length != shapes.length) {
            throw new IllegalArgumentException(inputs.length + " inputs but " + shapes.length + " shapes");
        }
        for (int i = 0; i < inputs.length; i++) {
            long size = Shape.of(shapes[i]).size();
            if (size != inputs[i].length) {
                throw new IllegalArgumentException("input " + i + " has " + inputs[i].length + " values but shape "
                        + Arrays.toString(shapes[i]) + " holds " + size);
            }
        }
    }

    private static TFloat32 floats(float[] values, long[] shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    private static float[] toFloats(TFloat32 t) {
        float[] out = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }
}
