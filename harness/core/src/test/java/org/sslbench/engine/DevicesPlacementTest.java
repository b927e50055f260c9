package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Devices.PlacedOp;
import org.sslbench.engine.Devices.Placement;
import org.sslbench.engine.backbones.SmallCnn;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.types.TFloat32;

/** Device placement of a step (issue 16, GPU): read from partition graphs, fallbacks named. */
class DevicesPlacementTest {
    private static final String CPU = "/job:localhost/replica:0/task:0/device:CPU:0";
    private static final String GPU = "/job:localhost/replica:0/task:0/device:GPU:0";

    /** This machine has no GPU: the whole small-cnn train step (forward, tf.gradients, apply ops) is on CPU:0. */
    @Test
    void smallCnnTrainStepRunsOnlyOnTheCpuHere() {
        Placement p = Devices.trainStepPlacement(new SmallCnn(), new ImageShape(16, 16, 3), Precision.FP32);
        assertEquals(Set.of("CPU:0"), p.byDevice().keySet());
        assertFalse(p.hasGpu());
        assertEquals(List.of(), p.cpuFallbacks(), "no GPU: nothing is a fallback");
        Set<String> types = p.all().stream().map(PlacedOp::type).collect(Collectors.toSet());
        // oneDNN renames the kernels (_MklNativeConv2D, _MklNativeFusedConv2D, _MklMatMul, ...).
        assertTrue(types.stream().anyMatch(t -> t.contains("Conv2D") && !t.contains("Backprop")), types::toString);
        assertTrue(types.stream().anyMatch(t -> t.contains("Conv2DBackpropFilter")), types::toString);
        assertTrue(types.stream().anyMatch(t -> t.contains("MatMul")), types::toString);
        assertTrue(types.stream().anyMatch(t -> t.contains("ApplyMomentum")), "LARS's apply op: " + types);
        assertTrue(types.stream().anyMatch(t -> t.contains("ApplyAdam")), "Adam's apply op: " + types);
        assertTrue(p.describe("probe").startsWith("placement (probe): no GPU; " + p.all().size() + " ops on CPU:0"),
                p.describe("probe"));
    }

    /** A GPU step: exactly the non-host ops on the CPU are named, grouped by type; GPU ops and host plumbing are not. */
    @Test
    void fallbacksAreExactlyTheNonHostOpsOnTheCpu() {
        Map<String, List<PlacedOp>> map = new LinkedHashMap<>();
        map.put("GPU:0", List.of(op("conv", "Conv2D"), op("mm", "MatMul"), op("w/apply", "ApplyMomentum"),
                op("shape_c", "Const")));
        map.put("CPU:0", List.of(op("x", "_Arg"), op("loss", "_Retval"), op("recv", "_Recv"), op("send", "_Send"),
                op("hs", "_HostSend"), op("hr", "_HostRecv"), op("group", "NoOp"), op("k", "Const"),
                op("top", "TopKV2"), op("fm", "FloorMod"), op("top2", "TopKV2")));
        Placement p = new Placement(map);
        assertTrue(p.hasGpu());
        assertEquals(List.of(op("top", "TopKV2"), op("fm", "FloorMod"), op("top2", "TopKV2")), p.cpuFallbacks());
        assertEquals("warning: ops on the CPU although a GPU is present (step, 3 of 15 ops): TopKV2: top, top2;"
                + " FloorMod: fm", p.describe("step"));

        Placement clean = new Placement(Map.of("GPU:0", List.of(op("conv", "Conv2D")),
                "CPU:0", List.of(op("x", "_Arg"), op("y", "_Retval"))));
        assertEquals(List.of(), clean.cpuFallbacks());
        assertEquals("placement (step): every compute op on the GPU (2 ops on CPU:0, 1 op on GPU:0; the CPU ops are"
                + " feeds, fetches, transfers, NoOp and Const)", clean.describe("step"));

        // The same ops without any GPU device: a CPU-only run, nothing to warn about.
        Placement cpuOnly = new Placement(Map.of("CPU:0", map.get("CPU:0")));
        assertEquals(List.of(), cpuOnly.cpuFallbacks());
        assertEquals("placement (step): no GPU; 11 ops on CPU:0", cpuOnly.describe("step"));
    }

    @Test
    void placementIsReadFromThePartitionGraphs() {
        RunMetadata meta = RunMetadata.newBuilder()
                .addPartitionGraphs(GraphDef.newBuilder().addNode(node("a", "_MklMatMul", CPU)).addNode(node("x", "_Arg", CPU)))
                .addPartitionGraphs(GraphDef.newBuilder().addNode(node("c", "Conv2D", GPU)).addNode(node("r", "_Recv", GPU)))
                .build();
        Placement p = Devices.placementOf(meta);
        assertEquals(Map.of("CPU:0", List.of(op("a", "_MklMatMul"), op("x", "_Arg")),
                "GPU:0", List.of(op("c", "Conv2D"), op("r", "_Recv"))), p.byDevice());
        assertEquals(List.of(op("a", "_MklMatMul")), p.cpuFallbacks());
        assertEquals("GPU:1", Devices.shortDevice("/job:localhost/replica:0/task:0/device:GPU:1"));
        assertEquals("CPU:0", Devices.shortDevice("/device:cpu:0"));
        var e = assertThrows(IllegalStateException.class, () -> Devices.placementOf(RunMetadata.getDefaultInstance()));
        assertTrue(e.getMessage().contains("no partition graph"), e.getMessage());
    }

    /** The first-step hook: the step's fetches stay readable; the line is printed, or not when only GPUs count. */
    @Test
    void runCheckingPlacementReturnsTheStepsResult() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var x = tf.placeholder(TFloat32.class);
            var y = tf.math.mul(x, tf.constant(3f));
            try (TFloat32 xv = TFloat32.scalarOf(2f)) {
                try (Result r = Devices.runCheckingPlacement(s.runner().feed(x, xv).fetch(y), "tiny step", out, true)) {
                    assertEquals(6f, ((TFloat32) r.get(0)).getFloat());
                }
                assertEquals("", buf.toString(StandardCharsets.UTF_8), "no GPU here: silent when only GPUs count");
                try (Result r = Devices.runCheckingPlacement(s.runner().feed(x, xv).fetch(y), "tiny step", out, false)) {
                    assertEquals(6f, ((TFloat32) r.get(0)).getFloat());
                }
                try (Result r = Devices.runCheckingPlacement(s.runner().feed(x, xv).fetch(y), "tiny step", null, false)) {
                    assertEquals(6f, ((TFloat32) r.get(0)).getFloat());
                }
            }
        }
        String line = buf.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.startsWith("placement (tiny step): no GPU; ") && line.endsWith(" ops on CPU:0"), line);
        assertEquals(1, line.lines().count(), line);
    }

    /** bench's hook: silent unless the detected device is a GPU; for a GPU it prints one line per backbone. */
    @Test
    void checkPlacementPrintsOnlyForAGpuDevice() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Devices.checkPlacement("cpu (onednn)", List.of(new SmallCnn()), new ImageShape(16, 16, 3), Precision.FP32, out);
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
        // Told "gpu:0" on this CPU machine, the probe runs and reports what it saw: no GPU device.
        Devices.checkPlacement("gpu:0", List.of(new SmallCnn()), new ImageShape(16, 16, 3), Precision.FP32, out);
        String printed = buf.toString(StandardCharsets.UTF_8).strip();
        assertTrue(printed.startsWith("placement (small-cnn train step, fp32): no GPU; "), printed);
        assertEquals(1, printed.lines().count(), printed);
    }

    private static PlacedOp op(String name, String type) {
        return new PlacedOp(name, type);
    }

    private static NodeDef node(String name, String type, String device) {
        return NodeDef.newBuilder().setName(name).setOp(type).setDevice(device).build();
    }
}
