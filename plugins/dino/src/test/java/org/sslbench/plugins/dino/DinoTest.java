package org.sslbench.plugins.dino;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Tensors;
import org.sslbench.method.Params;
import org.sslbench.testing.MethodSmoke;
import org.sslbench.testing.PretextStep;
import org.sslbench.train.EpochLog;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class DinoTest {
    private static final Map<String, Object> SMALL = Map.of("proj_hidden_dim", 16, "proj_output_dim", 8, "num_prototypes", 16);
    private static final ImageShape SHAPE = new ImageShape(8, 8, 1);

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> p = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    /**
     * Three epochs on the tiny stripes dataset, flip only (as BYOL's smoke test), with the 2 global
     * crops alone and with real multi-crop: 2 local crops of half the side (14 × 14 of the 28 × 28
     * images, fed so: viewShape at build and per step): the loss falls, and neither the embedding
     * nor the teacher's output collapses (its entropy stays between one-hot, 0, and uniform, log 64).
     * The head has BatchNorm (use_bn_in_head, as Lightly's CIFAR-10 DINO): without it this tiny
     * CNN's bottleneck starts collapsed (normalised std ~0.001) on these near-identical images and
     * the teacher drifts to uniform, where the loss rises to log K.
     */
    @Test
    void fewEpochsLowerTheLossWithoutCollapse() {
        for (int locals : new int[] {0, 2}) {
            Map<String, Object> params = Map.of("proj_hidden_dim", 64, "proj_output_dim", 32, "num_prototypes", 64,
                    "base_tau", 0.99, "use_bn_in_head", true, "local_crops", locals);
            List<ImageShape> built = new ArrayList<>();
            List<ImageShape> fed = new ArrayList<>();
            PretextTrainer.Result r = locals == 0 ? MethodSmoke.run(new Dino(), params, Map.of("hflip", true), 3, 32, 1e-3)
                    : MethodSmoke.run(new Dino(), params, List.of(Map.of("hflip", true), Map.of("hflip", true),
                            Map.of("hflip", true, "size", 0.5, "count", locals)), 3, 32, 1e-3, built, fed);
            if (locals > 0) {
                ImageShape global = new ImageShape(28, 28, 1);
                ImageShape local = new ImageShape(14, 14, 1);
                assertEquals(List.of(global, global, local, local), built);
                assertEquals(built, fed);
            }
            double[] loss = MethodSmoke.firstAndLastLoss(r);
            assertTrue(loss[1] < 0.8 * loss[0], locals + " local crops: loss should fall: " + loss[0] + " -> " + loss[1]);
            // healthy is about 1/sqrt(32) = 0.18, collapsed 0
            assertTrue(Double.isFinite(r.finalCollapseStd()) && r.finalCollapseStd() > 0.05, "collapse std " + r.finalCollapseStd());
            List<EpochLog> e = r.epochs();
            double entropy = e.get(e.size() - 1).metrics().get("teacher_entropy");
            assertTrue(entropy > 0.05 && entropy < Math.log(64) - 0.5, locals + " local crops: teacher entropy " + entropy);
        }
    }

    @Test
    void viewsAreTheTwoGlobalCropsPlusTheLocalOnes() {
        Dino dino = new Dino();
        assertEquals(2, dino.views(Params.of(dino, Map.of())));
        assertEquals(8, dino.views(Params.of(dino, Map.of("local_crops", 6))));
        // without local crops: DINO's two global pipelines, cropping from 0.14 (DINO's advice without multi-crop)
        assertEquals(dino.augmentations(), dino.augmentations(Params.of(dino, Map.of())));
        assertEquals(2, dino.augmentations().size());
        assertEquals(0.14, dino.augmentations().get(0).get("crop"));
        assertEquals(1.0, dino.augmentations().get(0).get("blur"));
        assertEquals(0.2, dino.augmentations().get(1).get("solarize"));
        // main_dino.py@04c0ad95: global_crops_scale (0.4, 1), local_crops_scale (0.05, 0.4), 96 of 224 px, blur p 0.5
        List<Map<String, Object>> multiCrop = dino.augmentations(Params.of(dino, Map.of("local_crops", 6)));
        assertEquals(3, multiCrop.size());
        assertEquals(0.4, multiCrop.get(0).get("crop"));
        assertEquals(0.4, multiCrop.get(1).get("crop"));
        Map<String, Object> local = multiCrop.get(2);
        assertEquals(6, local.get("count"));
        assertEquals(0.05, local.get("crop"));
        assertEquals(0.4, local.get("crop_max"));
        assertEquals(0.43, (double) local.get("size"), 1e-12);
        assertEquals(96, Math.round(224 * (double) local.get("size")), "96 px local crops of 224 px images");
        assertEquals(0.5, local.get("blur"));
        assertEquals(0.0, local.get("solarize"));
        assertEquals(0.8, local.get("jitter"));
    }

    /**
     * τ = 1 − (1 − τ₀)(cos(π·progress) + 1)/2 with τ₀ 0.99: 0.99, 0.995, 1 at progress 0, ½, 1; each
     * step leaves the teacher (encoder and head) at τ·old teacher + (1 − τ)·updated student; and the
     * centre at m·old centre + (1 − m)·the mean of that step's teacher outputs over batch and both
     * global crops.
     */
    @Test
    void teacherAndCentreFollowTheirEmas() {
        try (PretextStep s = new PretextStep(new Dino(), with(SMALL, "base_tau", 0.99, "local_crops", 1), SHAPE, 4, 1e-2, 3)) {
            Dino.DinoObjective objective = (Dino.DinoObjective) s.objective();
            double[] progress = {0, 0.5, 1};
            double[] tau = {0.99, 0.995, 1.0};
            for (int i = 0; i < progress.length; i++) {
                assertEquals(tau[i], s.step(progress[i], objective.tau())[0][0], 1e-6, "tau at progress " + progress[i]);
                int checked = s.assertMomentumStep(progress[i], tau[i],
                        Map.of("encoder", Dino.TARGET_ENCODER, Dino.HEAD, Dino.TARGET_HEAD));
                // SmallCnn: 5 kernels + 5 biases; head: 3 kernels + 3 biases + the prototypes' V
                assertEquals(10 + 7, checked);
            }
            float[] before = new float[16];
            for (int k = 0; k < before.length; k++) {
                before[k] = 0.3f * k - 2;
            }
            s.assign(Map.of(Dino.CENTER, before));
            float[][] out = s.step(0.5, objective.teacher().get(0), objective.teacher().get(1));
            float[] after = s.read(v -> v.name().equals(Dino.CENTER)).get(Dino.CENTER);
            for (int k = 0; k < 16; k++) {
                double mean = 0;
                for (int r = 0; r < 4; r++) {
                    mean += out[0][r * 16 + k] + out[1][r * 16 + k];
                }
                mean /= 8;
                assertEquals(0.9 * before[k] + 0.1 * mean, after[k], 1e-5, "centre[" + k + "]");
            }
        }
    }

    /**
     * freeze_last_layer 1: the prototypes get no update during epoch 0 while the rest of the head
     * trains, and do from epoch 1 on; with norm_last_layer false the gain g exists, trains, and is
     * averaged into the teacher too.
     */
    @Test
    void prototypesAreFrozenForTheFirstEpochAndTheGainTrainsWhenAsked() {
        try (PretextStep s = new PretextStep(new Dino(), with(SMALL, "norm_last_layer", false), SHAPE, 4, 1e-2, 5)) {
            String v = Dino.HEAD + Dino.PROTOTYPES + "/fc0/kernel";
            String g = Dino.HEAD + Dino.PROTOTYPES + "/fc0/gain";
            String fc = Dino.HEAD + "/fc2/kernel";
            Map<String, float[]> w0 = s.read(x -> true);
            s.step(0); // epoch 0 (PretextStep: one epoch of one step, so progress 0 is epoch 0, 1 is epoch 1)
            Map<String, float[]> w1 = s.read(x -> true);
            assertArrayEquals(w0.get(v), w1.get(v), "V moved in the frozen epoch");
            assertArrayEquals(w0.get(g), w1.get(g), "g moved in the frozen epoch");
            assertFalse(java.util.Arrays.equals(w0.get(fc), w1.get(fc)), "the rest of the head must train");
            s.step(1);
            Map<String, float[]> w2 = s.read(x -> true);
            assertFalse(java.util.Arrays.equals(w1.get(v), w2.get(v)), "V must train after the frozen epoch");
            assertFalse(java.util.Arrays.equals(w1.get(g), w2.get(g)), "g must train when norm_last_layer is false");
            assertEquals(10 + 8, s.assertMomentumStep(1, 1.0, Map.of("encoder", Dino.TARGET_ENCODER, Dino.HEAD, Dino.TARGET_HEAD)));
        }
    }

    /** Epoch index from the trainer's float32 progress = step / (stepsPerEpoch·epochs), at every step of 3 epochs of 7. */
    @Test
    void epochIndexIsExactAtEveryStep() {
        float[] progress = new float[21];
        for (int step = 0; step < 21; step++) {
            progress[step] = (float) step / 21;
        }
        float[] e = eval((tf, p) -> Dino.epochIndex(tf, p, 3, 7), progress);
        for (int step = 0; step < 21; step++) {
            assertEquals(step / 7, e[step], 0, "step " + step);
        }
    }

    /**
     * np.linspace(0.04, 0.07, W) per epoch, then 0.07 (main_dino.py DINOLoss.teacher_temp_schedule):
     * W = 3: 0.04, 0.055, 0.07, 0.07; W = 1: 0.04 then 0.07; W = 0: 0.07 throughout.
     */
    @Test
    void teacherTemperatureWarmsUpPerEpochAsDino() {
        double[][] expected = {{0.07, 0.07, 0.07, 0.07}, {0.04, 0.07, 0.07, 0.07}, {0.04, 0.055, 0.07, 0.07}};
        for (int w = 0; w <= 2; w++) {
            int warmup = w == 2 ? 3 : w;
            float[] t = eval((tf, e) -> Dino.teacherTemperature(tf, e, 0.04, 0.07, warmup), 0, 1, 2, 3);
            for (int epoch = 0; epoch < 4; epoch++) {
                assertEquals(expected[w][epoch], t[epoch], 1e-6, "W " + warmup + " epoch " + epoch);
            }
        }
    }

    /** f at each input, in one graph (a scalar placeholder fed once per input). */
    private static float[] eval(BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f, float... inputs) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            Operand<TFloat32> out = f.apply(tf, in);
            float[] values = new float[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                try (TFloat32 x = TFloat32.scalarOf(inputs[i]); var r = s.runner().feed(in, x).fetch(out).run()) {
                    values[i] = Tensors.toFloats((TFloat32) r.get(0))[0];
                }
            }
            return values;
        }
    }
}
