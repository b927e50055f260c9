package org.sslbench.engine;

import java.io.PrintStream;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Which device a run actually uses, for each result row's provenance. The CUDA build
 * ({@code make bench GPU=1}, Maven profile {@code gpu}) is detected from its native jar; a GPU is
 * confirmed by running one op pinned to it with soft placement off. A GPU build that finds no
 * usable GPU warns and runs on the CPU (TensorFlow places ops there by itself).
 *
 * <p>On the CPU, TensorFlow's oneDNN kernels are a process-wide switch read from the environment
 * variable {@value #ONEDNN_ENV} when the natives load; TF Java's build leaves them off unless it is
 * {@code 1}. They train ResNet-20 about twice as fast here ({@code make perf-levers}), so the
 * Makefile and the tests set it, and the device string records which kernels ran.
 */
public final class Devices {
    private static final String GPU_NATIVES = "org/tensorflow/internal/c_api/linux-x86_64-gpu/";
    public static final String ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS";

    private Devices() {
    }

    public static boolean isGpuBuild() {
        return Devices.class.getClassLoader().getResource(GPU_NATIVES) != null;
    }

    /** {@code onednn} when {@value #ONEDNN_ENV} turns TensorFlow's oneDNN CPU kernels on, else {@code eigen}. */
    public static String cpuKernels() {
        return cpuKernels(System.getenv(ONEDNN_ENV));
    }

    /** As TensorFlow reads the variable: {@code 1} or {@code true} (any case) is on; unset is off in TF Java's build. */
    static String cpuKernels(String env) {
        String v = env == null ? "" : env.trim().toLowerCase(java.util.Locale.ROOT);
        return v.equals("1") || v.equals("true") ? "onednn" : "eigen";
    }

    /**
     * {@code gpu:0}, {@code cpu (onednn)}, {@code cpu (eigen)}, or {@code cpu (…, gpu build, no gpu)}
     * after a warning on {@code warn}. Without oneDNN a note on {@code warn} says how to turn it on.
     */
    public static String detect(PrintStream warn) {
        String cpu = "cpu (" + cpuKernels();
        if (cpuKernels().equals("eigen")) {
            String value = System.getenv(ONEDNN_ENV);
            warn.println("note: TensorFlow's oneDNN CPU kernels are off (" + ONEDNN_ENV + (value == null ? " unset" : "=" + value)
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
