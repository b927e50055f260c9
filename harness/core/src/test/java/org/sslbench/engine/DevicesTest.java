package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.RewriterConfig;

class DevicesTest {
    @Test
    void fallbackRuleIsTensorFlowsVariableThenTheCpuFlags() {
        Set<String> vnni = Set.of("avx2", "avx512f", "avx512_vnni");
        Set<String> old = Set.of("avx2", "fma");
        assertEquals("onednn", Devices.cpuKernels("1", old));
        assertEquals("onednn", Devices.cpuKernels(" TRUE ", old));
        assertEquals("eigen", Devices.cpuKernels("0", vnni));
        assertEquals("eigen", Devices.cpuKernels("false", vnni));
        // Unset: TF 2.18 decides by the CPU, not "off unless set".
        assertEquals("onednn", Devices.cpuKernels(null, vnni));
        assertEquals("onednn", Devices.cpuKernels(null, Set.of("avx512_bf16")));
        assertEquals("onednn", Devices.cpuKernels(null, Set.of("amx_tile")));
        assertEquals("eigen", Devices.cpuKernels(null, old));
    }

    @Test
    void cpuFlagsAreReadFromCpuinfo(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu avx2 avx512_bf16\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        assertEquals(Set.of("fpu", "avx2", "avx512_bf16"), Devices.cpuFlags(cpuinfo));
        assertEquals(Set.of(), Devices.cpuFlags(dir.resolve("missing")));
    }

    @Test
    void executedOpTypesTellTheKernels() {
        assertEquals("onednn", Devices.kernelsOf(List.of("_Arg", "_MklNativeConv2D", "_MklMatMul", "_Retval")));
        assertEquals("eigen", Devices.kernelsOf(List.of("_Arg", "Conv2D", "MatMul", "_Retval")));
    }

    /** Surefire sets TF_ENABLE_ONEDNN_OPTS=1; children get 0 and no variable (TF's default, by CPU). */
    @Test
    void observedKernelsFollowTheVariableAndTensorFlowsDefault() throws Exception {
        assertEquals("onednn", Devices.observeCpuKernels());
        assertEquals("onednn", Devices.cpuKernels());
        assertEquals("eigen", child("0"));
        String unset = child(null);
        assertEquals(Devices.cpuKernels(null, Devices.cpuFlags(Path.of("/proc/cpuinfo"))), unset,
                "unset: TensorFlow's own choice for this CPU");
    }

    /** Devices.cpuKernels() in a fresh JVM with the variable set to {@code value}, or unset when null. */
    private static String child(String value) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DevicesProbe.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(Devices.ONEDNN_ENV);
        if (value != null) {
            pb.environment().put(Devices.ONEDNN_ENV, value);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void sessionSettingsReachTheConfigProto() {
        try {
            Sessions.configure(2, 1);
            Sessions.grappler(Sessions.Grappler.parse("no-remap"));
            var c = Sessions.config();
            assertEquals(2, c.getIntraOpParallelismThreads());
            assertEquals(1, c.getInterOpParallelismThreads());
            assertEquals(RewriterConfig.Toggle.OFF, c.getGraphOptions().getRewriteOptions().getRemapping());
            Sessions.grappler(Sessions.Grappler.OFF);
            assertTrue(Sessions.config().getGraphOptions().getRewriteOptions().getDisableMetaOptimizer());
        } finally {
            Sessions.configure(0, 0);
            Sessions.grappler(Sessions.Grappler.DEFAULT);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Sessions.Grappler.parse("turbo"));
        assertTrue(e.getMessage().contains("allowed: default, off, no-remap"), e.getMessage());
    }
}
