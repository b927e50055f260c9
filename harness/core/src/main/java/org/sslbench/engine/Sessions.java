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

    /** The ConfigProto {@link #open} uses for fp32, from the current settings. */
    public static ConfigProto config() {
        return config(Precision.FP32);
    }

    /**
     * The ConfigProto for {@code precision}: the current thread, XLA and grappler settings, plus
     * grappler's auto-mixed-precision pass for bf16 ({@code auto_mixed_precision_onednn_bfloat16})
     * or fp16 ({@code auto_mixed_precision}, CUDA). Pass the {@link Precision#effective} precision:
     * this method does not check the hardware. With grappler {@code off} no rewrite runs at all.
     */
    public static ConfigProto config(Precision precision) {
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
        RewriterConfig.Builder rewrite = RewriterConfig.newBuilder();
        switch (grappler) {
            case OFF -> rewrite.setDisableMetaOptimizer(true);
            case NO_REMAP -> rewrite.setRemapping(RewriterConfig.Toggle.OFF);
            case DEFAULT -> {
            }
        }
        switch (precision) {
            case BF16 -> rewrite.setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
            case FP16 -> rewrite.setAutoMixedPrecision(RewriterConfig.Toggle.ON);
            case FP32 -> {
            }
        }
        if (grappler != Grappler.DEFAULT || precision != Precision.FP32) {
            graph.setRewriteOptions(rewrite);
        }
        return config.setGraphOptions(graph).build();
    }

    /** A session in fp32 with the current settings. */
    public static Session open(Graph graph) {
        return new Session(graph, config());
    }

    /** A session whose graph grappler rewrites to {@code precision} (pass the {@link Precision#effective} one). */
    public static Session open(Graph graph, Precision precision) {
        return new Session(graph, config(precision));
    }
}
