package org.sslbench.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Which TensorFlow ops have a gradient in TF Java (its C++ gradient registry, not Python's):
 * each op is put on the path from an input x to a scalar y and {@code tf.gradients(y, x)} is
 * built. The README table "TensorFlow ops without a gradient in TF Java" must list exactly these
 * ops with the measured answer, so it cannot go stale when TF Java is upgraded.
 */
class TfGradientsTest {
    /** Each op on a path from x ([4, 3], values of any sign) to the output. */
    static final Map<String, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>>> OPS = new LinkedHashMap<>();

    static {
        OPS.put("SparseSoftmaxCrossEntropyWithLogits", (tf, x) -> tf.nn.sparseSoftmaxCrossEntropyWithLogits(x,
                tf.constant(new int[] {0, 1, 2, 0})).loss());
        OPS.put("MatrixDiagPart", (tf, x) -> tf.linalg.matrixDiagPart(tf.linalg.matMul(x, x,
                org.tensorflow.op.linalg.MatMul.transposeB(true)), tf.constant(0), tf.constant(0f)));
        OPS.put("TopKV2", (tf, x) -> tf.nn.topK(x, tf.constant(2), new org.tensorflow.op.nn.TopK.Options[0]).values());
        OPS.put("OnesLike", (tf, x) -> tf.math.mul(x, tf.onesLike(x)));
        OPS.put("RGBToHSV", (tf, x) -> tf.image.rgbToHsv(tf.math.sigmoid(x)));
        OPS.put("HSVToRGB", (tf, x) -> tf.image.hsvToRgb(tf.math.sigmoid(x)));
        OPS.put("FloorMod", (tf, x) -> tf.math.floorMod(x, tf.constant(0.7f)));
        OPS.put("Range (float bounds from x)", (tf, x) -> tf.math.mul(x, tf.reduceSum(tf.range(tf.constant(0f),
                tf.math.add(tf.max(x, tf.constant(new int[] {0, 1})), tf.constant(3f)), tf.constant(1f)), tf.constant(0))));
        OPS.put("Where", (tf, x) -> tf.gather(tf.reshape(x, tf.constant(new int[] {-1})),
                tf.where(tf.math.greater(x, tf.constant(0f))), tf.constant(0)));
        // Commonly used ops that do have one (the losses in this package use them).
        OPS.put("SoftmaxCrossEntropyWithLogits", (tf, x) -> tf.nn.softmaxCrossEntropyWithLogits(x,
                tf.oneHot(tf.constant(new int[] {0, 1, 2, 0}), tf.constant(3), tf.constant(1f), tf.constant(0f))).loss());
        OPS.put("MatMul", (tf, x) -> tf.linalg.matMul(x, x, org.tensorflow.op.linalg.MatMul.transposeB(true)));
        OPS.put("Max", (tf, x) -> tf.max(x, tf.constant(1)));
        OPS.put("Maximum", (tf, x) -> tf.math.maximum(x, tf.constant(0.1f)));
        OPS.put("Rsqrt", (tf, x) -> tf.math.rsqrt(tf.math.add(tf.math.square(x), tf.constant(1f))));
        OPS.put("Exp", (tf, x) -> tf.math.exp(x));
        OPS.put("Log", (tf, x) -> tf.math.log(tf.math.add(tf.math.square(x), tf.constant(1f))));
        OPS.put("SelectV2", (tf, x) -> tf.select(tf.constant(new boolean[][] {{true, false, true}, {false, true, true},
                {true, true, false}, {false, false, true}}), x, tf.math.neg(x)));
        OPS.put("GatherV2", (tf, x) -> tf.gather(x, tf.constant(new int[] {2, 0}), tf.constant(0)));
        OPS.put("ConcatV2", (tf, x) -> tf.concat(List.of(x, x), tf.constant(0)));
        OPS.put("StopGradient", (tf, x) -> tf.math.add(x, tf.stopGradient(x)));
    }

    /** Null when {@code tf.gradients} builds over the op, else the failure's message. */
    static String gradientFailure(BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> op) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4, 3)));
            Operand<TFloat32> y = op.apply(tf, x);
            Operand<TInt32> axes = tf.constant(java.util.stream.IntStream.range(0, y.shape().numDimensions()).toArray());
            tf.gradients(tf.reduceSum(y, axes), List.of(x));
            return null;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** The README's table rows: op (first backticked word of the first column) → "yes" / "no". */
    static Map<String, String> readmeTable() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertTrue(from >= 0 && to > from, "README.md lacks the table between " + BEGIN + " and " + END);
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)`[^|]*\\| (yes|no)\\b").matcher(readme.substring(from, to));
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        return rows;
    }

    static final String BEGIN = "<!-- tf-gradients: checked by TfGradientsTest -->";
    static final String END = "<!-- /tf-gradients -->";

    /**
     * The README lists every probed op with the measured answer; a failing op fails with TF's
     * "No gradient defined for op" naming it (MatrixDiagPart builds MatrixDiagPartV2).
     */
    @Test
    void readmeTableMatchesWhatTfJavaDoes() throws IOException {
        Map<String, String> measured = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder();
        OPS.forEach((name, op) -> {
            String failure = gradientFailure(op);
            String op1 = name.split(" ")[0];
            if (failure != null) {
                String registered = op1.equals("MatrixDiagPart") ? "MatrixDiagPartV2" : op1;
                assertTrue(failure.contains("No gradient defined for op: " + registered), name + ": " + failure);
            }
            measured.put(op1, failure == null ? "yes" : "no");
            table.append("| `").append(op1).append("` | ").append(failure == null ? "yes" : "no").append(" |\n");
        });
        Map<String, String> readme = readmeTable();
        if (!measured.equals(readme)) {
            fail("README.md's TF gradient table is stale; TF Java gives:\n" + table + "README has " + readme);
        }
        assertEquals("no", measured.get("SparseSoftmaxCrossEntropyWithLogits")); // the probe can tell both answers
        assertEquals("yes", measured.get("SoftmaxCrossEntropyWithLogits"));
    }

    /** The workarounds TensorMath offers build gradients where the ops above do not. */
    @Test
    void tensorMathWorkaroundsHaveGradients() {
        assertEquals(null, gradientFailure((tf, x) -> TensorMath.crossEntropy(tf, x, new int[] {0, 1, 2, 0}, 3)));
        assertEquals(null, gradientFailure((tf, x) -> TensorMath.diagonal(tf,
                tf.linalg.matMul(x, x, org.tensorflow.op.linalg.MatMul.transposeB(true)), 4)));
        assertEquals(null, gradientFailure((tf, x) -> TensorMath.logSumExp(tf, x)));
        assertEquals(null, gradientFailure((tf, x) -> tf.math.mul(x, TensorMath.ones(tf, x))));
        // Range is fine where its bounds are integers (axes from the rank): only float edges are differentiated
        assertEquals(null, gradientFailure((tf, x) -> tf.reduceSum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)))));
    }
}
