package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Shared checks of the data tests. */
final class DataAssertions {
    private DataAssertions() {
    }

    /** Runs {@code code}, expects a {@link DataException} whose message contains every part; returns it. */
    static DataException assertDataError(Executable code, String... parts) {
        DataException e = assertThrows(DataException.class, code);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
        return e;
    }

    /** Image {@code index} of {@code set} as floats. */
    static float[] image(ImageSet set, int index) {
        float[] out = new float[set.shape().size()];
        set.readImage(index, out, 0);
        return out;
    }
}
