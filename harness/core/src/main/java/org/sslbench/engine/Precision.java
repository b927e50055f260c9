package org.sslbench.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Numeric precision of a TensorFlow session's compute (spec key {@code precision}).
 *
 * <ul>
 *   <li>{@code fp32}: everything in float32, the default; reruns are bit-identical.</li>
 *   <li>{@code bf16}: TensorFlow's grappler pass {@code auto_mixed_precision_onednn_bfloat16}
 *       rewrites the graph at session creation: convolutions and matmuls (forward and gradient)
 *       and the element-wise ops between them run in bfloat16 on oneDNN (Softmax and LogSoftmax
 *       are on the infer list: bf16 when their input is), while the ops on the deny list and
 *       those not listed (the cross-entropy op, Exp, Log, and the Mean/Sum reductions of the
 *       losses) stay float32; FusedBatchNorm takes bfloat16 activations but keeps its scale, offset and
 *       statistics in float32. Variables, optimizer slots and updates stay float32 (the apply ops
 *       are not on the allow list, so gradients are cast back). Lists: TensorFlow
 *       {@code core/grappler/optimizers/auto_mixed_precision_lists.h} (class
 *       {@code AutoMixedPrecisionListsMkl}). Needs a CPU with AVX512_BF16 or AMX_BF16 and oneDNN
 *       kernels; elsewhere the run falls back to fp32 ({@link #effective}).</li>
 *   <li>{@code fp16}: the CUDA pass {@code auto_mixed_precision} (float16 on Tensor Cores) with
 *       dynamic loss scaling in the optimizer; GPU only, elsewhere fp32.</li>
 * </ul>
 */
public enum Precision implements org.sslbench.data.Fingerprinted {
    FP32, BF16, FP16;

    /** The spec spellings, in order: fp32, bf16, fp16. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Precision::key).toList();

    /** CPU flags (as in /proc/cpuinfo) with native bfloat16 dot products that oneDNN uses. */
    static final Set<String> BF16_CPU_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    /**
     * In configuration hashes fp32 is left out (an empty Optional, org.sslbench.matrix.ConfigHash), so
     * every spec that does not ask for mixed precision keeps the pretext and cell hashes it had before
     * the key existed; bf16 and fp16 enter them.
     */
    @Override
    public Object identity() {
        return this == FP32 ? java.util.Optional.empty() : java.util.Optional.of(key());
    }

    /** The spelling in specs and result rows: {@code fp32}, {@code bf16}, {@code fp16}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the allowed values for anything else (case-insensitive)
     */
    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.key().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + s + "'; allowed: " + String.join(", ", NAMES));
    }

    /**
     * What a run asking for {@code requested} gets on this machine, and why when it is not that.
     *
     * @param reason empty when {@code precision == requested}, else the sentence a run prints
     */
    public record Resolved(Precision requested, Precision precision, String reason) {
        /** True when the hardware could not give what was asked. */
        public boolean fellBack() {
            return precision != requested;
        }
    }

    /**
     * The precision this process can run for {@code requested}: bf16 needs oneDNN CPU kernels
     * ({@code cpuKernels} "onednn") and a CPU flag in {@link #BF16_CPU_FLAGS}, and is not used on a
     * GPU; fp16 needs a GPU ({@code device} starting "gpu").
     *
     * @param device     {@link Devices#detect}'s string, e.g. {@code cpu (onednn)} or {@code gpu:0}
     * @param cpuKernels {@link Devices#cpuKernels()}
     * @param cpuFlags   lower-case CPU flags ({@link Devices#cpuFlags})
     */
    public static Resolved effective(Precision requested, String device, String cpuKernels, Set<String> cpuFlags) {
        boolean gpu = device.startsWith("gpu");
        return switch (requested) {
            case FP32 -> new Resolved(requested, FP32, "");
            case BF16 -> {
                if (gpu) {
                    yield new Resolved(requested, FP32, "precision bf16 is implemented for CPUs (oneDNN) only; this run"
                            + " is on " + device + ": running fp32 (use fp16 on a GPU)");
                }
                if (!cpuKernels.equals("onednn")) {
                    yield new Resolved(requested, FP32, "precision bf16 needs TensorFlow's oneDNN CPU kernels, and this"
                            + " process runs Eigen's (export " + Devices.ONEDNN_ENV + "=1, as make does): running fp32");
                }
                if (BF16_CPU_FLAGS.stream().noneMatch(cpuFlags::contains)) {
                    yield new Resolved(requested, FP32, "precision bf16 needs a CPU with AVX512_BF16 or AMX_BF16"
                            + " (/proc/cpuinfo flags avx512_bf16 / amx_bf16), and this one has neither: running fp32");
                }
                yield new Resolved(requested, BF16, "");
            }
            case FP16 -> gpu ? new Resolved(requested, FP16, "")
                    : new Resolved(requested, FP32, "precision fp16 needs a GPU (the GPU build, make bench GPU=1, on a"
                            + " machine with CUDA); this run is on " + device + ": running fp32 (bf16 is the CPU's"
                            + " mixed precision)");
        };
    }

    /** {@link #effective(Precision, String, String, Set)} for this process (CPU flags from /proc/cpuinfo). */
    public static Resolved effective(Precision requested, String device) {
        return effective(requested, device, Devices.cpuKernels(), Devices.cpuFlags(java.nio.file.Path.of("/proc/cpuinfo")));
    }
}
