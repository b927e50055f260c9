package org.sslbench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sslbench.engine.Precision;
import org.sslbench.spec.Overrides;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecLoader;
import org.sslbench.testing.FakeCatalog;

/**
 * The run's precisions (issue 16), resolved once with {@link Precision#effective}'s 4-argument form
 * on fake machines: each precision the spec asks for maps to what the machine gives, and each
 * distinct fallback reason is one note.
 */
class RunPrecisionTest {
    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100]\n"
            + "methods: [supervised, rotation]\n";

    private static Spec load(String yaml) throws Exception {
        return SpecLoader.load("t.yaml", yaml, new FakeCatalog(), Overrides.NONE);
    }

    private static RunPrecision on(Spec spec, String device, String kernels, Set<String> flags) {
        return RunPrecision.resolve(spec, p -> Precision.effective(p, device, kernels, flags));
    }

    @Test
    void aCpuWithoutBf16FallsBackWithOneNotePerReason() throws Exception {
        Spec spec = load(HEAD + "precision: bf16\nprotocols: {finetune: {}, knn: {}, linear: {precision: fp16}}\n");
        assertEquals(Set.of(Precision.BF16, Precision.FP16), RunPrecision.requested(spec));
        RunPrecision noBf16 = on(spec, "cpu (onednn)", "onednn", Set.of("avx2", "avx512f"));
        assertEquals(Precision.FP32, noBf16.effective(Precision.BF16));
        assertEquals(Precision.FP32, noBf16.effective(Precision.FP16));
        assertEquals(Precision.FP32, noBf16.effective(Precision.FP32), "fp32 always runs, asked for or not");
        List<String> notes = noBf16.notes();
        assertEquals(2, notes.size(), notes.toString());
        assertEquals("precision bf16 needs a CPU with AVX512_BF16 or AMX_BF16 (/proc/cpuinfo flags avx512_bf16 /"
                + " amx_bf16), and this one has neither: running fp32", notes.get(0));
        assertEquals("precision fp16 needs a GPU (the GPU build, make bench GPU=1, on a machine with CUDA); this run is on"
                + " cpu (onednn): running fp32 (bf16 is the CPU's mixed precision)", notes.get(1));
    }

    @Test
    void aBf16CpuRunsBf16WithoutANoteAndEigenFallsBack() throws Exception {
        Spec spec = load(HEAD + "pretext: {precision: bf16}\nprotocols: {finetune: {precision: bf16}, knn: {}}\n");
        assertEquals(Set.of(Precision.BF16, Precision.FP32), RunPrecision.requested(spec));
        RunPrecision amx = on(spec, "cpu (onednn)", "onednn", Set.of("avx512f", "amx_bf16"));
        assertEquals(Precision.BF16, amx.effective(Precision.BF16));
        assertEquals(List.of(RunPrecision.BF16_EXPERIMENTAL), amx.notes(), "no fallback, only the bf16 caveat");
        RunPrecision eigen = on(spec, "cpu (eigen)", "eigen", Set.of("avx512_bf16"));
        assertEquals(Precision.FP32, eigen.effective(Precision.BF16));
        assertEquals(1, eigen.notes().size(), "one reason, though two blocks ask for bf16; no caveat, nothing runs bf16");
        assertEquals(true, eigen.notes().get(0).contains("oneDNN CPU kernels"), eigen.notes().get(0));
        RunPrecision gpu = on(spec, "gpu:0", "onednn", Set.of("avx512_bf16"));
        assertEquals(Precision.FP32, gpu.effective(Precision.BF16));
        assertEquals(true, gpu.notes().get(0).contains("use fp16 on a GPU"), gpu.notes().get(0));
        assertThrows(IllegalArgumentException.class, () -> amx.effective(Precision.FP16), "never asked for");
    }

    @Test
    void anFp32SpecResolvesNothingAndSaysNothing() throws Exception {
        Spec spec = load(HEAD + "protocols: {finetune: {}, knn: {}}\n");
        assertEquals(Set.of(Precision.FP32), RunPrecision.requested(spec));
        RunPrecision r = on(spec, "cpu (eigen)", "eigen", Set.of());
        assertEquals(List.of(), r.notes());
        assertEquals(Precision.FP32, r.effective(Precision.FP32));
    }

    private static List<String> hashes(Spec spec) throws Exception {
        FakeCatalog catalog = new FakeCatalog();
        return org.sslbench.matrix.Matrix.expand(spec, org.sslbench.spec.SpecValidator.labelCounts(spec, catalog)).stream()
                .flatMap(g -> g.cells().stream().map(c -> g.pretextHash() + " " + c.cellHash())).toList();
    }

    /**
     * The hashes name what is computed (tester HIGH 1): bf16 falling back to fp32 gets the fp32
     * spec's pretext and cell hashes, so it never pools with rows a bf16 machine computed under the
     * same hash; where bf16 really runs, the bf16 hashes stay.
     */
    @Test
    void aFallbackGetsTheFp32HashesAndRealBf16KeepsItsOwn() throws Exception {
        String yaml = HEAD + "protocols: {finetune: {}, knn: {}}\n";
        Spec fp32 = load(yaml);
        Spec bf16 = load(yaml + "precision: bf16\n");
        RunPrecision eigen = on(bf16, "cpu (eigen)", "eigen", Set.of("avx512_bf16"));
        RunPrecision amx = on(bf16, "cpu (onednn)", "onednn", Set.of("amx_bf16"));
        assertEquals(hashes(fp32), hashes(eigen.effectiveSpec(bf16)));
        assertEquals(hashes(bf16), hashes(amx.effectiveSpec(bf16)));
        assertEquals(false, hashes(fp32).equals(hashes(bf16)), "bf16 has hashes of its own");
    }
}
