package org.sslbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.RewriterConfig;

class DevicesTest {
    @Test
    void onednnIsOnOnlyWhenTheVariableSaysSoAsTensorFlowReadsIt() {
        assertEquals("onednn", Devices.cpuKernels("1"));
        assertEquals("onednn", Devices.cpuKernels(" TRUE "));
        assertEquals("eigen", Devices.cpuKernels("0"));
        assertEquals("eigen", Devices.cpuKernels("false"));
        assertEquals("eigen", Devices.cpuKernels(null)); // TF Java's build: off unless asked
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
