package org.sslbench.engine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.sslbench.data.ImageShape;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Which device a run actually uses, for each result row's provenance. The CUDA build
 * ({@code make bench GPU=1}, Maven profile {@code gpu}) is detected from its native jar; a GPU is
 * confirmed by running one op pinned to it with soft placement off. A GPU build that finds no
 * usable GPU warns and runs on the CPU (TensorFlow places ops there by itself).
 *
 * <p>On the CPU, TensorFlow's oneDNN kernels are a process-wide switch decided when the natives
 * load: {@value #ONEDNN_ENV}{@code =1} turns them on, {@code =0} off, and unset TensorFlow 2.18 turns
 * them on by itself on x86 CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX. They train ResNet-20
 * about twice as fast here ({@code make perf-levers}), so the Makefile and the tests set it to 1. The
 * device string records which kernels actually ran: {@link #cpuKernels()} runs a tiny Conv2D and
 * MatMul graph once and reads the op types TensorFlow executed (oneDNN rewrites them to
 * {@code _Mkl*} ops); only if that fails does it fall back to TensorFlow's rule.
 *
 * <p>Where each op of a step ran ({@link #placement(Session.Runner)}): TensorFlow puts an op without
 * an explicit device on the GPU when the GPU has a kernel for it and silently on the CPU otherwise,
 * so an op without a CUDA kernel turns a GPU run into GPU + host copies without any error.
 * {@link #checkPlacement} runs one probe train step per backbone and warns
 * "ops on the CPU although a GPU is present: …" ({@link Placement#cpuFallbacks()}).
 */
public final class Devices {
    private static final String GPU_NATIVES = "org/tensorflow/internal/c_api/linux-x86_64-gpu/";
    public static final String ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS";

    private Devices() {
    }

    public static boolean isGpuBuild() {
        return Devices.class.getClassLoader().getResource(GPU_NATIVES) != null;
    }

    private static volatile String observed;

    /**
     * {@code onednn} when this process's TensorFlow runs oneDNN CPU kernels, else {@code eigen}:
     * observed once ({@link #observeCpuKernels()}); if TensorFlow cannot run the probe graph, TF's
     * own rule from {@value #ONEDNN_ENV} and the CPU flags in /proc/cpuinfo
     * ({@link #cpuKernels(String, Set)}).
     */
    public static String cpuKernels() {
        String k = observed;
        if (k == null) {
            try {
                k = observeCpuKernels();
            } catch (RuntimeException | LinkageError e) {
                k = cpuKernels(System.getenv(ONEDNN_ENV), cpuFlags(Path.of("/proc/cpuinfo")));
            }
            observed = k;
        }
        return k;
    }

    /**
     * Runs a tiny Conv2D + MatMul graph on fed tensors (constants would be folded away) with
     * {@code output_partition_graphs} and classifies the op types TensorFlow executed
     * ({@link #kernelsOf}).
     *
     * @throws RuntimeException when TensorFlow cannot run the graph or returns no partition graph
     */
    static String observeCpuKernels() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var x = tf.placeholder(TFloat32.class);
            var k = tf.placeholder(TFloat32.class);
            var conv = tf.nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME");
            var product = tf.linalg.matMul(tf.reshape(conv, tf.constant(new long[] {1, -1})),
                    tf.reshape(conv, tf.constant(new long[] {-1, 1})));
            RunOptions options = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
            try (Session s = new Session(g);
                 TFloat32 xv = TFloat32.tensorOf(Shape.of(1, 4, 4, 2));
                 TFloat32 kv = TFloat32.tensorOf(Shape.of(3, 3, 2, 2));
                 Result r = s.runner().feed(x, xv).feed(k, kv).fetch(product).setOptions(options).runAndFetchMetadata()) {
                RunMetadata meta = r.getMetadata().orElseThrow(() -> new IllegalStateException("no run metadata"));
                List<String> ops = new ArrayList<>();
                meta.getPartitionGraphsList().forEach(graph -> graph.getNodeList().forEach(n -> ops.add(n.getOp())));
                if (ops.isEmpty()) {
                    throw new IllegalStateException("no partition graph in the run metadata");
                }
                return kernelsOf(ops);
            }
        }
    }

    /**
     * {@code onednn} when the executed op types include a oneDNN kernel (TF names them {@code _Mkl…},
     * e.g. {@code _MklNativeConv2D}, {@code _MklMatMul}), else {@code eigen}.
     */
    static String kernelsOf(Collection<String> opTypes) {
        return opTypes.stream().anyMatch(op -> op.startsWith("_Mkl")) ? "onednn" : "eigen";
    }

    /**
     * TensorFlow 2.18's rule (tensorflow/core/util/util.cc, IsMKLEnabled) when observation is impossible:
     * {@value #ONEDNN_ENV} {@code 1}/{@code true} is on, {@code 0}/{@code false} off (any case); unset
     * (or unreadable) it is on when the CPU has one of {@link #ONEDNN_DEFAULT_FLAGS}.
     *
     * @param cpuFlags lower-case CPU flags as in /proc/cpuinfo
     */
    static String cpuKernels(String env, Set<String> cpuFlags) {
        String v = env == null ? "" : env.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("1") || v.equals("true")) {
            return "onednn";
        }
        if (v.equals("0") || v.equals("false")) {
            return "eigen";
        }
        return ONEDNN_DEFAULT_FLAGS.stream().anyMatch(cpuFlags::contains) ? "onednn" : "eigen";
    }

    /** CPU features for which TF 2.18 turns oneDNN on by default (as named in /proc/cpuinfo). */
    static final Set<String> ONEDNN_DEFAULT_FLAGS = Set.of("avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile",
            "amx_int8", "amx_bf16");

    /** The {@code flags} of the first processor in a /proc/cpuinfo-format file; empty if unreadable. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (java.io.IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            return Set.of();
        }
    }

    /**
     * {@code gpu:0}, {@code cpu (onednn)}, {@code cpu (eigen)}, or {@code cpu (…, gpu build, no gpu)}
     * after a warning on {@code warn}. Without oneDNN a note on {@code warn} says how to turn it on.
     */
    public static String detect(PrintStream warn) {
        String cpu = "cpu (" + cpuKernels();
        if (cpuKernels().equals("eigen")) {
            String value = System.getenv(ONEDNN_ENV);
            warn.println("note: TensorFlow runs its Eigen CPU kernels, not oneDNN (" + ONEDNN_ENV
                    + (value == null ? " unset, and this CPU is not one TF turns oneDNN on for" : "=" + value)
                    + "); export " + ONEDNN_ENV + "=1 (as make does) for about 2x faster CPU training");
        }
        if (!isGpuBuild()) {
            return cpu + ")";
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var one = tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build())
                    .math.add(tf.constant(1f), tf.constant(1f));
            try (Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false).build())) {
                s.runner().fetch(one).run().close();
                return "gpu:0";
            }
        } catch (RuntimeException | LinkageError e) {
            warn.println("warning: this is the GPU build but no usable GPU was found (" + e.getMessage()
                    + "); running on the CPU. The CUDA build of TF 2.18 needs CUDA 12 and cuDNN 9 libraries"
                    + " (see README, GPU)");
            return cpu + ", gpu build, no gpu)";
        }
    }

    /** One op that ran in a step: its node name and op type after grappler's rewrites (e.g. {@code _MklNativeConv2D}). */
    public record PlacedOp(String name, String type) {
        @Override
        public String toString() {
            return name + " (" + type + ")";
        }
    }

    /**
     * Op types that run on the host in every GPU step by design, so they are not fallbacks: feeds and
     * fetches ({@code _Arg}, {@code _Retval}, and {@code _DeviceArg} / {@code _DeviceRetval} of
     * functions), the transfers between devices TensorFlow inserts ({@code _Send}, {@code _Recv},
     * {@code _HostSend}, {@code _HostRecv}), {@code NoOp} (control-dependency groups, no compute)
     * and {@code Const} (host constants such as shape arguments, which TensorFlow keeps in host memory).
     * Everything else on the CPU while a GPU is present is a fallback worth a warning, including
     * variables and Identity reads: each costs a host↔device copy per step.
     */
    public static final Set<String> HOST_OPS = Set.of("_Arg", "_Retval", "_DeviceArg", "_DeviceRetval", "_Send",
            "_Recv", "_HostSend", "_HostRecv", "NoOp", "Const");

    /**
     * Where the ops of one step ran.
     *
     * @param byDevice short device name ({@code CPU:0}, {@code GPU:0}; {@link #shortDevice}) → the
     *                 ops placed there, in partition-graph order; devices sorted by name
     */
    public record Placement(Map<String, List<PlacedOp>> byDevice) {
        public Placement {
            Map<String, List<PlacedOp>> copy = new TreeMap<>();
            byDevice.forEach((d, ops) -> copy.put(d, List.copyOf(ops)));
            byDevice = java.util.Collections.unmodifiableMap(copy);
        }

        /** True when some op ran on a GPU device. */
        public boolean hasGpu() {
            return byDevice.keySet().stream().anyMatch(Devices::isGpuDevice);
        }

        /** Every op of the step, all devices. */
        public List<PlacedOp> all() {
            return byDevice.values().stream().flatMap(List::stream).toList();
        }

        /**
         * The ops that ran on a CPU device although the step also ran ops on a GPU, minus the
         * {@link #HOST_OPS}; empty when no GPU took part (on a CPU-only machine nothing is a fallback).
         */
        public List<PlacedOp> cpuFallbacks() {
            if (!hasGpu()) {
                return List.of();
            }
            return byDevice.entrySet().stream().filter(e -> isCpuDevice(e.getKey()))
                    .flatMap(e -> e.getValue().stream()).filter(op -> !HOST_OPS.contains(op.type())).toList();
        }

        /**
         * One line for a log: without a GPU {@code placement (what): no GPU; N ops on CPU:0};
         * with a GPU and no fallback the ops per device; with fallbacks
         * {@code warning: ops on the CPU although a GPU is present (what): Type: name, name; …},
         * grouped by op type in order of first appearance.
         */
        public String describe(String what) {
            String perDevice = byDevice.entrySet().stream().map(e -> e.getValue().size() + (e.getValue().size() == 1 ? " op on " : " ops on ") + e.getKey())
                    .collect(Collectors.joining(", "));
            if (!hasGpu()) {
                return "placement (" + what + "): no GPU; " + (byDevice.isEmpty() ? "no ops reported" : perDevice);
            }
            List<PlacedOp> fallbacks = cpuFallbacks();
            if (fallbacks.isEmpty()) {
                return "placement (" + what + "): every compute op on the GPU (" + perDevice + "; the CPU ops are"
                        + " feeds, fetches, transfers, NoOp and Const)";
            }
            Map<String, List<String>> byType = new LinkedHashMap<>();
            fallbacks.forEach(op -> byType.computeIfAbsent(op.type(), t -> new ArrayList<>()).add(op.name()));
            return "warning: ops on the CPU although a GPU is present (" + what + ", " + fallbacks.size() + " of "
                    + all().size() + " ops): " + byType.entrySet().stream()
                    .map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("; "));
        }
    }

    /** True for a short device name of a GPU ({@code GPU:0}); TF's device type is upper case. */
    static boolean isGpuDevice(String device) {
        return device.startsWith("GPU");
    }

    static boolean isCpuDevice(String device) {
        return device.startsWith("CPU");
    }

    /**
     * {@code CPU:0} for {@code /job:localhost/replica:0/task:0/device:CPU:0}: the part after
     * {@code device:}, upper-cased type; a name without it is returned unchanged.
     */
    static String shortDevice(String full) {
        int i = full.lastIndexOf("device:");
        String d = i < 0 ? full : full.substring(i + "device:".length());
        int colon = d.indexOf(':');
        return colon < 0 ? d : d.substring(0, colon).toUpperCase(Locale.ROOT) + d.substring(colon);
    }

    /**
     * The placement recorded in {@code meta}'s partition graphs (one GraphDef per device, each node
     * with its assigned device and its op type as executed).
     *
     * @throws IllegalStateException when {@code meta} holds no partition graph (the run lacked
     *                               {@code output_partition_graphs})
     */
    public static Placement placementOf(RunMetadata meta) {
        Map<String, List<PlacedOp>> byDevice = new TreeMap<>();
        for (GraphDef graph : meta.getPartitionGraphsList()) {
            for (NodeDef n : graph.getNodeList()) {
                byDevice.computeIfAbsent(shortDevice(n.getDevice()), d -> new ArrayList<>()).add(new PlacedOp(n.getName(), n.getOp()));
            }
        }
        if (byDevice.isEmpty()) {
            throw new IllegalStateException("no partition graph in the run metadata");
        }
        return new Placement(byDevice);
    }

    /**
     * Run options that make TensorFlow return each device's partition graph. Partition graphs, not
     * a FULL_TRACE of step_stats: they name every op's device and executed type, and need no CUPTI
     * (the CUDA profiler library a GPU trace loads).
     */
    public static RunOptions placementOptions() {
        return RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
    }

    /**
     * Runs {@code runner} once (ONE step: its targets run, so a train step updates the weights) and
     * returns where each op ran; the fetched outputs are closed.
     *
     * @throws IllegalStateException when TensorFlow returns no partition graphs
     */
    public static Placement placement(Session.Runner runner) {
        try (Result r = runner.setOptions(placementOptions()).runAndFetchMetadata()) {
            return placementOf(r.getMetadata().orElseThrow(() -> new IllegalStateException("no run metadata")));
        }
    }

    /**
     * Runs {@code runner} once as a normal step, prints {@link Placement#describe} to {@code out} and
     * returns the step's result (the caller closes it): for a trainer's first step, so that the step
     * checked is the real one, method ops included, and not a probe. Asking TensorFlow for the
     * partition graphs changes no computed value. When TensorFlow returns no partition graph a note
     * is printed instead; the step has run either way.
     *
     * @param out       where the line goes; null prints nothing
     * @param onlyOnGpu print only when a GPU took part (a trainer's hook stays silent on CPU runs)
     */
    public static Result runCheckingPlacement(Session.Runner runner, String what, PrintStream out, boolean onlyOnGpu) {
        Result r = runner.setOptions(placementOptions()).runAndFetchMetadata();
        if (out == null) {
            return r;
        }
        try {
            Placement p = placementOf(r.getMetadata().orElseThrow(() -> new IllegalStateException("no run metadata")));
            if (p.hasGpu() || !onlyOnGpu) {
                out.println(p.describe(what));
            }
        } catch (IllegalStateException e) {
            // The step itself ran: a missing report must not stop training.
            out.println("note: could not check the placement of the " + what + ": " + e.getMessage());
        }
        return r;
    }

    /**
     * Where one supervised train step of {@code backbone} runs: encoder (training mode, so BatchNorm
     * updates its statistics) → dense head → softmax cross-entropy (Classifier) → tf.gradients with
     * the LARS and Adam apply ops of {@link Optimizer} on a random batch of 2 images of
     * {@code shape}, in a session opened for {@code precision} ({@link Sessions#open(Graph, Precision)}).
     * Method-specific loss ops are not in this probe: {@link #runCheckingPlacement} checks a real step.
     */
    public static Placement trainStepPlacement(Backbone backbone, ImageShape shape, Precision precision) {
        int batch = 2;
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, shape.height(), shape.width(), shape.channels())));
            Encoder encoder = backbone.create(layers, "encoder", shape);
            Classifier head = Classifier.build(layers, "head", encoder.apply(x, true), encoder.featureDim(), 10);
            List<Net.Var> trainables = net.vars(Net.trainable());
            Optimizer lars = new Optimizer(net, OptimizerSpec.lars(0.1, 0.9, 1e-6, false, 1e-3, false, true), head.loss(),
                    trainables, "probe_lars");
            Optimizer adam = new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), head.loss(), trainables,
                    "probe_adam");
            float[] images = new float[batch * shape.size()];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) rng.nextDouble();
            }
            List<Tensor> open = new ArrayList<>();
            try (Session s = Sessions.open(net.graph(), precision)) {
                net.initialize(s, 0);
                TFloat32 xt = Tensors.floats(images, batch, shape.height(), shape.width(), shape.channels());
                open.add(xt);
                TInt32 yt = Tensors.ints(new int[] {0, 1}, batch);
                open.add(yt);
                Session.Runner runner = s.runner().feed(x, xt).feed(head.labels(), yt).fetch(head.loss());
                open.addAll(lars.feed(runner, 1, 0.1));
                open.addAll(adam.feed(runner, 1, 1e-3));
                net.updateOps().forEach(runner::addTarget);
                return placement(runner);
            } finally {
                open.forEach(Tensor::close);
            }
        }
    }

    /**
     * On a GPU ({@code device} from {@link #detect} starting with {@code gpu}) prints one
     * {@link Placement#describe} line per backbone of a probe train step
     * ({@link #trainStepPlacement}, images of {@code shape}); elsewhere does nothing. A failure of
     * the probe is printed as a note and never stops the run.
     */
    public static void checkPlacement(String device, Collection<Backbone> backbones, ImageShape shape, Precision precision,
                                      PrintStream out) {
        if (!device.startsWith("gpu")) {
            return;
        }
        for (Backbone b : backbones) {
            String what = b.name() + " train step, " + precision.key();
            try {
                out.println(trainStepPlacement(b, shape, precision).describe(what));
            } catch (RuntimeException e) {
                out.println("note: could not check the placement of the " + what + ": " + e.getMessage());
            }
        }
    }
}
