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
 * <p>bench hashes the EFFECTIVE precision ({@link #effectiveSpec}): a bf16 cell run on a CPU without
 * bf16 computes what fp32 computes, gets the fp32 hashes and says {@code fp32} in its row, so it
 * never pools with rows a bf16 machine computed. {@code validate} and {@code merge} hash the spec as
 * written (requested precision).
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

    /**
     * {@code spec} with every block's precision replaced by the one it gets here, so that the pretext
     * and cell hashes name what is computed: a bf16 block that falls back to fp32 gets the fp32
     * hashes (the same computation as an fp32 spec, so it resumes and reuses fp32 results and never
     * pools with rows a bf16 machine computed), and a real bf16 block keeps its bf16 hashes.
     */
    public Spec effectiveSpec(Spec spec) {
        java.util.List<MethodSpec> methods = new ArrayList<>();
        for (MethodSpec m : spec.methods()) {
            methods.add(m.pretext() == null ? m : new MethodSpec(m.name(), m.params(),
                    m.pretext().withPrecision(effective(m.pretext().precision())), m.features()));
        }
        Map<String, ProtocolSpec> protocols = new LinkedHashMap<>();
        spec.protocols().forEach((name, p) -> protocols.put(name, p.withPrecision(effective(p.precision()))));
        return new Spec(spec.file(), spec.name(), spec.description(), spec.datasets(), spec.backbones(), methods,
                spec.labels(), spec.seeds(), protocols, spec.preprocess(), spec.outputDir(), spec.pluginsDir(),
                spec.dataDir(), spec.presets(), spec.notes());
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
            + " kernels, ResNet-20 training on CIFAR-10 gave NaN losses at random steps on the machine it was measured on"
            + " (README, Speed: before and after (issue 16)); such cells are recorded as diverged, never as results";
}
