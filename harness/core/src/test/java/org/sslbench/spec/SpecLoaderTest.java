package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.testing.FakeCatalog;

class SpecLoaderTest {
    /** Eight lines, so a test can append keys at known line numbers. */
    static final String MINIMAL = """
            name: t
            datasets: [tiny]
            backbone: small-cnn
            methods: [supervised, rotation]
            labels: [100, 250]
            seeds: [0]
            protocols:
              finetune: {}
            """;

    private static final FakeCatalog CATALOG = new FakeCatalog();

    /** {@code p} with the default {@code selection: labelled}. */
    static ProtocolSpec labelled(ProtocolSpec p) {
        return new ProtocolSpec(p.name(), p.train(), p.k(), p.temperature(), p.evalEvery(),
                java.util.Optional.of(ProtocolSpec.LABELLED), p.kChoices(), p.l2Choices());
    }

    private static final OptimizerSpec GLOBAL_SGD = new OptimizerSpec("sgd", 0.05, 0.8, 0.0005, true);
    private static final ScheduleSpec GLOBAL_STEP = new ScheduleSpec("step", 0.5, List.of(5, 10), List.of(0.1, 0.01));

    @Test
    void fullSpecParsesToTheExpectedModel() throws Exception {
        Path file = Path.of(getClass().getResource("/specs/good/full.yaml").toURI());
        Spec spec = SpecLoader.load(file, CATALOG, Overrides.NONE);

        assertEquals(file.toString(), spec.file());
        assertEquals("full-bench", spec.name());
        assertEquals("all keys", spec.description());
        assertEquals(List.of(new DatasetRef("tiny", 0), new DatasetRef("tiny-rgb", 200)), spec.datasets());
        assertEquals(List.of("resnet20", "small-cnn"), spec.backbones());
        assertEquals(new LabelSpec(LabelSpec.Kind.COUNTS, List.of(100.0, 20.0, 250.0)), spec.labels());
        assertEquals(List.of(3, 1), spec.seeds());
        assertEquals(new Preprocess("standardize"), spec.preprocess());
        assertEquals(Path.of("out/full").toAbsolutePath(), spec.outputDir());
        assertEquals(Path.of("").toAbsolutePath(), spec.pluginsDir());
        assertEquals(Path.of("data").toAbsolutePath(), spec.dataDir());
    }

    @Test
    void methodPretextIsDeepMergedIntoTheGlobalOne() throws Exception {
        Spec spec = SpecLoader.load(Path.of(getClass().getResource("/specs/good/full.yaml").toURI()),
                CATALOG, Overrides.NONE);

        MethodSpec supervised = spec.methods().get(0);
        assertEquals(new MethodSpec("supervised", Map.of(), null), supervised);

        // epochs, lr and hflip come from the method; batch, the rest of sgd, the schedule and shift from the global block.
        MethodSpec rotation = spec.methods().get(1);
        assertEquals("rotation", rotation.name());
        assertEquals(Map.of("all_four", true), rotation.params());
        TrainSpec expected = new TrainSpec(30, 32, new OptimizerSpec("sgd", 0.1, 0.8, 0.0005, true), GLOBAL_STEP,
                Map.of("shift", 0.2, "hflip", false));
        assertEquals(expected, rotation.pretext());
    }

    @Test
    void protocolsKeepSpecOrderAndTakeDefaults() throws Exception {
        Spec spec = SpecLoader.load(Path.of(getClass().getResource("/specs/good/full.yaml").toURI()),
                CATALOG, Overrides.NONE);

        assertEquals(List.of("linear", "finetune", "knn"), List.copyOf(spec.protocols().keySet()));
        // the block says selection: fixed, so the softmax head of the published protocols with its SGD block
        assertEquals(new ProtocolSpec("linear", new TrainSpec(5, 256, new OptimizerSpec("adam", 0.01, 0.9, 0.0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of()), 0, 0.0, 0), spec.protocols().get("linear"));
        assertEquals(labelled(new ProtocolSpec("finetune", new TrainSpec(20, 16, new OptimizerSpec("adam", 0.001, 0.9, 0.0, false),
                new ScheduleSpec("cosine", 0, List.of(), List.of()), Map.of("shift", 0.1, "hflip", true)), 0, 0.0, 0)),
                spec.protocols().get("finetune"));
        assertEquals(new ProtocolSpec("knn", null, 5, 0.07, 0), spec.protocols().get("knn"), "one k: nothing to choose");
    }

    @Test
    void minimalSpecTakesEveryDefault() throws Exception {
        Spec spec = SpecLoader.load(Path.of(getClass().getResource("/specs/good/minimal.yaml").toURI()),
                CATALOG, Overrides.NONE);

        assertEquals("", spec.description());
        assertEquals(List.of("small-cnn"), spec.backbones());
        assertEquals(List.of(0), spec.seeds());
        assertEquals(new Preprocess("pixel_mean"), spec.preprocess());
        assertNull(spec.outputDir());
        assertNull(spec.pluginsDir());
        assertNull(spec.dataDir());
        TrainSpec pretext = new TrainSpec(10, 128, new OptimizerSpec("adam", 0.001, 0.9, 0.0, false),
                new ScheduleSpec("cosine", 0, List.of(), List.of()), Map.of("shift", 0.1, "hflip", true));
        assertEquals(new MethodSpec("rotation", Map.of("all_four", false), pretext), spec.methods().get(0));
        assertEquals(20, spec.protocols().get("finetune").train().epochs());
        assertEquals(64, spec.protocols().get("finetune").train().batchSize());
        assertNull(spec.protocols().get("linear").train(), "the labelled linear probe has no SGD block");
        assertEquals(new ProtocolSpec("knn", null, 20, 0.07, 0), spec.protocols().get("knn"));
    }

    @Test
    void methodCanSwitchAGlobalStepScheduleToCosine() throws Exception {
        String yaml = MINIMAL.replace("methods: [supervised, rotation]", """
                methods:
                  - name: rotation
                    pretext: {schedule: {name: cosine}}""") + """
                pretext:
                  schedule: {name: step, milestones: [4], factors: [0.5]}
                """;
        Spec spec = SpecLoader.load("t.yaml", yaml, CATALOG, null);
        assertEquals(new ScheduleSpec("cosine", 0, List.of(), List.of()), spec.methods().get(0).pretext().schedule());
    }

    @Test
    void commandLineOverridesReplaceTheSpecsDirectories() throws Exception {
        String yaml = MINIMAL + "output: {dir: from-spec}\ndata: {dir: from-spec}\n";
        Spec spec = SpecLoader.load("t.yaml", yaml, CATALOG, new Overrides(Path.of("cli-out"), Path.of("cli-data"), null));
        assertEquals(Path.of("cli-out").toAbsolutePath(), spec.outputDir());
        assertEquals(Path.of("cli-data").toAbsolutePath(), spec.dataDir());
        assertEquals("t.yaml", spec.file());
    }

    @Test
    void labelCountsResolvePerDataset() throws Exception {
        String yaml = MINIMAL.replace("datasets: [tiny]", "datasets: [tiny, tiny-rgb]")
                .replace("labels: [100, 250]", "labels: {per_class: [1, 30]}");
        Spec spec = SpecLoader.load("t.yaml", yaml, CATALOG, null);
        Map<String, int[]> counts = SpecValidator.labelCounts(spec, CATALOG);
        assertEquals(List.of("tiny", "tiny-rgb"), List.copyOf(counts.keySet()));
        assertArrayEquals(new int[] {10, 300}, counts.get("tiny"));
        assertArrayEquals(new int[] {10, 300}, counts.get("tiny-rgb"));
    }

    @Test
    void yesIsNotABoolean() {
        // YAML 1.1 would read "yes" as true; a spec reads it as the string it looks like.
        String yaml = MINIMAL + "pretext:\n  augment: {hflip: yes}\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, CATALOG, null));
        assertEquals(10, e.line());
        assertEquals("pretext.augment.hflip", e.field());
        assertTrue(e.getMessage().endsWith("expected boolean, got string 'yes'"), e.getMessage());
    }

    @Test
    void integerIsAcceptedWhereANumberIsExpected() throws Exception {
        Spec spec = SpecLoader.load("t.yaml", MINIMAL + "pretext:\n  optimizer: {lr: 1}\n", CATALOG, null);
        assertEquals(1.0, spec.methods().get(1).pretext().optimizer().lr());
    }
}
