package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.matrix.ConfigHash;
import org.sslbench.testing.FakeCatalog;

/**
 * Issue 13's candidate lists: {@code protocols.knn.k} as a list and {@code protocols.linear.l2},
 * validated at their lines, allowed only where the selection chooses among them, and dropping
 * what does not apply so hashes change only with what changes results.
 */
class CandidateListsSpecTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();
    /** Six lines; the protocols block follows on line 7. */
    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: resnet20\nlabels: [100]\n"
            + "methods: [supervised, rotation]\nprotocols:\n";
    private static final Optional<String> LABELLED = Optional.of(ProtocolSpec.LABELLED);

    private static SpecException refused(String protocols) {
        return assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", HEAD + protocols, CATALOG, Overrides.NONE));
    }

    private static YNode yaml(String text) throws SpecException {
        return YamlTree.parse("t.yaml", text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            knn: {k: [5]}                | 7 | protocols.knn.k      | a list of k needs at least 2 values to choose among; write the one value without brackets (k: 5)
            knn: {k: [5, 10, 5]}         | 7 | protocols.knn.k[2]   | duplicate k '5' (first at line 7)
            knn: {k: [5, 0]}             | 7 | protocols.knn.k[1]   | must be > 0, got 0
            knn: {k: []}                 | 7 | protocols.knn.k      | must not be empty
            linear: {l2: [0.1]}          | 7 | protocols.linear.l2  | a list of l2 candidates needs at least 2 values to choose among; write the one value without brackets (l2: 0.1)
            linear: {l2: [0.1, 1, 0.1]}  | 7 | protocols.linear.l2[2] | duplicate l2 candidate '0.1' (first at line 7)
            linear: {l2: [0.1, -1]}      | 7 | protocols.linear.l2[1] | must be > 0, got -1
            linear: {l2: 0}              | 7 | protocols.linear.l2  | must be > 0, got 0
            linear: {l2: 1e400}          | 7 | protocols.linear.l2  | number 1e400 is out of range
            linear: {l2: strong}         | 7 | protocols.linear.l2  | expected number, got string 'strong'
            finetune: {l2: 0.1}          | 7 | protocols.finetune.l2 | unknown key 'l2'
            """)
    void badCandidatesAreRefusedAtTheirLine(String block, int line, String field, String message) {
        SpecException e = refused("  " + block + "\n");
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aKListNeedsLabelledSelection() throws SpecException {
        YNode node = yaml("k: [5, 10]\ntemperature: 0.1\n");
        ProtocolSpec fixed = new ProtocolSpec("knn", null, 5, 0.1, 0, Optional.empty(), Optional.of(List.of(5, 10)), Optional.empty());
        SpecException e = assertThrows(SpecException.class, () -> SpecReader.candidates(fixed, node));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("write one k, or use selection: labelled"), e.getMessage());
        ProtocolSpec labelled = new ProtocolSpec("knn", null, 5, 0.1, 0, LABELLED, Optional.of(List.of(5, 10)), Optional.empty());
        assertEquals(labelled, SpecReader.candidates(labelled, node));
    }

    @Test
    void oneKKeepsTheProtocolAndHashOfBeforeSelection() throws SpecException {
        ProtocolSpec before = new ProtocolSpec("knn", null, 20, 0.07, 0);
        ProtocolSpec labelled = new ProtocolSpec("knn", null, 20, 0.07, 0, LABELLED, Optional.empty(), Optional.empty());
        ProtocolSpec read = SpecReader.candidates(labelled, yaml("k: 20\n"));
        assertEquals(before, read);
        assertEquals(ConfigHash.of(before), ConfigHash.of(read));
    }

    @Test
    void temperatureIsNotBlamedForAListStartingWithKOne() {
        // k 1 alone makes the temperature useless; in a list the other candidates weigh votes
        try {
            SpecLoader.load("t.yaml", HEAD + "  knn: {k: [1, 10], temperature: 0.1}\n", CATALOG, Overrides.NONE);
        } catch (SpecException e) {
            assertFalse(e.getMessage().contains("temperature"), e.getMessage());
            assertEquals("protocols.knn.k", e.field(), "only the selection may refuse the list");
        }
    }

    @Test
    void l2NeedsLabelledSelectionAndTheSgdKeysAreRefusedUnderIt() throws SpecException {
        TrainSpec sgd = Defaults.protocol("linear");
        YNode node = yaml("epochs: 7\nl2: [0.01, 1]\n");
        ProtocolSpec fixed = new ProtocolSpec("linear", sgd, 0, 0.0, 0);
        SpecException e = assertThrows(SpecException.class, () -> SpecReader.candidates(fixed, node));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("remove it, or use selection: labelled"), e.getMessage());
        assertEquals(fixed, SpecReader.candidates(fixed, yaml("epochs: 7\n")), "fixed without l2: unchanged");

        ProtocolSpec labelled = new ProtocolSpec("linear", sgd, 0, 0.0, 3, LABELLED, Optional.empty(), Optional.empty());
        // an SGD key written under labelled would change nothing: refused at its line, naming the way out
        SpecException sgdKey = assertThrows(SpecException.class, () -> SpecReader.candidates(labelled, node));
        assertEquals(1, sgdKey.line());
        assertTrue(sgdKey.getMessage().contains("epochs has no effect on the linear probe under selection: labelled"),
                sgdKey.getMessage());
        assertTrue(sgdKey.getMessage().contains("set selection: fixed in this block"), sgdKey.getMessage());
        for (String key : List.of("batch_size: 8", "optimizer: {name: sgd, lr: 0.1}", "schedule: {name: cosine}",
                "eval_every: 1")) {
            assertThrows(SpecException.class, () -> SpecReader.candidates(labelled, yaml(key + "\n")), key);
        }
        YNode l2Only = yaml("l2: [0.01, 1]\n");
        ProtocolSpec read = SpecReader.candidates(labelled, l2Only);
        assertNull(read.train(), "L-BFGS probe: no SGD block");
        assertEquals(0, read.evalEvery());
        assertEquals(Optional.of(List.of(0.01, 1.0)), read.l2Choices());
        assertTrue(read.selectsOnLabels());
        // other SGD settings: same protocol, same hash
        ProtocolSpec otherSgd = new ProtocolSpec("linear", new TrainSpec(99, 8, sgd.optimizer(), sgd.schedule(), sgd.augment(),
                sgd.augmentViews(), sgd.bnMomentum(), sgd.dataset()), 0, 0.0, 0, LABELLED, Optional.empty(), Optional.empty());
        assertEquals(ConfigHash.of(read), ConfigHash.of(SpecReader.candidates(otherSgd, l2Only)));
        // one value: a list of one candidate (used as given); absent: the default grid (empty)
        assertEquals(Optional.of(List.of(0.5)), SpecReader.candidates(labelled, yaml("l2: 0.5\n")).l2Choices());
        assertEquals(Optional.empty(), SpecReader.candidates(labelled, yaml("{}\n")).l2Choices());
    }

    @Test
    void specsWithoutTheNewKeysReadAsBefore() throws SpecException {
        Spec spec = SpecLoader.load("t.yaml", HEAD + "  knn: {k: 5}\n", CATALOG, Overrides.NONE);
        assertEquals(new ProtocolSpec("knn", null, 5, 0.07, 0), spec.protocols().get("knn"));
    }
}
