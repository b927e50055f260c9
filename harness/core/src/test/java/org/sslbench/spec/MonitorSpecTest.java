package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.matrix.ConfigHash;
import org.sslbench.testing.FakeCatalog;

/**
 * The kNN monitor keys of pretext blocks: defaults, per-method merge, ranges refused at their line,
 * refused outside pretext blocks, and in the pretext hash only with monitor_stop.
 */
class MonitorSpecTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();
    /** Six lines; line 7 on is the test's. */
    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: resnet20\nlabels: [100]\n"
            + "protocols: {finetune: {}}\nmethods: [supervised, rotation]\n";

    private static Spec load(String yaml) throws SpecException {
        return SpecLoader.load("t.yaml", yaml, CATALOG, Overrides.NONE);
    }

    private static TrainSpec rotation(Spec spec) {
        return spec.methods().stream().filter(m -> m.name().equals("rotation")).findFirst().orElseThrow().pretext();
    }

    @Test
    void defaultsAndValuesReachThePretextBlockPerMethodMerged() throws SpecException {
        assertEquals(MonitorSpec.DEFAULT, rotation(load(HEAD)).monitor());
        assertEquals(new MonitorSpec(1, 50, 50, false), MonitorSpec.DEFAULT);
        Spec spec = load(HEAD.replace("methods: [supervised, rotation]\n",
                "methods: [supervised, {name: rotation, pretext: {monitor_queries: 7}}]\n")
                + "pretext: {monitor_every: 3, monitor_labels: 20, monitor_stop: true}\n");
        assertEquals(new MonitorSpec(3, 20, 7, true), rotation(spec).monitor());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            monitor_every   | -1   | must be >= 0, got -1 (epochs between kNN monitor measurements; 0 = only after the last epoch)
            monitor_labels  | 0    | must be in [1, 1000], got 0 (labelled training images per class in the monitor's kNN bank)
            monitor_queries | 1001 | must be in [1, 1000], got 1001 (labelled training images per class the monitor classifies, disjoint from the bank)
            monitor_every   | 1.5  | expected integer
            monitor_stop    | 2    | expected boolean
            """)
    void outOfRangeValuesAreRefusedAtTheirLine(String key, String value, String message) {
        SpecException e = assertThrows(SpecException.class, () -> load(HEAD + "pretext:\n  " + key + ": " + value + "\n"));
        assertEquals(8, e.line(), e.getMessage());
        assertEquals("pretext." + key, e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Monitor settings that would change nothing are refused at their line (tester F12). */
    @Test
    void monitorSettingsWithoutEffectAreRefused() throws SpecException {
        SpecException every = assertThrows(SpecException.class, () -> load(HEAD + "pretext: {epochs: 2, monitor_every: 5}\n"));
        assertEquals("pretext.monitor_every", every.field());
        assertTrue(every.getMessage().contains("measures only after the last epoch, as monitor_every 0 does"), every.getMessage());
        SpecException stop = assertThrows(SpecException.class,
                () -> load(HEAD + "pretext: {epochs: 4, monitor_every: 0, monitor_stop: true}\n"));
        assertEquals("pretext.monitor_stop", stop.field());
        assertTrue(stop.getMessage().contains("there is none, so it would have no effect"), stop.getMessage());
        SpecException oneEpoch = assertThrows(SpecException.class, () -> load(HEAD + "pretext: {epochs: 1, monitor_stop: true}\n"));
        assertTrue(oneEpoch.getMessage().contains("raise epochs to at least 2"), oneEpoch.getMessage());
        assertTrue(stop.getMessage().contains("set monitor_every below 4 (e.g. 1)"), stop.getMessage());
        // still fine: a stop that can act, and an interval below the epoch count
        assertEquals(new MonitorSpec(1, 50, 50, true), rotation(load(HEAD + "pretext: {epochs: 2, monitor_stop: true}\n")).monitor());
        assertEquals(3, rotation(load(HEAD + "pretext: {epochs: 4, monitor_every: 3}\n")).monitor().every());
    }

    @Test
    void aProtocolBlockRefusesMonitorKeys() {
        SpecException e = assertThrows(SpecException.class, () -> load(HEAD.replace("protocols: {finetune: {}}",
                "protocols: {finetune: {monitor_every: 2}}")));
        assertEquals(5, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("monitor_every"), e.getMessage());
    }

    /**
     * The monitor reads the weights and never changes them, so without early stop its interval
     * never enters the pretext hash; its sizes do when not the default (the collapse verdict is
     * computed on those images); monitor_stop can truncate training, so then all of them do.
     */
    @Test
    void monitorSizesAndEarlyStopEnterTheHashTheIntervalAloneDoesNot() throws SpecException {
        TrainSpec base = rotation(load(HEAD));
        String plain = ConfigHash.of(base);
        assertEquals(plain, ConfigHash.of(base.withMonitor(new MonitorSpec(0, 50, 50, false))), "interval: log only");
        assertEquals(plain, ConfigHash.of(base.withMonitor(new MonitorSpec(5, 50, 50, false))));
        // other sizes: the collapse verdict (the run's status) is computed on those images
        String resized = ConfigHash.of(base.withMonitor(new MonitorSpec(1, 2, 1, false)));
        assertNotEquals(plain, resized);
        assertEquals(resized, ConfigHash.of(base.withMonitor(new MonitorSpec(3, 2, 1, false))), "the interval still does not");
        assertTrue(!ConfigHash.flatten(java.util.Map.of("pretext", base)).keySet().stream()
                .anyMatch(k -> k.contains("monitor")), "not in the settings summary either");
        String stop = ConfigHash.of(base.withMonitor(new MonitorSpec(1, 50, 50, true)));
        assertNotEquals(plain, stop);
        assertNotEquals(stop, ConfigHash.of(base.withMonitor(new MonitorSpec(2, 50, 50, true))), "when it measures");
        assertNotEquals(stop, ConfigHash.of(base.withMonitor(new MonitorSpec(1, 40, 50, true))), "what it measures on");
        assertEquals("true", ConfigHash.flatten(java.util.Map.of("pretext", base.withMonitor(new MonitorSpec(1, 50, 50, true))))
                .get("pretext.monitor.stop"));
    }
}
