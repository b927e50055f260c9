package org.sslbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sslbench.testing.FakeCatalog;

/** One bad spec per file under specs/bad/: each must fail with the exact line, field and reason. */
class SpecValidationTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed.yaml                        | 3  |                                  | malformed YAML: while parsing a block mapping: expected <block end>
            tag-script-engine.yaml                | 5  | methods[0]                       | tag not allowed: tag:yaml.org,2002:javax.script.ScriptEngineManager
            tag-file.yaml                         | 8  | data.dir                         | tag not allowed: tag:yaml.org,2002:java.io.File
            unlabeled-limit-too-large.yaml        | 4  | datasets[1]                      | unlabeled_limit 100000 is larger than the 600 unlabeled images
            recursive-alias.yaml                  | 7  | pretext.augment                  | recursive alias not allowed
            empty.yaml                            | 0  |                                  | the spec is empty
            not-a-map.yaml                        | 1  |                                  | expected map, got list
            unknown-top-key.yaml                  | 6  | protocol                         | unknown key 'protocol'; did you mean 'protocols'? allowed: backbone, backbones, data,
            duplicate-key.yaml                    | 9  | pretext.epochs                   | duplicate key 'epochs' (first at line 8)
            missing-name.yaml                     | 1  | name                             | required key 'name' is missing
            bad-name.yaml                         | 1  | name                             | 'My Bench' is not a valid name
            missing-datasets.yaml                 | 1  | datasets                         | required key 'datasets' is missing
            empty-datasets.yaml                   | 2  | datasets                         | must not be empty
            unknown-dataset.yaml                  | 4  | datasets[1]                      | unknown dataset 'tinny-rgb'; did you mean 'tiny-rgb'? allowed: broken, tiny, tiny-rgb
            duplicate-dataset.yaml                | 4  | datasets[1]                      | duplicate dataset 'tiny' (first at line 3)
            dataset-unreadable.yaml               | 4  | datasets[1]                      | dataset 'broken' cannot be read: broken-train.bin not found
            negative-unlabeled-limit.yaml         | 3  | datasets[0].unlabeled_limit      | must be >= 0, got -5
            backbone-and-backbones.yaml           | 4  | backbones                        | give either backbone or backbones, not both
            no-backbone.yaml                      | 1  | backbone                         | required key 'backbone' (or 'backbones') is missing
            unknown-backbone.yaml                 | 5  | backbones[1]                     | unknown backbone 'resnet18'; did you mean 'resnet20'? allowed: resnet20, small-cnn
            unknown-method.yaml                   | 6  | methods[1]                       | unknown method 'simclr'; allowed: rotation, supervised
            duplicate-method.yaml                 | 7  | methods[2]                       | duplicate method 'rotation' (first at line 5)
            unknown-param.yaml                    | 8  | methods[1].params.all_fuor       | unknown rotation param 'all_fuor'; did you mean 'all_four'? allowed: all_four
            param-wrong-type.yaml                 | 7  | methods[0].params.all_four       | expected boolean, got string 'yes please'
            pretext-on-supervised.yaml            | 6  | methods[0].pretext               | method 'supervised' has no pretext run
            wrong-type-epochs.yaml                | 8  | pretext.epochs                   | expected integer, got string 'ten'
            batch-negative.yaml                   | 8  | pretext.batch_size               | must be > 0, got -1
            epochs-zero.yaml                      | 9  | protocols.linear.epochs          | must be > 0, got 0
            lr-above-max.yaml                     | 8  | protocols.finetune.optimizer.lr  | must be in (0, 10], got 1.0E38 (learning rate; published recipes use at most about 5
            weight-decay-above-one.yaml           | 8  | protocols.linear.optimizer.weight_decay | must be in [0, 1], got 2 (weight decay coefficient
            momentum-one.yaml                     | 7  | pretext.optimizer.momentum       | must be in [0, 1), got 1 (SGD momentum; 1 would never forget a gradient)
            lr-zero.yaml                          | 8  | methods[0].pretext.optimizer.lr  | must be in (0, 10], got 0 (learning rate
            unknown-optimizer.yaml                | 8  | pretext.optimizer.name           | unknown optimizer 'adan'; did you mean 'adam'? allowed: adam, adamw, lars, sgd
            unknown-schedule.yaml                 | 9  | protocols.finetune.schedule.name | unknown schedule 'cosin'; did you mean 'cosine'? allowed: constant, cosine, fixmatch_cosine, step
            step-without-milestones.yaml          | 9  | pretext.schedule.milestones      | schedule 'step' needs milestones
            milestones-not-ascending.yaml         | 12 | pretext.schedule.milestones[1]   | milestones must be strictly ascending: 40 after 80
            milestones-factors-length.yaml        | 11 | pretext.schedule.factors         | one factor per milestone: 2 milestones, 1 factors
            milestones-on-cosine.yaml             | 10 | pretext.schedule.milestones      | only schedule 'step' takes milestones
            unknown-augmentation.yaml             | 9  | pretext.augment.hflp             | unknown augmentation 'hflp'; did you mean 'hflip'? allowed: hflip, shift
            augmentation-wrong-type.yaml          | 8  | protocols.finetune.augment.hflip | expected boolean, got number 0.5
            unknown-protocol.yaml                 | 8  | protocols.knnn                   | unknown protocol 'knnn'; did you mean 'knn'? allowed: finetune, fixmatch, knn, linear, supcon
            no-protocol.yaml                      | 6  | protocols                        | name at least one protocol: finetune, fixmatch, knn, linear, supcon
            k-zero.yaml                           | 8  | protocols.knn.k                  | must be > 0, got 0
            temperature-zero.yaml                 | 9  | protocols.knn.temperature        | must be > 0, got 0
            unknown-normalize.yaml                | 8  | preprocess.normalize             | unknown normalize 'zscore'; allowed: none, pixel_mean, standardize
            duplicate-seeds.yaml                  | 10 | seeds[2]                         | duplicate seed '0' (first at line 8)
            negative-seed.yaml                    | 7  | seeds[0]                         | must be >= 0, got -1
            labels-not-divisible.yaml             | 7  | labels[1]                        | 255 labels is not divisible by 10 classes of dataset 'tiny'; use a multiple of 10, e.g. 250 or 260
            labels-too-many.yaml                  | 7  | labels[1]                        | 400 labels needs 40 per class but dataset 'tiny-rgb' has only 30 labelled images in its smallest class ('class0'); use at most 300
            labels-zero.yaml                      | 5  | labels[0]                        | must be > 0, got 0
            labels-fraction-resolves-to-zero.yaml | 6  | labels.fractions[1]              | fraction 0.01 (0 labels) resolves to no labels on dataset 'tiny' (500 labelled images, 10 classes); use a larger value, at least fraction 0.02 (10 labels, 1 per class)
            labels-fraction-above-one.yaml        | 6  | labels.fractions[0]              | must be in (0, 1], got 1.5
            labels-per-class-too-many.yaml        | 6  | labels.per_class[1]              | per_class 60 (600 labels) needs 60 per class but dataset 'tiny' has only 50 labelled images in its smallest class ('class0'); use at most 50 per class
            labels-scalar.yaml                    | 5  | labels                           | expected a list of label counts, {per_class: [...]} or {fractions: [...]}, got integer 100
            labels-both-kinds.yaml                | 6  | labels                           | give exactly one of counts, per_class or fractions
            labels-duplicate.yaml                 | 5  | labels[2]                        | duplicate label value '100' (first at line 5)
            plugins-dir-missing.yaml              | 8  | plugins.dir                      | does not exist
            linear-augment.yaml                   | 9  | protocols.linear.augment         | the linear probe trains on frozen features computed once without augmentation, so augment would have no effect; remove it (to train with augmented images, use the finetune protocol)
            adam-momentum.yaml                    | 9  | pretext.optimizer.momentum       | momentum applies only to optimizers 'sgd' and 'lars' and would have no effect on 'adam'; remove it, or write name: sgd
            adam-eta.yaml                         | 9  | pretext.optimizer.eta            | eta applies only to optimizer 'lars' and would have no effect on 'adam'; remove it, or write name: lars
            sgd-clip-lr.yaml                      | 7  | pretext.optimizer.clip_lr        | clip_lr applies only to optimizer 'lars' and would have no effect on 'sgd'
            sgd-beta2.yaml                        | 8  | pretext.optimizer.beta2          | beta2 applies only to optimizer 'adamw' and would have no effect on 'sgd'; remove it, or write name: adamw
            adamw-momentum.yaml                   | 9  | pretext.optimizer.momentum       | momentum applies only to optimizers 'sgd' and 'lars' and would have no effect on 'adamw'; remove it, or write name: sgd (AdamW's momentum is beta1)
            adamw-beta1-one.yaml                  | 7  | pretext.optimizer.beta1          | must be in [0, 1), got 1 (AdamW first-moment decay
            adamw-epsilon-zero.yaml               | 7  | pretext.optimizer.epsilon        | must be in (0, 1], got 0 (AdamW term added
            lars-eta-above-one.yaml               | 7  | pretext.optimizer.eta            | must be in (0, 1], got 2 (LARS trust coefficient: before momentum a step moves a variable by at most lr*eta times its own norm
            sgd-exclude-bias-bn-without-decay.yaml | 11 | protocols.finetune.optimizer.exclude_bias_bn | exclude_bias_bn: false has no effect on 'sgd' with weight_decay 0 (it only extends weight decay to biases and BatchNorm); give a weight_decay > 0 or drop exclude_bias_bn
            adam-nesterov.yaml                    | 8  | protocols.finetune.optimizer.nesterov | nesterov applies only to optimizers 'sgd' and 'lars' and would have no effect on 'adam'
            nesterov-without-momentum.yaml        | 7  | pretext.optimizer.nesterov       | nesterov: true has no effect with momentum 0 (it is plain SGD); give a momentum > 0
            milestone-never-reached.yaml          | 10 | pretext.schedule.milestones[1]   | milestone 80 is never reached in 10 epochs (factor 0.01 would apply from 0-based epoch 80 on), so it has no effect; use milestones below 10 or train for more epochs
            eval-every-not-below-epochs.yaml      | 9  | protocols.finetune.eval_every    | eval_every 5 with 5 epochs scores only the final epoch, as eval_every 0 (the default) does, so it has no effect; use a value below 5 or remove it
            uneven-without-effect.yaml            | 7  | labels.uneven                    | uneven: true has no effect: every label count is a multiple of the class count on every dataset
            uneven-with-folds-only.yaml           | 5  | labels.uneven                    | with folds only it has no effect: remove it
            pretext-without-pretraining.yaml      | 7  | pretext                          | this block has no effect: no method of this spec has a pretext run (supervised trains from scratch); remove it or add a pretraining method
            unlabeled-limit-without-pretraining.yaml | 3 | datasets[0].unlabeled_limit    | unlabeled_limit has no effect: no method of this spec has a pretext run
            unlabeled-limit-whole-pool.yaml       | 4  | datasets[1]                      | unlabeled_limit 1000 is the whole unlabeled pool of dataset 'tiny', so it has no effect; remove it (0, the default, means all)
            knn-k-above-label-counts.yaml         | 8  | protocols.knn.k                  | k 250 is larger than every label count of this spec (at most 200 labelled images per cell), where it acts as that count, so the value written has no effect; use at most 200
            batch-above-label-counts.yaml         | 7  | protocols.linear.batch_size      | batch_size 256 is larger than every label count of this spec
            pretext-batch-above-pool.yaml         | 6  | pretext.batch_size               | batch_size 512 is larger than the unlabeled pool of every dataset of this spec (at most 300 images, after unlabeled_limit), where it acts as the pool size, so the value written has no effect; use at most 300
            method-pretext-batch-above-pool.yaml  | 6  | methods[0].pretext.batch_size    | batch_size 400 is larger than the unlabeled pool of every dataset of this spec (at most 300 images
            knn-temperature-with-k1.yaml          | 7  | protocols.knn.temperature        | temperature has no effect with k 1 (a single neighbour's vote wins whatever its weight); remove it, or use k > 1
            augment-negative.yaml                 | 7  | pretext.augment.shift            | must be in [0, 1], got -0.1 (largest translation as a fraction of the image size; 0 = no shift)
            selection-unknown.yaml                | 7  | selection                        | unknown selection 'validated'
            selection-protocol-unknown.yaml       | 8  | protocols.knn.selection          | unknown selection 'cv'
            selection-labelled-eval-every.yaml    | 9  | protocols.finetune.eval_every    | eval_every has no effect with selection: labelled (the default): the fine-tune epoch is chosen on a held-out part of the labelled subset
            """)
    void badSpecFailsAtItsLine(String file, int line, String field, String message) throws Exception {
        Path path = bad(file);
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(path, CATALOG, Overrides.NONE));
        assertEquals(path.toString(), e.file(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field == null ? "" : field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
    }

    @Test
    void noSuggestionWhenNothingIsClose() throws Exception {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load(bad("unknown-key-far.yaml"), CATALOG, Overrides.NONE));
        assertEquals(8, e.line());
        assertEquals("pretext.zzzzzz", e.field());
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: augment, augment_views, batch_size, bn_momentum, dataset, epochs, monitor_every, monitor_labels, monitor_queries, monitor_stop, optimizer, precision, schedule"), e.getMessage());
    }

    @Test
    void pluginsDirThatIsAFileIsRefused(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("plugins.jar"), "not a directory");
        String yaml = SpecLoaderTest.MINIMAL + "plugins:\n  dir: " + file + "\n";
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("t.yaml", yaml, CATALOG, null));
        assertEquals(10, e.line());
        assertEquals("plugins.dir", e.field());
        assertTrue(e.getMessage().endsWith(file + " is not a directory"), e.getMessage());
    }

    @Test
    void missingPluginsDirFromTheCommandLineHasNoLine(@TempDir Path tmp) {
        Overrides cli = new Overrides(null, null, tmp.resolve("absent"));
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.load("t.yaml", SpecLoaderTest.MINIMAL, CATALOG, cli));
        assertEquals(0, e.line());
        assertEquals("plugins.dir", e.field());
        assertTrue(e.getMessage().contains("absent does not exist"), e.getMessage());
    }

    @Test
    void overrideReplacesABadPluginsDirOfTheSpec(@TempDir Path tmp) throws Exception {
        Overrides cli = new Overrides(null, null, tmp);
        Spec spec = SpecLoader.load(bad("plugins-dir-missing.yaml"), CATALOG, cli);
        assertEquals(tmp.toAbsolutePath(), spec.pluginsDir());
    }

    @Test
    void unreadableFileIsASpecException(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.yaml");
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(missing, CATALOG, Overrides.NONE));
        assertEquals(missing.toString(), e.file());
        assertEquals(0, e.line());
    }

    static Path bad(String file) throws URISyntaxException {
        return Path.of(SpecValidationTest.class.getResource("/specs/bad/" + file).toURI());
    }
}
