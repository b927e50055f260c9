package org.sslbench.engine;

import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Every TensorFlow session of a run is opened here, so thread settings (and with them
 * reproducibility) are one decision, recorded in each result row. The other settings are speed
 * levers that {@code make perf-levers} measures one at a time.
 */
public final class Sessions {
    /** Grappler (TensorFlow's graph optimizer) settings worth measuring. */
    public enum Grappler {
        /** TensorFlow's defaults: every optimizer on, including the remapper's fused ops. */
        DEFAULT,
        /** The meta optimizer off: the graph runs as built. */
        OFF,
        /** Defaults but the remapper off: no fused Conv2D+BiasAdd+Relu / FusedBatchNorm+Relu kernels. */
        NO_REMAP;

        public static Grappler parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown grappler setting '" + s + "'; allowed: default, off, no-remap");
            }
        }
    }

    private static volatile int intraOpThreads = 0; // 0 = TensorFlow's default (all cores)
    private static volatile int interOpThreads = 0;
    private static volatile boolean xla = false;
    private static volatile Grappler grappler = Grappler.DEFAULT;

    private Sessions() {
    }

    /** Thread pools for all sessions opened afterwards; 0 leaves TensorFlow's default. */
    public static void configure(int intraOp, int interOp) {
        intraOpThreads = intraOp;
        interOpThreads = interOp;
    }

    /** XLA JIT (global_jit_level ON_1) for sessions opened afterwards. */
    public static void xla(boolean on) {
        xla = on;
    }

    /** Grappler setting for sessions opened afterwards. */
    public static void grappler(Grappler setting) {
        grappler = setting;
    }

    public static int intraOpThreads() {
        return intraOpThreads;
    }

    /** The ConfigProto {@link #open} uses, from the current settings. */
    public static ConfigProto config() {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (intraOpThreads > 0) {
            config.setIntraOpParallelismThreads(intraOpThreads);
        }
        if (interOpThreads > 0) {
            config.setInterOpParallelismThreads(interOpThreads);
        }
        GraphOptions.Builder graph = GraphOptions.newBuilder();
        if (xla) {
            graph.setOptimizerOptions(OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1));
        }
        switch (grappler) {
            case OFF -> graph.setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true));
            case NO_REMAP -> graph.setRewriteOptions(RewriterConfig.newBuilder().setRemapping(RewriterConfig.Toggle.OFF));
            case DEFAULT -> {
            }
        }
        return config.setGraphOptions(graph).build();
    }

    public static Session open(Graph graph) {
        return new Session(graph, config());
    }
}
