package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hashes cover exactly what changes a result: one edit of any such value in a spec changes
 * them, while renaming the spec, reordering keys or moving the output does not.
 */
class MatrixHashTest {
    private static final String BASE = """
            name: h
            description: base
            datasets: [tiny]
            backbone: small-cnn
            methods: [{name: rotation, params: {all_four: false}}]
            labels: [100]
            seeds: [0]
            pretext:
              epochs: 10
              batch_size: 128
              optimizer: {name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 0.0001, nesterov: false}
              schedule: {name: step, warmup_epochs: 0, milestones: [5], factors: [0.1]}
              augment: {shift: 0.1, hflip: true}
            protocols:
              finetune: {epochs: 20, batch_size: 64, optimizer: {name: adam, lr: 0.001}, schedule: {name: constant}, augment: {shift: 0.3}}
              knn: {k: 20, temperature: 0.07}
            preprocess: {normalize: pixel_mean}
            """;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            all_four: false                             | all_four: true
            datasets: [tiny]                            | datasets: [tiny-rgb]
            datasets: [tiny]                            | datasets: [{name: tiny, unlabeled_limit: 200}]
            backbone: small-cnn                         | backbone: resnet20
            epochs: 10                                  | epochs: 11
            batch_size: 128                             | batch_size: 64
            name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 0.0001, nesterov: false | name: adam, lr: 0.1, weight_decay: 0.0001
            lr: 0.1,                                    | lr: 0.2,
            momentum: 0.9                               | momentum: 0.8
            weight_decay: 0.0001                        | weight_decay: 0.0002
            nesterov: false                             | nesterov: true
            nesterov: false                             | nesterov: false, exclude_bias_bn: false
            name: sgd, lr: 0.1,                         | name: lars, lr: 0.1,
            warmup_epochs: 0,                           | warmup_epochs: 1,
            milestones: [5]                             | milestones: [6]
            factors: [0.1]                              | factors: [0.2]
            name: step, warmup_epochs: 0, milestones: [5], factors: [0.1] | name: cosine
            shift: 0.1, hflip                           | shift: 0.2, hflip
            hflip: true                                 | hflip: false
            normalize: pixel_mean                       | normalize: standardize
            seeds: [0]                                  | seeds: [1]
            """)
    void pretextEditChangesEveryHash(String from, String to) throws Exception {
        PretextGroup base = group(BASE);
        PretextGroup edited = group(edit(from, to));
        assertNotEquals(base.pretextHash(), edited.pretextHash());
        for (int i = 0; i < base.cells().size(); i++) {
            assertNotEquals(base.cells().get(i).cellHash(), edited.cells().get(i).cellHash());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            epochs: 20                 | epochs: 21                 | 0
            batch_size: 64             | batch_size: 32             | 0
            lr: 0.001                  | lr: 0.002                  | 0
            name: constant             | name: cosine               | 0
            shift: 0.3                 | shift: 0.4                 | 0
            k: 20                      | k: 10                      | 1
            temperature: 0.07          | temperature: 0.1           | 1
            """)
    void protocolEditChangesOnlyThatCell(String from, String to, int cell) throws Exception {
        PretextGroup base = group(BASE);
        PretextGroup edited = group(edit(from, to));
        assertEquals(base.pretextHash(), edited.pretextHash());
        assertNotEquals(base.cells().get(cell).cellHash(), edited.cells().get(cell).cellHash());
        assertEquals(base.cells().get(1 - cell).cellHash(), edited.cells().get(1 - cell).cellHash());
    }

    @Test
    void methodChangeChangesEveryHash() throws Exception {
        PretextGroup base = group(BASE);
        PretextGroup supervised = MatrixTest.expand(edit("methods: [{name: rotation, params: {all_four: false}}]",
                "methods: [supervised, {name: rotation, params: {all_four: false}}]")).get(0);
        assertEquals("supervised", supervised.method().name());
        assertNotEquals(base.pretextHash(), supervised.pretextHash());
        for (int i = 0; i < base.cells().size(); i++) {
            assertNotEquals(base.cells().get(i).cellHash(), supervised.cells().get(i).cellHash());
        }
    }

    /** The baseline never reads the unlabeled pool or the pretext block: neither may split its hashes. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            datasets: [tiny]   | datasets: [{name: tiny, unlabeled_limit: 200}]
            epochs: 10         | epochs: 11
            name: sgd, lr: 0.1 | name: sgd, lr: 0.2
            shift: 0.1, hflip  | shift: 0.2, hflip
            """)
    void pretextSettingsDoNotChangeTheBaselinesHashes(String from, String to) throws Exception {
        String both = "methods: [supervised, {name: rotation, params: {all_four: false}}]";
        String methods = "methods: [{name: rotation, params: {all_four: false}}]";
        PretextGroup base = MatrixTest.expand(edit(methods, both)).get(0);
        PretextGroup edited = MatrixTest.expand(edit(methods, both).replace(from, to)).get(0);
        assertEquals("supervised", edited.method().name());
        assertEquals(hashes(base), hashes(edited));
        // Every identity follows the cell hash: config id, series id and settings too, so two specs
        // differing only in these settings share the baseline's configuration.
        assertEquals(identities(base), identities(edited));
        edited.cells().forEach(c -> assertFalse(c.settings().contains("unlabeled_limit"), c.settings()));
        edited.cells().forEach(c -> assertFalse(c.settings().contains("pretext."), c.settings()));
        assertNotEquals(identities(MatrixTest.expand(edit(methods, both)).get(1)),
                identities(MatrixTest.expand(edit(methods, both).replace(from, to)).get(1)));
        assertNotEquals(hashes(MatrixTest.expand(edit(methods, both)).get(1)),
                hashes(MatrixTest.expand(edit(methods, both).replace(from, to)).get(1)), "the pretraining method's must change");
    }

    @Test
    void labelCountChangesTheCellNotThePretext() throws Exception {
        PretextGroup base = group(BASE);
        PretextGroup edited = group(edit("labels: [100]", "labels: [200]"));
        assertEquals(base.pretextHash(), edited.pretextHash());
        assertNotEquals(base.cells().get(0).cellHash(), edited.cells().get(0).cellHash());
    }

    @Test
    void reorderingKeysAndBookkeepingDoNotChangeHashes() throws Exception {
        String reordered = """
                preprocess: {normalize: pixel_mean}
                protocols:
                  finetune: {augment: {shift: 0.3}, schedule: {name: constant}, optimizer: {lr: 0.001, name: adam}, batch_size: 64, epochs: 20}
                  knn: {temperature: 0.07, k: 20}
                pretext:
                  augment: {hflip: true, shift: 0.1}
                  schedule: {factors: [0.1], milestones: [5], warmup_epochs: 0, name: step}
                  optimizer: {nesterov: false, weight_decay: 0.0001, momentum: 0.9, lr: 0.1, name: sgd}
                  batch_size: 128
                  epochs: 10
                seeds: [0]
                labels: [100]
                methods: [{params: {all_four: false}, name: rotation}]
                backbone: small-cnn
                datasets: [tiny]
                description: another description
                name: renamed
                output: {dir: elsewhere}
                """;
        assertEquals(hashes(group(BASE)), hashes(group(reordered)));
    }

    @Test
    void numbersHashByValueNotBySpelling() throws Exception {
        String spelled = edit("lr: 0.1,", "lr: 1.0e-1,").replace("weight_decay: 0.0001", "weight_decay: 1e-4");
        assertEquals(hashes(group(BASE)), hashes(group(spelled)));
    }

    /**
     * Pinned hashes of BASE, taken before bn_momentum existed: a new optional key must leave the
     * hashes of every spec that does not use it as they were, or every stored result is orphaned.
     * {@code selection: fixed} is the protocol before selection existed, so it keeps them; the
     * default {@code labelled} is another fine-tune protocol: the same pretext run, a new fine-tune cell
     * hash; kNN with a single k has nothing to choose and keeps its hash.
     */
    @Test
    void hashesOfASpecWithoutNewKeysArePinned() throws Exception {
        List<String> pinned = List.of("c6afe67dce289246", "f35a21eac7e2d894", "37e053a043a3c3a7");
        assertEquals(pinned, hashes(group(BASE + "selection: fixed\n")));
        List<String> labelled = hashes(group(BASE));
        assertEquals(pinned.get(0), labelled.get(0), "the pretext run is shared");
        assertTrue(!labelled.contains(pinned.get(1)), "the fine-tune under labelled is another protocol: " + labelled);
        // kNN with one k has nothing to choose: labelled and fixed are the same protocol, the same hash
        assertEquals(pinned.get(2), labelled.get(2));
    }

    /**
     * bn_momentum enters a block's hash only when it is not the default 0.9: written as 0.9 the
     * hashes stay those of the spec without it (stored results stay valid); another value changes
     * the pretext's hash and every cell's (pretext block) or only the finetune cell's (finetune block).
     */
    @Test
    void bnMomentumEntersTheHashOnlyWhenNotTheDefault() throws Exception {
        // A backbone with BatchNorm: a finetune bn_momentum with small-cnn (no BatchNorm) is refused.
        String withBn = edit("backbone: small-cnn", "backbone: resnet20");
        String pretextDefault = withBn.replace("  epochs: 10\n", "  epochs: 10\n  bn_momentum: 0.9\n");
        String finetuneDefault = withBn.replace("finetune: {epochs: 20,", "finetune: {bn_momentum: 0.9, epochs: 20,");
        assertTrue(!pretextDefault.equals(withBn) && !finetuneDefault.equals(withBn), "test edits must apply");
        assertEquals(hashes(group(withBn)), hashes(group(pretextDefault)));
        assertEquals(hashes(group(withBn)), hashes(group(finetuneDefault)));
        assertEquals(group(withBn).cells().get(0).settings(), group(finetuneDefault).cells().get(0).settings());

        PretextGroup base = group(withBn);
        PretextGroup pretext = group(pretextDefault.replace("bn_momentum: 0.9", "bn_momentum: 0.99"));
        assertNotEquals(base.pretextHash(), pretext.pretextHash());
        for (int i = 0; i < base.cells().size(); i++) {
            assertNotEquals(base.cells().get(i).cellHash(), pretext.cells().get(i).cellHash());
        }
        PretextGroup finetune = group(finetuneDefault.replace("bn_momentum: 0.9", "bn_momentum: 0.99"));
        assertEquals(base.pretextHash(), finetune.pretextHash());
        assertEquals("finetune", finetune.cells().get(0).protocol().name());
        assertNotEquals(base.cells().get(0).cellHash(), finetune.cells().get(0).cellHash());
        assertEquals(base.cells().get(1).cellHash(), finetune.cells().get(1).cellHash(), "the knn cell");

        // Provenance: the setting is named where a configuration's settings are listed.
        assertTrue(pretext.cells().get(1).settings().contains("pretext.bn_momentum=0.99"), pretext.cells().get(1).settings());
        assertTrue(finetune.cells().get(0).settings().contains("protocol.train.bn_momentum=0.99"),
                finetune.cells().get(0).settings());
        assertTrue(!base.cells().get(0).settings().contains("bn_momentum"), base.cells().get(0).settings());
    }

    /**
     * The optimizer keys added with LARS enter a hash only when they change the run: writing the
     * default {@code exclude_bias_bn: true} keeps the pinned hashes of BASE (which predate it) and
     * its settings; in a LARS spec, eta and clip_lr each change every hash.
     */
    @Test
    void optimizerKeysAddedWithLarsKeepOldHashesAtTheirDefaults() throws Exception {
        String written = edit("nesterov: false}", "nesterov: false, exclude_bias_bn: true}")
                .replace("{name: adam, lr: 0.001}", "{name: adam, lr: 0.001, exclude_bias_bn: true}") + "selection: fixed\n";
        assertTrue(written.contains("adam, lr: 0.001, exclude_bias_bn"), "test edit must apply");
        assertEquals(List.of("c6afe67dce289246", "f35a21eac7e2d894", "37e053a043a3c3a7"), hashes(group(written)));
        assertEquals(identities(group(BASE)), identities(group(BASE.replace("nesterov: false}",
                "nesterov: false, exclude_bias_bn: true}"))));

        String lars = edit("name: sgd, lr: 0.1,", "name: lars, lr: 0.1,");
        List<String> larsHashes = hashes(group(lars));
        assertEquals(larsHashes, hashes(group(lars.replace("nesterov: false}", "nesterov: false, eta: 0.001, clip_lr: false}"))),
                "eta 0.001 and clip_lr false are LARS' defaults");
        for (String key : List.of("eta: 0.02", "clip_lr: true")) {
            List<String> edited = hashes(group(lars.replace("nesterov: false}", "nesterov: false, " + key + "}")));
            for (int i = 0; i < larsHashes.size(); i++) {
                assertNotEquals(larsHashes.get(i), edited.get(i), key);
            }
        }
        assertTrue(group(lars).cells().get(1).settings().contains("pretext.optimizer.eta=0.001"),
                group(lars).cells().get(1).settings());
        assertTrue(group(BASE.replace("nesterov: false}", "nesterov: false, exclude_bias_bn: false}")).cells().get(1)
                .settings().contains("pretext.optimizer.exclude_bias_bn=false"));
    }

    /**
     * AdamW's keys enter a hash only in an AdamW spec, where each changes every hash and writing
     * PyTorch's defaults changes none; adam and sgd specs keep their pinned hashes (above), as the
     * new components are empty for them.
     */
    @Test
    void adamwKeysEnterHashesOnlyWhenTheyChangeTheRun() throws Exception {
        String adamw = edit("name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 0.0001, nesterov: false}",
                "name: adamw, lr: 0.1, weight_decay: 0.0001}");
        List<String> adamwHashes = hashes(group(adamw));
        assertNotEquals(hashes(group(edit("name: sgd, lr: 0.1, momentum: 0.9, weight_decay: 0.0001, nesterov: false}",
                "name: adam, lr: 0.1, weight_decay: 0.0001}"))), adamwHashes, "adamw is not adam");
        assertEquals(adamwHashes, hashes(group(adamw.replace("weight_decay: 0.0001}",
                "weight_decay: 0.0001, beta1: 0.9, beta2: 0.999, epsilon: 1.0e-8}"))), "PyTorch's defaults");
        for (String key : List.of("beta1: 0.8", "beta2: 0.99", "epsilon: 1.0e-6", "exclude_bias_bn: false")) {
            List<String> edited = hashes(group(adamw.replace("weight_decay: 0.0001}", "weight_decay: 0.0001, " + key + "}")));
            for (int i = 0; i < adamwHashes.size(); i++) {
                assertNotEquals(adamwHashes.get(i), edited.get(i), key);
            }
        }
        assertTrue(group(adamw).cells().get(1).settings().contains("pretext.optimizer.beta2=0.999"),
                group(adamw).cells().get(1).settings());
        assertFalse(group(BASE).cells().get(1).settings().contains("beta1"), group(BASE).cells().get(1).settings());
    }

    @Test
    void hashesAreSixteenHexDigits() throws Exception {
        List<String> all = hashes(group(BASE));
        all.forEach(h -> assertTrue(h.matches("[0-9a-f]{16}"), h));
    }


    @Test
    void seriesIdIsOneConfigurationAcrossLabelCountsAndSettingsNameWhatTheIdCovers() throws Exception {
        PretextGroup base = MatrixTest.expand(BASE.replace("labels: [100]", "labels: [100, 250]")).get(0);
        List<Cell> knn = base.cells().stream().filter(c -> c.protocol().name().equals("knn")).toList();
        assertEquals(2, knn.size());
        assertNotEquals(knn.get(0).configId(), knn.get(1).configId());
        assertEquals(knn.get(0).seriesId(), knn.get(1).seriesId());
        assertTrue(knn.get(0).settings().contains("protocol.temperature=0.07"), knn.get(0).settings());
        assertTrue(knn.get(1).settings().contains("n_labels=250"), knn.get(1).settings());

        // A protocol setting is part of the series: another knn temperature is another series.
        PretextGroup warmer = MatrixTest.expand(BASE.replace("labels: [100]", "labels: [100, 250]")
                .replace("temperature: 0.07", "temperature: 0.5")).get(0);
        Cell warmerKnn = warmer.cells().stream().filter(c -> c.protocol().name().equals("knn")).findFirst().orElseThrow();
        assertNotEquals(knn.get(0).seriesId(), warmerKnn.seriesId());
        assertTrue(warmerKnn.settings().contains("protocol.temperature=0.5"), warmerKnn.settings());
    }

    private static String edit(String from, String to) {
        assertTrue(BASE.contains(from), "test edit must apply: " + from);
        return BASE.replace(from, to);
    }

    private static PretextGroup group(String yaml) throws Exception {
        List<PretextGroup> groups = MatrixTest.expand(yaml);
        assertEquals(1, groups.size());
        return groups.get(0);
    }

    /** Each cell's config id, series id and settings. */
    private static List<String> identities(PretextGroup group) {
        return group.cells().stream().flatMap(c -> Stream.of(c.configId(), c.seriesId(), c.settings())).toList();
    }

    private static List<String> hashes(PretextGroup group) {
        return Stream.concat(Stream.of(group.pretextHash()),
                group.cells().stream().map(Cell::cellHash)).toList();
    }
}
