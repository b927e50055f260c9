package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrentConfigsTest {
    @TempDir
    Path dir;

    private static CurrentConfigs.Entry entry(String id, String settings) {
        return new CurrentConfigs.Entry(id, "simclr", "mnist", "small-cnn", "knn", 10, CellResult.STRATIFIED,
                "temperature=0.1", "series-" + id, settings);
    }

    @Test
    void aRerunReplacesTheCurrentConfigurationsButTheHistoryKeepsEveryOneEverRun() throws Exception {
        CurrentConfigs.write(dir, List.of(entry("a", "protocol.temperature=0.07"), entry("a", "dropped duplicate")));
        CurrentConfigs.write(dir, List.of(entry("b", "protocol.temperature=0.5")));

        assertEquals(Set.of("b"), CurrentConfigs.read(dir));
        var history = CurrentConfigs.history(dir);
        assertEquals(List.of("a", "b"), List.copyOf(history.keySet()));
        assertEquals("protocol.temperature=0.07", history.get("a").settings());
        assertEquals("series-b", history.get("b").seriesId());
    }

    @Test
    void anEntryRecordedWithoutSettingsGetsThemWhenTheConfigurationIsRunAgain() throws Exception {
        CurrentConfigs.addToHistory(dir, List.of(entry("a", "")));
        CurrentConfigs.addToHistory(dir, List.of(entry("a", "pretext.epochs=2")));
        CurrentConfigs.addToHistory(dir, List.of(entry("a", "pretext.epochs=3 (never replaces known settings)")));
        assertEquals("pretext.epochs=2", CurrentConfigs.history(dir).get("a").settings());
    }
}
