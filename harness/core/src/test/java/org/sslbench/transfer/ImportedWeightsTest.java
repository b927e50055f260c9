package org.sslbench.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.engine.Checkpoint;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;

/** What the runner hands to the protocols for a method that names its weights. */
class ImportedWeightsTest {
    @TempDir
    Path dir;

    private static Method method(String weightsParam) {
        return new Method() {
            @Override public String name() { return "m"; }
            @Override public String description() { return "test"; }
            @Override public List<Param> params() { return List.of(Param.of("weights", "", "file")); }
            @Override public int views(Params p) { return 0; }
            @Override public String weightsParam() { return weightsParam; }
            @Override public Objective build(PretextContext ctx) { throw new UnsupportedOperationException(); }
        };
    }

    @Test
    void loadsTheNamedWeightsAndRefusesAFileChangedSinceTheSpecWasLoaded() throws IOException {
        Path file = dir.resolve("w.ckpt");
        new Checkpoint(Map.of(), Map.of("encoder/x", new float[] {1, 2})).write(file);
        String sha = EncoderWeights.sha256(file);
        Params params = new Params(Map.of("weights", file.toString(), "weights_sha256", sha));
        assertArrayEquals(new float[] {1, 2}, ImportedWeights.load(method("weights"), params).get("encoder/x"));
        assertNull(ImportedWeights.load(method(null), params), "no weights param: random initialisation");

        new Checkpoint(Map.of(), Map.of("encoder/x", new float[] {1, 3})).write(file);
        IOException e = assertThrows(IOException.class, () -> ImportedWeights.load(method("weights"), params));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("changed since the spec was loaded"),
                e.getMessage());
    }
}
