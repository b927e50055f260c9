package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How configurations are named apart in tables and plots. */
class ConfigNamesTest {
    /**
     * A labelled and a fixed configuration (the fixed one written before selection existed, so its
     * settings lack the key) are named by their selection, next to what else differs.
     */
    @Test
    void aMissingSelectionIsTheFixedOne() {
        String labelled = "method=rotation;protocol.eval_every=0;protocol.name=finetune;protocol.selection=labelled";
        String fixed = "method=rotation;protocol.eval_every=1;protocol.name=finetune";
        assertEquals(List.of("finetune eval_every 0, finetune selection labelled", "finetune eval_every 1, finetune selection fixed"),
                ConfigNames.distinguishing(List.of(labelled, fixed), "finetune", k -> true));
        // rows described only by what cells.csv records (no protocol settings) get no selection
        assertEquals(List.of("", ""), ConfigNames.distinguishing(List.of("method=rotation;protocol.train.epochs=5",
                "method=rotation;protocol.train.epochs=5"), "finetune", k -> true));
    }
}
