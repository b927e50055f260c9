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

    private Sessions() {
    }

    /** Thread pools for all sessions opened afterwards; 0 leaves TensorFlow's default. */
    public static void configure(int intraOp, int interOp) {
        intraOpThreads = intraOp;
        interOpThreads = interOp;
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
        return new Session(graph, config.build());
    }
}
