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
 */
public final class Devices {
    private static final String GPU_NATIVES = "org/tensorflow/internal/c_api/linux-x86_64-gpu/";

    private Devices() {
    }

    public static boolean isGpuBuild() {
        return Devices.class.getClassLoader().getResource(GPU_NATIVES) != null;
    }

    /** {@code gpu:0}, {@code cpu}, or {@code cpu (gpu build, no gpu)} after a warning on {@code warn}. */
    public static String detect(PrintStream warn) {
        if (!isGpuBuild()) {
            return "cpu";
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
            return "cpu (gpu build, no gpu)";
        }
    }
}
