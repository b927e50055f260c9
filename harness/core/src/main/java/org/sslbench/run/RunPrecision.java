package org.sslbench.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.sslbench.engine.Precision;
import org.sslbench.spec.MethodSpec;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.Spec;

/**
 * The precisions a run's sessions get, resolved once per run: each precision the spec asks for
 * (top level, pretext blocks, protocol blocks) mapped to {@link Precision#effective} on the run's
 * device, with one note per distinct fallback reason for bench and validate to print.
 *
 * <p>Config hashes keep the REQUESTED precision (the spec's identity); rows and pretext metadata
 * record the EFFECTIVE one, so a bf16 cell run on a CPU without bf16 says {@code fp32}.
 */
public final class RunPrecision {
    private final Map<Precision, Precision.Resolved> resolved;

    private RunPrecision(Map<Precision, Precision.Resolved> resolved) {
        this.resolved = resolved;
    }

    /** The precisions {@code spec} asks for on {@code device} ({@link org.sslbench.engine.Devices#detect}'s string). */
    public static RunPrecision resolve(Spec spec, String device) {
        return resolve(spec, requested -> Precision.effective(requested, device));
    }

    /** As {@link #resolve(Spec, String)} with another resolver (tests: {@link Precision#effective}'s 4-argument form). */
    static RunPrecision resolve(Spec spec, Function<Precision, Precision.Resolved> effective) {
        Map<Precision, Precision.Resolved> out = new LinkedHashMap<>();
        for (Precision p : requested(spec)) {
            out.put(p, effective.apply(p));
        }
        return new RunPrecision(out);
    }

    /** Every precision {@code spec} asks for, in spec order (methods' pretext blocks, then protocols). */
    public static Set<Precision> requested(Spec spec) {
        Set<Precision> out = new LinkedHashSet<>();
        for (MethodSpec m : spec.methods()) {
            if (m.pretext() != null) {
                out.add(m.pretext().precision());
            }
        }
        for (ProtocolSpec p : spec.protocols().values()) {
            out.add(p.precision());
        }
        return out;
    }

    /**
     * What a session asking for {@code requested} runs in.
     *
     * @throws IllegalArgumentException for a precision the spec did not ask for (resolved nowhere)
     */
    public Precision effective(Precision requested) {
        Precision.Resolved r = resolved.get(requested);
        if (r == null) {
            if (requested == Precision.FP32) {
                return Precision.FP32; // fp32 needs no hardware support
            }
            throw new IllegalArgumentException("precision " + requested.key() + " was not resolved for this run");
        }
        return r.precision();
    }

    /** One sentence per distinct fallback reason, in spec order (bench and validate print each as {@code note:}). */
    public List<String> notes() {
        List<String> out = new ArrayList<>();
        for (Precision.Resolved r : resolved.values()) {
            if (r.fellBack() && !out.contains(r.reason())) {
                out.add(r.reason());
            }
        }
        if (resolved.values().stream().anyMatch(r -> r.precision() == Precision.BF16)) {
            out.add(BF16_EXPERIMENTAL);
        }
        return out;
    }

    /**
     * Printed whenever a run really trains in bf16. Measured in issue 16 on TF 2.18's oneDNN build:
     * ResNet-20 steps in bf16 gave a NaN loss at random steps, from the first step on, in most
     * runs (and once in a forward pass alone), while the same fp32 steps never did.
     */
    static final String BF16_EXPERIMENTAL = "precision bf16 is experimental: with TensorFlow 2.18's oneDNN bf16"
            + " kernels, ResNet-20 training gave NaN losses at random steps on the machine it was measured on"
            + " (README, Mixed precision); such cells are recorded as diverged, never as results";
}
