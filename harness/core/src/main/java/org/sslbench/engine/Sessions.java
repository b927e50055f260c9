package org.sslbench.engine;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Every TensorFlow session of a run is opened here, so thread settings (and with them
 * reproducibility) are one decision, recorded in each result row.
 */
public final class Sessions {
    private static volatile int intraOpThreads = 0; // 0 = TensorFlow's default (all cores)
    private static volatile int interOpThreads = 0;
    private static volatile boolean xla = false;

    private Sessions() {
    }

    /** Thread pools for all sessions opened afterwards; 0 leaves TensorFlow's default. */
    public static void configure(int intraOp, int interOp) {
        intraOpThreads = intraOp;
        interOpThreads = interOp;
    }

    /** XLA JIT (global_jit_level ON_1) for sessions opened afterwards: a speed lever measured by `make perf`. */
    public static void xla(boolean on) {
        xla = on;
    }

    public static int intraOpThreads() {
        return intraOpThreads;
    }

    public static Session open(Graph graph) {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (intraOpThreads > 0) {
            config.setIntraOpParallelismThreads(intraOpThreads);
        }
        if (interOpThreads > 0) {
            config.setInterOpParallelismThreads(interOpThreads);
        }
        if (xla) {
            config.setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder().setOptimizerOptions(
                    org.tensorflow.proto.OptimizerOptions.newBuilder()
                            .setGlobalJitLevel(org.tensorflow.proto.OptimizerOptions.GlobalJitLevel.ON_1)));
        }
        return new Session(graph, config.build());
    }
}
