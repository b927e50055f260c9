package org.sslbench.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;

/**
 * Model FLOPs of a TensorFlow graph, counted from the static shapes of its convolution and matmul
 * nodes: the figure {@code make perf} divides by a step's time to get achieved GFLOP/s.
 *
 * <p>Counting rule: 2 FLOPs (one multiply, one add) per multiply-accumulate of every node of type
 * <ul>
 *   <li>{@code Conv2D}, {@code Conv2DBackpropInput}, {@code Conv2DBackpropFilter},
 *       {@code DepthwiseConv2dNative}, {@code DepthwiseConv2dNativeBackpropInput},
 *       {@code DepthwiseConv2dNativeBackpropFilter}: N·H<sub>o</sub>·W<sub>o</sub>·|filter| MACs,
 *       where [N, H<sub>o</sub>, W<sub>o</sub>] are the batch and spatial dims of the forward
 *       convolution's output (a backprop's {@code out_backprop} input; NHWC or NCHW per the node's
 *       {@code data_format}) and |filter| = k<sub>h</sub>·k<sub>w</sub>·c<sub>in</sub>·c<sub>out</sub>
 *       (depthwise: k<sub>h</sub>·k<sub>w</sub>·c<sub>in</sub>·multiplier). So each gradient
 *       costs what the forward convolution costs; strides, padding and dilation only enter through
 *       the output size;</li>
 *   <li>{@code MatMul}: M·K·N with {@code transpose_a/b} applied; {@code BatchMatMul},
 *       {@code BatchMatMulV2}, {@code BatchMatMulV3}: the same times the product of the output's
 *       batch dims ({@code adj_x/adj_y} applied).</li>
 * </ul>
 * Everything else (BatchNorm, ReLU, bias adds, residual adds, pooling, softmax, the loss, the
 * optimizer's updates) is ignored: on a ResNet these are a few percent of the work and run far
 * from the GEMM rate anyway. Only nodes the graph contains are counted, and with target ops only
 * those the targets need ({@link #of(Graph, Collection, long)}): {@code tf.gradients} with respect
 * to the variables makes the first convolution's input gradient ({@code Conv2DBackpropInput} of
 * the stem) unneeded, so a train step counts about 3× the forward FLOPs minus that one term; an
 * eval-mode forward that shares the graph but not the train op's inputs is not added to the step.
 *
 * <p>Unknown dimensions (-1, the dynamic batch) are taken as {@code batch}; {@link Count#perImage}
 * divides by it. That is exact for graphs whose only dynamic dimension is the batch (all of
 * sslbench's: placeholders are [-1 or batch, h, w, c]) and also right for pairwise [batch, batch]
 * similarity matmuls. Nodes whose inputs have an unknown rank are listed in
 * {@link Count#unresolved} and not counted.
 *
 * <p>Usage: {@code Flops.of(net.graph(), List.of(trainOp), 256).perImage()} → FLOPs per trained
 * image; ResNet-20 on 32×32×3 is 81.6 MFLOP forward (FlopsTest pins the value computed from the
 * architecture).
 */
public final class Flops {
    /** Convolution op types: forward and both gradients, dense and depthwise. */
    public static final Set<String> CONV_OPS = Set.of("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter",
            "DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter");
    /** Matmul op types. */
    public static final Set<String> MATMUL_OPS = Set.of("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3");

    private Flops() {
    }

    /**
     * FLOPs of one run of a graph.
     *
     * @param flops      total over the batch (2·MACs)
     * @param batch      the batch size unknown dims were taken as
     * @param byType     FLOPs per counted op type, e.g. {@code Conv2D}
     * @param unresolved names of conv/matmul nodes skipped because a shape was unknown
     */
    public record Count(double flops, long batch, Map<String, Double> byType, List<String> unresolved) {
        /** FLOPs per image: {@link #flops} / {@link #batch}. */
        public double perImage() {
            return flops / batch;
        }
    }

    /** 2 × multiply-accumulates; GEMM M×K by K×N is {@code flops(m·k·n)}. */
    public static double flopsOfMacs(double macs) {
        return 2 * macs;
    }

    /**
     * Counts the conv/matmul nodes that {@code targets} need (walking inputs and control inputs
     * backwards), or the whole graph when {@code targets} is empty.
     *
     * @param batch what an unknown (-1) dimension stands for, ≥ 1
     * @throws IllegalArgumentException when batch < 1
     */
    public static Count of(Graph graph, Collection<? extends Operation> targets, long batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        Map<String, Double> byType = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        double total = 0;
        for (GraphOperation op : needed(graph, targets)) {
            String type = op.type();
            if (!CONV_OPS.contains(type) && !MATMUL_OPS.contains(type)) {
                continue;
            }
            double macs = CONV_OPS.contains(type) ? convMacs(op, batch) : matmulMacs(op, batch);
            if (Double.isNaN(macs)) {
                unresolved.add(op.name());
                continue;
            }
            total += flopsOfMacs(macs);
            byType.merge(type, flopsOfMacs(macs), Double::sum);
        }
        return new Count(total, batch, byType, unresolved);
    }

    /** {@link #of} with unknown dims as 1: FLOPs per image of a graph with a dynamic batch. */
    public static Count of(Graph graph, Collection<? extends Operation> targets) {
        return of(graph, targets, 1);
    }

    /** The ops {@code targets} depend on, themselves included; every op when targets is empty. */
    static Set<GraphOperation> needed(Graph graph, Collection<? extends Operation> targets) {
        Set<GraphOperation> seen = new LinkedHashSet<>();
        if (targets.isEmpty()) {
            for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
                seen.add(it.next());
            }
            return seen;
        }
        Deque<GraphOperation> todo = new ArrayDeque<>();
        for (Operation t : targets) {
            todo.add((GraphOperation) t);
        }
        while (!todo.isEmpty()) {
            GraphOperation op = todo.poll();
            if (!seen.add(op)) {
                continue;
            }
            for (int i = 0; i < op.numInputs(); i++) {
                todo.add((GraphOperation) op.input(i).op());
            }
            todo.addAll(op.controlInputs());
        }
        return seen;
    }

    private static double convMacs(GraphOperation op, long batch) {
        String type = op.type();
        boolean backpropFilter = type.endsWith("BackpropFilter");
        boolean backpropInput = type.endsWith("BackpropInput");
        // The forward output's [N, Ho, Wo]: the node's output, or a gradient's out_backprop (input 2).
        Shape out = backpropFilter || backpropInput ? op.input(2).shape() : op.output(0).shape();
        // The filter: input 1, except a filter gradient, whose output is the filter's shape.
        Shape filter = backpropFilter ? op.output(0).shape() : op.input(1).shape();
        if (out.isUnknown() || filter.isUnknown() || out.numDimensions() != 4 || filter.numDimensions() != 4) {
            return Double.NaN;
        }
        boolean nchw = "NCHW".equals(attrString(op, "data_format"));
        double macs = dim(out, 0, batch) * dim(out, nchw ? 2 : 1, batch) * dim(out, nchw ? 3 : 2, batch);
        for (int i = 0; i < 4; i++) {
            macs *= dim(filter, i, batch);
        }
        return macs;
    }

    private static double matmulMacs(GraphOperation op, long batch) {
        Shape a = op.input(0).shape();
        Shape b = op.input(1).shape();
        Shape out = op.output(0).shape();
        if (a.isUnknown() || b.isUnknown() || a.numDimensions() < 2 || b.numDimensions() < 2) {
            return Double.NaN;
        }
        boolean plain = op.type().equals("MatMul");
        boolean ta = attrBool(op, plain ? "transpose_a" : "adj_x");
        boolean tb = attrBool(op, plain ? "transpose_b" : "adj_y");
        int ra = a.numDimensions();
        int rb = b.numDimensions();
        double m = dim(a, ta ? ra - 1 : ra - 2, batch);
        double k = dim(a, ta ? ra - 2 : ra - 1, batch);
        double n = dim(b, tb ? rb - 2 : rb - 1, batch);
        double stacked = 1;
        if (!plain) {
            Shape lead = out.isUnknown() || out.numDimensions() < 2 ? a : out; // broadcast batch dims
            for (int i = 0; i < lead.numDimensions() - 2; i++) {
                stacked *= dim(lead, i, batch);
            }
        }
        return stacked * m * k * n;
    }

    private static double dim(Shape s, int i, long batch) {
        long d = s.get(i);
        return d < 0 ? batch : d;
    }

    private static String attrString(GraphOperation op, String name) {
        try {
            return op.attributes().getAttrString(name);
        } catch (RuntimeException e) {
            return ""; // attribute absent: TensorFlow's default (NHWC)
        }
    }

    private static boolean attrBool(GraphOperation op, String name) {
        try {
            return op.attributes().getAttrBool(name);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
