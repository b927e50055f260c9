package org.sslbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Net;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.train.PretextTrainer;
import org.sslbench.train.TrainingContext;

/**
 * The heads a method lists ({@link Method#heads}, what {@code make list} shows) are exactly what its
 * build() trains (issue 15): for every built-in pretraining method, the graph's trainable variables
 * outside the encoder and its frozen target copies are those of the listed heads, names and shapes,
 * chained from the encoder's feature dim, at the default params and at other widths.
 */
class MethodHeadsTest {
    /** Built-in methods with projection / prediction heads; rotation trains a linear rotation classifier instead. */
    private static final List<String> WITH_HEADS = List.of("simclr", "moco", "byol", "simsiam", "barlow", "vicreg", "nnclr",
            "dino", "swav");

    private static Map<String, Method> builtIn() {
        Map<String, Method> out = new TreeMap<>();
        ServiceLoader.load(Method.class).forEach(m -> out.put(m.name(), m));
        return out;
    }

    /** Every {@code *_dim} param set to a distinct small width, so a head that ignores one is seen. */
    private static Map<String, Object> otherWidths(Method m) {
        Map<String, Object> out = new HashMap<>();
        int width = 6;
        for (Param p : m.params()) {
            if (p.name().endsWith("_dim")) {
                out.put(p.name(), width);
                width += 4;
            }
        }
        return out;
    }

    @Test
    void theListedHeadsAreTheVariablesBuildTrains() {
        Map<String, Method> methods = builtIn();
        assertTrue(methods.keySet().containsAll(WITH_HEADS), methods.keySet().toString());
        for (Method m : methods.values()) {
            Params defaults = Params.of(m, Map.of());
            if (m.views(defaults) == 0) {
                assertEquals(List.of(), m.heads(defaults), m.name() + " has no pretext, so no head");
                continue;
            }
            assertEquals(WITH_HEADS.contains(m.name()), !m.heads(defaults).isEmpty(), m.name());
            for (Map<String, Object> overrides : List.of(Map.<String, Object>of(), otherWidths(m))) {
                Params params = Params.of(m, overrides);
                Map<String, List<Long>> trained = new TreeMap<>();
                int featureDim = build(m, params, trained);
                List<Head> heads = m.heads(params);
                Map<String, List<Long>> listed = new TreeMap<>();
                int in = featureDim;
                for (Head h : heads) {
                    h.variables(in).forEach((name, shape) -> listed.put(name, boxed(shape)));
                    in = h.outDim();
                }
                if (heads.isEmpty()) {
                    // rotation: its 4-way classifier is the pretext task's output, not a listed head
                    assertEquals(List.of("rotation_head/bias", "rotation_head/kernel"), new ArrayList<>(trained.keySet()),
                            m.name());
                } else {
                    assertFalse(listed.isEmpty());
                    assertEquals(listed.keySet(), trained.keySet(), m.name() + " " + overrides);
                    listed.forEach((name, shape) -> assertEquals(shape, trained.get(name), m.name() + " " + name));
                }
            }
        }
    }

    @Test
    void aHeadDescribesItsShapeAsListShowsIt() {
        Head h = Head.of("projector", new Head.Block(2048, true, true), new Head.Block(128, false, false));
        assertEquals("512 → 2048 (BN, ReLU) → 128", h.describe(512));
        assertEquals("64 → 8 (BN)", Head.mlp("p", 8, 8, 0, true).describe(64));
        assertEquals(List.of("projector/fc0/kernel", "projector/bn0/gamma", "projector/bn0/beta", "projector/bn0/moving_mean",
                "projector/bn0/moving_variance", "projector/fc1/kernel", "projector/fc1/bias"),
                new ArrayList<>(h.variables(512).keySet()));
        assertEquals(List.of(512L, 2048L), boxed(h.variables(512).get("projector/fc0/kernel")));
        // DINO's blocks: GELU, an L2-normalised bottleneck, a weight-normalised bias-free prototype layer
        Head mlp = Head.of("dino_head", new Head.Block(2048, false, false).with(Head.Activation.GELU),
                new Head.Block(256, false, false).l2Normalized());
        assertEquals("512 → 2048 (GELU) → 256 (L2-norm)", mlp.describe(512));
        Head prototypes = Head.of("p", new Head.Block(4096, false, false).withoutBias().weightNormalized(true));
        assertEquals("256 → 4096 (weight-norm, trained gain, no bias)", prototypes.describe(256));
        assertEquals(List.of("p/fc0/kernel", "p/fc0/gain"), new ArrayList<>(prototypes.variables(256).keySet()));
        assertEquals(List.of(1L, 4096L), boxed(prototypes.variables(256).get("p/fc0/gain")));
        assertEquals("8 → 4 (bias, BN)", Head.of("b", new Head.Block(4, true, Head.Activation.NONE, true, false,
                Head.WeightNorm.NONE)).describe(8));
    }

    @Test
    void listShowsDinoAndSwavHeads() {
        CliRun dino = CliRun.of("list", "--method", "dino");
        assertEquals(Main.OK, dino.code(), dino.err());
        // preset none: 2048-wide GELU MLP, 256 bottleneck, 4096 unit-norm prototypes
        assertTrue(dino.out().contains("dino_head: 512 → 2048 (GELU) → 2048 (GELU) → 256 (L2-norm) (resnet18)"), dino.out());
        assertTrue(dino.out().contains("dino_head/prototypes: 256 → 4096 (weight-norm, no bias)"), dino.out());
        // the small preset's head has BatchNorm
        assertTrue(dino.out().contains("dino_head: 512 → 2048 (BN, GELU) → 2048 (BN, GELU) → 256 (L2-norm) (resnet18)"), dino.out());
        CliRun swav = CliRun.of("list", "--method", "swav");
        assertEquals(Main.OK, swav.code(), swav.err());
        assertTrue(swav.out().contains("projector: 512 → 512 (BN, ReLU) → 128 (L2-norm) (resnet18)"), swav.out());
        assertTrue(swav.out().contains("prototypes: 128 → 512 (no bias)"), swav.out());
        assertTrue(swav.out().contains("prototypes: 128 → 3000 (no bias)"), swav.out());
    }

    @Test
    void listShowsEachViewsPipelineAndTheHeadsShapePerBackbone() {
        CliRun r = CliRun.of("list", "--method", "byol");
        assertEquals(Main.OK, r.code(), r.err());
        String out = r.out();
        // preset none: BYOL's own asymmetric pair (Byol.augmentations) with every other key off
        assertTrue(out.contains("augmentation per view (preset: none; keys left out are off):"), out);
        assertTrue(out.contains("view 1: crop 0.2, hflip, jitter 0.8 (brightness 0.4, contrast 0.4, saturation 0.2, hue 0.1),"
                + " grayscale 0.2, blur 1.0\n"), out);
        assertTrue(out.contains("view 2: crop 0.2, hflip, jitter 0.8 (brightness 0.4, contrast 0.4, saturation 0.2, hue 0.1),"
                + " grayscale 0.2, blur 0.1, solarize 0.2\n"), out);
        assertTrue(out.contains("projector: 512 → 1024 (BN, ReLU) → 256 (resnet18)"), out);
        assertTrue(out.contains("projector: 64 → 1024 (BN, ReLU) → 256 (resnet20)"), out);
        assertTrue(out.contains("predictor: 256 → 1024 (BN, ReLU) → 256\n"), out);
        // the small preset (solo-learn's CIFAR pair, no blur) and its 4096-wide heads
        assertTrue(out.contains("view 2: crop 0.08, hflip, jitter 0.8 (brightness 0.4, contrast 0.4, saturation 0.2,"
                + " hue 0.1), grayscale 0.2, solarize 0.2\n"), out);
        assertTrue(out.contains("projector: 512 → 4096 (BN, ReLU) → 256 (resnet18)"), out);
        // the imagenet preset's predictor is 8192 wide
        assertTrue(out.contains("predictor: 256 → 8192 (BN, ReLU) → 256\n"), out);
    }

    @Test
    void aMistypedMethodGetsTheNearestName() {
        CliRun r = CliRun.of("list", "--method", "simclrr");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("unknown method 'simclrr'; did you mean 'simclr'? allowed: "), r.err());
        assertTrue(r.err().contains("byol"), r.err());
    }

    /**
     * Builds {@code m}'s pretext graph on small-cnn and puts every variable it trains, other than the
     * encoder's, into {@code trained} (BatchNorm statistics included, under a trained head's scope).
     *
     * @return the encoder's feature dim
     */
    private static int build(Method m, Params params, Map<String, List<Long>> trained) {
        try (Net net = new Net()) {
            TrainingContext ctx = new TrainingContext(net, new SmallCnn(), new ImageShape(16, 16, 3), params,
                    m.views(params), 8, 1, 1, 0);
            m.build(ctx);
            String encoder = PretextTrainer.ENCODER_SCOPE + "/";
            List<String> headScopes = new ArrayList<>();
            for (Net.Var v : net.vars(v -> v.role().trainable && !ctx.isFrozen(v.name()) && !v.name().startsWith(encoder))) {
                headScopes.add(v.name().substring(0, v.name().indexOf('/') + 1));
            }
            for (Net.Var v : net.vars(v -> headScopes.stream().anyMatch(s -> v.name().startsWith(s)))) {
                trained.put(v.name(), boxed(v.shape()));
            }
            return ctx.encoder().featureDim();
        }
    }

    private static List<Long> boxed(long[] shape) {
        List<Long> out = new ArrayList<>();
        for (long d : shape) {
            out.add(d);
        }
        return out;
    }
}
