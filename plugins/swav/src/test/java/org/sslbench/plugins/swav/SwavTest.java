package org.sslbench.plugins.swav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.method.Params;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.testing.PretextStep;
import org.sslbench.train.Augmenter;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class SwavTest {
    private static final int K = 64;

    private static Map<String, Object> small(Object... extra) {
        Map<String, Object> p = new HashMap<>(Map.of("proj_hidden_dim", 64, "proj_output_dim", 16, "num_prototypes", K,
                "freeze_prototypes_epochs", 1));
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    /**
     * 160 tiny images, batch 32, 5 steps per epoch, prototypes frozen in epoch 0. K = 64 prototypes
     * for 16-dim projections: with K below the dimension the projections can turn orthogonal to every
     * prototype, and the loss settles at ln K (uniform codes and predictions; measured with K 16,
     * dim 32), which real SwAV (K 3000, dim 128) cannot. Measured with two crops: 6.02 in epoch 0,
     * 4.24 in epoch 5 (ln 64 = 4.16).
     */
    private static PretextTrainer.Result smoke(Map<String, Object> params) {
        return check(MethodSmoke.run(new Swav(), params, Map.of("crop", 0.5, "hflip", true), 6, 32, 1e-2));
    }

    private static PretextTrainer.Result check(PretextTrainer.Result r) {
        double[] loss = MethodSmoke.firstAndLastLoss(r);
        assertTrue(loss[1] < loss[0] * 0.85, "loss should fall: " + loss[0] + " -> " + loss[1]);
        assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0, "collapse std " + r.finalCollapseStd());
        assertEquals(1.0, r.epochs().get(0).metrics().get("prototypes_frozen"), "epoch 0 is frozen");
        assertEquals(0.0, r.epochs().get(1).metrics().get("prototypes_frozen"), "epoch 1 trains the prototypes");
        return r;
    }

    @Test
    void fewEpochsLowerTheLossWithTwoCrops() {
        smoke(small());
    }

    /**
     * Real multi-crop: 2 global crops of the 28 × 28 images and 2 local crops of half the side
     * (14 × 14, area 0.05 to 0.5), fed at that size (viewShape at build and per step).
     */
    @Test
    void fewEpochsLowerTheLossWithTwoLocalCrops() {
        List<ImageShape> built = new ArrayList<>();
        List<ImageShape> fed = new ArrayList<>();
        Map<String, Object> global = Map.of("crop", 0.5, "hflip", true);
        check(MethodSmoke.run(new Swav(), small("local_crops", 2), List.of(global, global,
                Map.of("crop", 0.05, "crop_max", 0.5, "hflip", true, "size", 0.5, "count", 2)), 6, 32, 1e-2, built, fed));
        ImageShape full = new ImageShape(28, 28, 1);
        ImageShape local = new ImageShape(14, 14, 1);
        assertEquals(List.of(full, full, local, local), built);
        assertEquals(built, fed);
    }

    /**
     * swav_800ep_pretrain.sh@04b8f431: --size_crops 224 96 --min_scale_crops 0.14 0.05
     * --max_scale_crops 1. 0.14; multicropdataset.py@04b8f431: jitter 0.8/0.8/0.8/0.2 p 0.8,
     * grayscale 0.2, blur p 0.5 on every crop. Without local crops, the 2-crop default is unchanged.
     */
    @Test
    void localCropsTakeSwavsMultiCropPipelines() {
        Swav m = new Swav();
        assertEquals(m.augmentations(), m.augmentations(Params.of(m, Map.of())));
        List<Map<String, Object>> multi = m.augmentations(Params.of(m, Map.of("local_crops", 6)));
        assertEquals(3, multi.size());
        for (int g = 0; g < 2; g++) {
            assertEquals(0.14, multi.get(g).get("crop"));
            assertEquals(null, multi.get(g).get("size"));
            assertEquals(0.8, multi.get(g).get("brightness"));
            assertEquals(0.5, multi.get(g).get("blur"));
        }
        Map<String, Object> local = multi.get(2);
        assertEquals(6, local.get("count"));
        assertEquals(0.05, local.get("crop"));
        assertEquals(0.14, local.get("crop_max"));
        assertEquals(0.43, (double) local.get("size"), 1e-12);
        assertEquals(96, Math.round(224 * (double) local.get("size")), "96 px local crops of 224 px images");
        assertEquals(0.2, local.get("hue"));
        multi.forEach(view -> assertTrue(Augmenter.KNOWN.keySet().containsAll(view.keySet()), view.keySet().toString()));
    }

    /** Queue of 64 from epoch 1: full after 2 pushes of 32, so every step from epoch 1 uses it, none before. */
    @Test
    void fewEpochsLowerTheLossWithTheQueue() {
        PretextTrainer.Result r = smoke(small("queue_size", 64, "epoch_queue_starts", 1));
        assertEquals(0.0, r.epochs().get(0).metrics().get("queue_in_use"));
        assertEquals(1.0, r.epochs().get(r.epochs().size() - 1).metrics().get("queue_in_use"));
    }

    @Test
    void declaresTwoPlusLocalCropsViewsAndKnownAugmentations() {
        Swav m = new Swav();
        assertEquals(2, m.views(Params.of(m, Map.of())));
        assertEquals(8, m.views(Params.of(m, Map.of("local_crops", 6))));
        Params p = Params.of(m, Map.of());
        assertEquals(0.05, p.getDouble("sinkhorn_epsilon"));
        assertEquals(3, p.getInt("sinkhorn_iterations"));
        assertEquals(0, p.getInt("queue_size"));
        m.augmentations().forEach(view -> assertTrue(Augmenter.KNOWN.keySet().containsAll(view.keySet()), view.keySet().toString()));
    }

    /** Swav's queue rule: in use from epoch_queue_starts once step × batch pushed rows fill it. */
    @Test
    void theQueueIsUsedFromItsEpochOnceFull() {
        try (PretextStep s = new PretextStep(new Swav(), small("queue_size", 10, "epoch_queue_starts", 2,
                "proj_hidden_dim", 8, "proj_output_dim", 4), new ImageShape(8, 8, 1), 4, 1e-2, 3)) {
            Swav.SwavObjective o = (Swav.SwavObjective) s.objective();
            assertFalse(o.queueInUse(2, 1), "epoch 1 < 2");
            assertFalse(o.queueInUse(2, 2), "8 rows pushed < 10");
            assertTrue(o.queueInUse(3, 2), "12 rows pushed >= 10");
            assertTrue(o.queueInUse(3, 5));
        }
    }

    private static float[] prototypes(PretextStep s) {
        return s.read(v -> v.name().equals(Swav.PROTOTYPES)).get(Swav.PROTOTYPES);
    }

    private static double[] columnNorms(float[] w, int dim, int k) {
        double[] n = new double[k];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < k; c++) {
                n[c] += w[r * k + c] * w[r * k + c];
            }
        }
        for (int c = 0; c < k; c++) {
            n[c] = Math.sqrt(n[c]);
        }
        return n;
    }

    /**
     * PretextStep runs one step per epoch: step 1 is epoch 0 (frozen: prototypes bit-identical),
     * step 2 epoch 1 (they move). With normalisation every prototype is a unit vector after each
     * step; without it the trained prototypes leave the sphere.
     */
    @Test
    void prototypesAreFrozenFirstAndNormalisedAfterEveryStep() {
        int dim = 4;
        for (boolean normalize : new boolean[] {true, false}) {
            try (PretextStep s = new PretextStep(new Swav(), small("normalize_prototypes", normalize, "proj_hidden_dim", 8,
                    "proj_output_dim", dim, "freeze_prototypes_epochs", 1), new ImageShape(8, 8, 1), 4, 5e-2, 3)) {
                float[] start = prototypes(s);
                for (double n : columnNorms(start, dim, K)) {
                    assertEquals(1.0, n, 1e-5, "prototypes start as unit vectors");
                }
                s.step(0);
                assertArrayEquals(start, prototypes(s), normalize ? 1e-6f : 0f, "epoch 0: frozen (up to the renormalisation's rounding)");
                s.step(0.5);
                float[] trained = prototypes(s);
                assertFalse(Arrays.equals(start, trained), "epoch 1: trained");
                double worst = 0;
                for (double n : columnNorms(trained, dim, K)) {
                    worst = Math.max(worst, Math.abs(n - 1));
                }
                if (normalize) {
                    assertTrue(worst < 1e-5, "unit prototypes after the step: " + worst);
                } else {
                    assertTrue(worst > 1e-4, "without normalisation the update leaves the sphere: " + worst);
                }
            }
        }
    }

    /**
     * One step with the queue: the codes are distributions over the prototypes; afterwards each
     * global crop's queue starts with that step's normalised projections of that crop.
     */
    @Test
    void aStepPushesEachGlobalCropsProjectionsIntoItsQueue() {
        int dim = 4;
        int batch = 4;
        try (PretextStep s = new PretextStep(new Swav(), small("queue_size", 6, "proj_hidden_dim", 8, "proj_output_dim", dim),
                new ImageShape(8, 8, 1), batch, 1e-2, 5)) {
            Swav.SwavObjective o = (Swav.SwavObjective) s.objective();
            List<Operand<TFloat32>> codes = o.codes();
            float[][] out = s.step(0, o.embedding(), codes.get(0), codes.get(1));
            for (int c = 1; c <= 2; c++) {
                for (int i = 0; i < batch; i++) {
                    double sum = 0;
                    for (int j = 0; j < K; j++) {
                        sum += out[c][i * K + j];
                    }
                    assertEquals(1.0, sum, 1e-4, "code row " + i + " of crop " + (c - 1));
                }
            }
            float[] queue0 = s.read(v -> v.name().equals("swav_queue_0")).get("swav_queue_0");
            assertArrayEquals(out[0], Arrays.copyOfRange(queue0, 0, batch * dim), 1e-6f, "newest rows = crop 0's z");
            assertEquals(2, o.queues().size());
        }
    }
}
