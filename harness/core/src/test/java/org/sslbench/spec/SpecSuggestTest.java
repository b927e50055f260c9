package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecSuggestTest {
    @Test
    void swapOfNeighboursCostsOne() {
        assertEquals(1, Suggest.distance("all_fuor", "all_four"));
        assertEquals(3, Suggest.distance("kitten", "sitting"));
        assertEquals(0, Suggest.distance("", ""));
    }

    @Test
    void suggestsOnlyPlausibleTypos() {
        List<String> allowed = List.of("adam", "sgd");
        assertEquals("adam", Suggest.nearest("Adm", allowed));
        assertNull(Suggest.nearest("rmsprop", allowed));
        assertNull(Suggest.nearest("x", List.of("k")), "a one-letter name is not a typo of another one");
    }

    @Test
    void messageListsEverythingSorted() {
        assertEquals("unknown method 'simclr'; allowed: rotation, supervised",
                Suggest.unknown("method", "simclr", List.of("supervised", "rotation")));
        assertEquals("unknown key 'x'; allowed: (none)", Suggest.unknown("key", "x", List.of()));
    }
}
