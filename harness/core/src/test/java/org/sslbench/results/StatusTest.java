package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code collapsed}: written lower-case, read back, a real outcome that a rerun does not retry. */
class StatusTest {
    @Test
    void collapsedRoundTripsAndIsNotRetried() {
        assertEquals("collapsed", Status.COLLAPSED.csv());
        assertEquals(Status.COLLAPSED, Status.parse("collapsed"));
        assertTrue(Status.COLLAPSED.isCompleted(), "like diverged, a rerun keeps it");
        assertTrue(Status.DIVERGED.isCompleted());
        assertFalse(Status.FAILED.isCompleted());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Status.parse("Collapsed"));
        assertTrue(e.getMessage().contains("ok, diverged, collapsed or failed"), e.getMessage());
    }
}
