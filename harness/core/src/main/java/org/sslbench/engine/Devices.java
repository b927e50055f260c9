package org.sslbench.engine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

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
}
