package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sslbench.download.DataSources;

/** Commands that messages tell the user to paste name each path as one shell word. */
class ShellTest {
    @Test
    void plainWordsStayAndOthersAreSingleQuoted() {
        assertEquals("/data/cifar-10_1.bin", Shell.quote("/data/cifar-10_1.bin"));
        assertEquals("'/big disk/données'", Shell.quote(Path.of("/big disk/données")));
        assertEquals("'it'\\''s'", Shell.quote("it's"));
        assertEquals("'$HOME'", Shell.quote("$HOME"), "no expansion when pasted");
    }

    @Test
    void manualInstructionsAndMissingDataMessagesQuoteTheDataDirectory() {
        Path dir = Path.of("/tmp/my data é");
        String tar = DataSources.official(DataSources.CIFAR10).manualInstructions(dir);
        assertTrue(tar.contains("-C '/tmp/my data é'`"), tar);
        DataException e = assertThrows(DataException.class, () -> new Stl10Factory().describe(dir));
        assertTrue(e.getMessage().contains("make data DATASET=stl10 DATA='/tmp/my data é'`"), e.getMessage());
    }
}
