package org.sslbench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sslbench.engine.Precision;
import org.sslbench.engine.Sessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * The machine's practical roofline as {@code make perf} measures it: TensorFlow's own rate for one
 * large square MatMul (n×n by n×n, 2·n³ FLOPs) in fp32 and in bf16, the yardstick that a train
 * step's utilisation is measured against (achieved FLOP/s ÷ this rate, same precision).
 *
 * <p>Both operands are placeholders fed with tensors built once, so nothing is constant-folded and
 * no conversion is timed: for bf16 the fed tensors are already bfloat16 ({@link TBfloat16}) and the
 * timed work is the bf16 MatMul itself (oneDNN's {@code _MklMatMul} when oneDNN is on). A sample
 * runs the MatMul repeatedly until at least {@code minSeconds} have passed and counts completed
 * runs; warm-up samples are discarded and the median of the rest is reported. The session has the
 * run's thread settings ({@link Sessions#open(Graph)}).
 */
final class GemmRoofline {
    private GemmRoofline() {
    }

    /**
     * GFLOP/s of {@code runs} M×K by K×N matmuls in {@code seconds}: 2·m·k·n·runs / seconds / 10⁹.
     *
     * @throws IllegalArgumentException when seconds ≤ 0
     */
    static double gflops(long m, long k, long n, long runs, double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
        }
        return 2.0 * m * k * n * runs / seconds / 1e9;
    }

    /** Achieved ÷ roofline in percent; NaN when the roofline is unknown (not measured, unsupported). */
    static double utilisationPercent(double achievedGflops, double rooflineGflops) {
        return rooflineGflops > 0 ? 100 * achievedGflops / rooflineGflops : Double.NaN;
    }

    /**
     * Median GFLOP/s of an n×n MatMul in {@code precision} (fp32 or bf16; the caller checks that
     * the CPU supports bf16, {@link Precision#effective}).
     *
     * @throws IllegalArgumentException for fp16 (no CPU kernel worth measuring) or n < 1
     */
    static double measure(Precision precision, int n, int warmup, int repeats, double minSeconds) {
        return measure(precision, n, warmup, repeats, minSeconds, false);
    }

    /**
     * As above; with {@code rewritten} the graph is an fp32 MatMul on fp32 tensors that the
     * session's bf16 auto-mixed-precision pass rewrites ({@link Sessions#open(Graph, Precision)}),
     * the way a bf16 train step runs: the two n×n input casts (O(n²)) are inside the timed run.
     */
    static double measure(Precision precision, int n, int warmup, int repeats, double minSeconds, boolean rewritten) {
        if (precision == Precision.FP16 || n < 1) {
            throw new IllegalArgumentException("GEMM roofline: fp32 or bf16 and n >= 1, got " + precision.key() + " n=" + n);
        }
        float[] values = new float[n * n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (r.nextDouble() - 0.5);
        }
        Precision fed = rewritten ? Precision.FP32 : precision;
        Class<? extends TFloating> type = fed == Precision.BF16 ? TBfloat16.class : TFloat32.class;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<? extends TFloating> a = tf.placeholder(type, Placeholder.shape(Shape.of(n, n)));
            Placeholder<? extends TFloating> b = tf.placeholder(type, Placeholder.shape(Shape.of(n, n)));
            Operand<?> product = matMul(tf, a, b);
            try (Session s = rewritten ? Sessions.open(g, precision) : Sessions.open(g);
                 Tensor av = tensor(fed, n, values);
                 Tensor bv = tensor(fed, n, values)) {
                List<Double> rates = new ArrayList<>();
                for (int i = 0; i < warmup + repeats; i++) {
                    long t0 = System.nanoTime();
                    long runs = 0;
                    double elapsed;
                    do {
                        s.runner().feed(a, av).feed(b, bv).fetch(product).run().close();
                        runs++;
                        elapsed = (System.nanoTime() - t0) / 1e9;
                    } while (elapsed < minSeconds);
                    if (i >= warmup) {
                        rates.add(gflops(n, n, n, runs, elapsed));
                    }
                }
                return PerfCommand.median(rates);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends TFloating> Operand<T> matMul(Ops tf, Placeholder<? extends TFloating> a, Placeholder<? extends TFloating> b) {
        return tf.linalg.matMul((Operand<T>) a, (Operand<T>) b);
    }

    private static Tensor tensor(Precision precision, int n, float[] values) {
        if (precision == Precision.BF16) {
            TBfloat16 t = TBfloat16.tensorOf(Shape.of(n, n));
            t.copyFrom(DataBuffers.of(values, true, false));
            return t;
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(n, n));
        t.copyFrom(DataBuffers.of(values, true, false));
        return t;
    }
}
