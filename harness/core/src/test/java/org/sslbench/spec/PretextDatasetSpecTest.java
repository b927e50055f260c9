package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.matrix.Cell;
import org.sslbench.matrix.ConfigHash;
import org.sslbench.matrix.Matrix;
import org.sslbench.matrix.PretextGroup;
import org.sslbench.testing.FakeCatalog;

/**
 * {@code pretext.dataset} (issue 12, part 2) read and validated on FakeCatalog: {@code tiny} is
 * 8×8×1 with a pool of 1000 images, {@code tiny-rgb} 8×8×3 with a pool of 600, {@code broken}
 * cannot be described. Each refusal names file, line and field.
 */
class PretextDatasetSpecTest {
    @TempDir
    Path tmp;

    private static final String HEAD = "name: t\ndatasets: [tiny]\nbackbone: small-cnn\nlabels: [100, 200]\n"
            + "protocols: {linear: {}, knn: {}}\n"; // five lines

    private static Spec load(String yaml) throws SpecException {
        return SpecLoader.load("t.yaml", yaml, new FakeCatalog(), Overrides.NONE);
    }

    private static SpecException refused(String yaml) {
        return assertThrows(SpecException.class, () -> load(yaml));
    }

    @Test
    void globalAndMethodLevelValuesAreReadTheMethodsWinning() throws Exception {
        Spec spec = load(HEAD + "methods: [rotation, supervised]\npretext: {dataset: tiny-rgb}\n");
        assertEquals(Optional.of(new DatasetRef("tiny-rgb", 0)), spec.methods().get(0).pretext().dataset());
        assertEquals(null, spec.methods().get(1).pretext(), "the baseline has no pretext at all");

        Spec limited = load(HEAD + "methods:\n  - {name: rotation, pretext: {dataset: {name: tiny-rgb, unlabeled_limit: 50}}}\n");
        assertEquals(Optional.of(new DatasetRef("tiny-rgb", 50)), limited.methods().get(0).pretext().dataset());
        // A global value that every pretraining method overrides is never read: no effect, refused.
        SpecException unused = refused(HEAD + "methods:\n  - {name: rotation, pretext: {dataset: {name: tiny-rgb,"
                + " unlabeled_limit: 50}}}\npretext: {dataset: broken}\n");
        assertEquals("pretext.dataset", unused.field());
        assertTrue(unused.getMessage().contains("dataset has no effect here: every pretraining method of this spec names"
                + " its own pretext.dataset"), unused.getMessage());
    }

    @Test
    void pretextHashDiffersFromOwnPoolAndIsSharedByEveryLabelCountAndProtocol() throws Exception {
        Spec own = load(HEAD + "methods: [rotation]\n");
        Spec other = load(HEAD + "methods: [rotation]\npretext: {dataset: tiny-rgb}\n");
        List<PretextGroup> ownGroups = Matrix.expand(own, SpecValidator.labelCounts(own, new FakeCatalog()));
        List<PretextGroup> groups = Matrix.expand(other, SpecValidator.labelCounts(other, new FakeCatalog()));
        assertEquals(1, groups.size(), "one pretext run per (method, dataset, backbone, seed)");
        PretextGroup g = groups.get(0);
        assertNotEquals(ownGroups.get(0).pretextHash(), g.pretextHash());
        assertEquals(4, g.cells().size(), "2 label counts x 2 protocols");
        Set<String> cellHashes = g.cells().stream().map(Cell::cellHash).collect(Collectors.toSet());
        assertEquals(4, cellHashes.size());
        assertTrue(g.cells().stream().allMatch(c -> c.group() == g), "every cell evaluates the one pretext run");
        assertTrue(g.cells().get(0).settings().contains("pretext.dataset.name=tiny-rgb"), g.cells().get(0).settings());
        // An evaluation dataset's unlabeled_limit is never read by a pretext on another pool.
        assertEquals(0, g.identityDataset().unlabeledLimit());
    }

    @Test
    void withoutTheKeyTheCanonicalFormAndSoEveryHashIsUnchanged() throws Exception {
        TrainSpec plain = load(HEAD + "methods: [rotation]\n").methods().get(0).pretext();
        assertTrue(plain.dataset().isEmpty());
        String canonical = ConfigHash.canonical(plain);
        assertFalse(canonical.contains("dataset"), canonical);
        TrainSpec sameWithout = new TrainSpec(plain.epochs(), plain.batchSize(), plain.optimizer(), plain.schedule(),
                plain.augment(), plain.augmentViews(), plain.bnMomentum());
        assertEquals(canonical, ConfigHash.canonical(sameWithout));
        assertTrue(ConfigHash.canonical(plain.withDataset(Optional.of(new DatasetRef("tiny-rgb", 0))))
                .contains("\"dataset\":{\"name\":\"tiny-rgb\",\"unlabeledLimit\":0}"));
    }

    @Test
    void unknownNameListsTheAvailableDatasets() {
        SpecException e = refused(HEAD + "methods: [rotation]\npretext:\n  dataset: stl11\n");
        assertEquals(8, e.line());
        assertEquals("pretext.dataset", e.field());
        assertTrue(e.getMessage().contains("tiny-rgb") && e.getMessage().contains("broken"), e.getMessage());
    }

    @Test
    void unreadablePretextDatasetIsRefusedWithItsDescribeError() {
        SpecException e = refused(HEAD + "methods:\n  - name: rotation\n    pretext: {dataset: broken}\n");
        assertEquals(8, e.line());
        assertEquals("methods[0].pretext.dataset", e.field());
        assertTrue(e.getMessage().contains("pretext dataset 'broken' cannot be read: broken-train.bin not found"),
                e.getMessage());
    }

    @Test
    void theEvaluationDatasetItselfHasNoEffectAndIsRefused() {
        SpecException e = refused(HEAD + "methods: [rotation]\npretext: {dataset: tiny}\n");
        assertEquals(7, e.line());
        assertEquals("pretext.dataset", e.field());
        assertTrue(e.getMessage().contains("is an evaluation dataset of this spec") && e.getMessage().contains("no effect"),
                e.getMessage());
    }

    @Test
    void batchSizeIsCappedByThePretextPoolNotTheEvaluationPool() throws Exception {
        // 700 fits tiny's own pool of 1000 ...
        load(HEAD + "methods: [rotation]\npretext: {batch_size: 700}\n");
        // ... but not tiny-rgb's 600, nor 50 after its limit.
        SpecException e = refused(HEAD + "methods: [rotation]\npretext:\n  dataset: tiny-rgb\n  batch_size: 700\n");
        assertEquals(9, e.line());
        assertEquals("pretext.batch_size", e.field());
        assertTrue(e.getMessage().contains("larger than the unlabeled pool of pretext dataset 'tiny-rgb' (at most 600"),
                e.getMessage());
        SpecException limited = refused(HEAD + "methods: [rotation]\npretext:\n  dataset: {name: tiny-rgb, unlabeled_limit: 50}\n"
                + "  batch_size: 64\n");
        assertTrue(limited.getMessage().contains("at most 50 images"), limited.getMessage());
    }

    @Test
    void unlabeledLimitLargerThanOrEqualToThePretextPoolIsRefused() {
        SpecException e = refused(HEAD + "methods: [rotation]\npretext:\n  dataset:\n    name: tiny-rgb\n"
                + "    unlabeled_limit: 601\n");
        assertEquals(10, e.line());
        assertEquals("pretext.dataset.unlabeled_limit", e.field());
        assertTrue(e.getMessage().contains("larger than the 600 unlabeled images of pretext dataset 'tiny-rgb'"),
                e.getMessage());
        SpecException whole = refused(HEAD + "methods: [rotation]\npretext: {dataset: {name: tiny-rgb, unlabeled_limit: 600}}\n");
        assertTrue(whole.getMessage().contains("the whole unlabeled pool") && whole.getMessage().contains("no effect"),
                whole.getMessage());
    }

    @Test
    void evaluationUnlabeledLimitHasNoEffectWhenEveryPretextUsesAnotherPool() throws Exception {
        String limited = HEAD.replace("datasets: [tiny]", "datasets:\n  - {name: tiny, unlabeled_limit: 300}");
        SpecException e = refused(limited + "methods: [rotation]\npretext: {dataset: tiny-rgb}\n");
        assertEquals(3, e.line());
        assertEquals("datasets[0].unlabeled_limit", e.field());
        assertTrue(e.getMessage().contains("takes its pool from its pretext dataset"), e.getMessage());
    }

    @Test
    void protocolBlocksRefuseTheKey() {
        SpecException e = refused(HEAD.replace("linear: {}", "linear: {dataset: tiny-rgb}") + "methods: [rotation]\n");
        assertEquals(5, e.line());
        assertEquals("protocols.linear.dataset", e.field());
    }

    private Path pool(int images) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("big/sub"));
        for (int i = 0; i < images; i++) {
            ImageIO.write(new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB), "png", dir.resolve(i + ".png").toFile());
        }
        Files.writeString(dir.resolve("README.txt"), "not an image");
        return tmp.resolve("big");
    }

    @Test
    void aFolderUsedOnlyAsPretextPoolNeedsNoShapeAndIsScannedOnRead() throws Exception {
        Path big = pool(5);
        Spec spec = load(HEAD + "methods: [rotation]\npretext: {dataset: {name: my-big, folder: {unlabeled: " + big + "}}}\n");
        DatasetRef ref = spec.methods().get(0).pretext().dataset().orElseThrow();
        assertEquals("my-big", ref.name());
        assertTrue(ref.folder().orElseThrow().pool());
        assertFalse(ref.folder().get().content().isEmpty(), "the file list is in the hash");
        Map<?, ?> id = (Map<?, ?>) ref.folder().get().identity();
        assertEquals("pool", id.get("kind"));
        // batch_size is capped by the folder's 5 images.
        SpecException batch = refused(HEAD + "methods: [rotation]\npretext: {batch_size: 6, dataset: {name: my-big,"
                + " folder: {train: " + big + "}}}\n");
        assertTrue(batch.getMessage().contains("at most 5 images"), batch.getMessage());
    }

    @Test
    void aPretextFolderRefusesShapeKeysAndAMissingDirectory() throws Exception {
        Path big = pool(2);
        SpecException size = refused(HEAD + "methods: [rotation]\npretext:\n  dataset:\n    name: my-big\n    folder:\n"
                + "      unlabeled: " + big + "\n      image_size: [8, 8]\n");
        assertEquals(12, size.line());
        assertEquals("pretext.dataset.folder.image_size", size.field());
        assertTrue(size.getMessage().contains("decoded straight to each evaluation dataset's size"), size.getMessage());
        SpecException missing = refused(HEAD + "methods: [rotation]\npretext: {dataset: {name: my-big, folder:"
                + " {unlabeled: " + tmp.resolve("nowhere") + "}}}\n");
        assertEquals(7, missing.line());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        SpecException registered = refused(HEAD + "methods: [rotation]\npretext: {dataset: {name: tiny-rgb, folder:"
                + " {unlabeled: " + big + "}}}\n");
        assertTrue(registered.getMessage().contains("name of a registered dataset"), registered.getMessage());
    }
}
