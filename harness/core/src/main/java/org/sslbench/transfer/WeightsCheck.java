package org.sslbench.transfer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.train.PretextTrainer;

/**
 * Whether encoder weights fit a backbone: the variables {@code backbone} creates for images of a
 * shape (under {@link PretextTrainer#ENCODER_SCOPE}) against the ones a weights file holds. Only
 * the graph is built (no session, no values), so the check is cheap enough for spec validation.
 */
public final class WeightsCheck {
    private WeightsCheck() {
    }

    /**
     * Variable name → shape of {@code backbone} instantiated for {@code shape}, in creation order.
     *
     * @throws IllegalStateException when the backbone creates no variable (nothing could be checked)
     */
    public static Map<String, long[]> expected(Backbone backbone, ImageShape shape) {
        try (Net net = new Net()) {
            // Backbones create their variables when first applied, not in create().
            backbone.create(new Layers(net), PretextTrainer.ENCODER_SCOPE, shape).apply(net.tf().placeholder(
                    org.tensorflow.types.TFloat32.class, org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(
                            -1, shape.height(), shape.width(), shape.channels()))), false);
            Map<String, long[]> out = new java.util.LinkedHashMap<>();
            for (Net.Var v : net.vars(Net.under(PretextTrainer.ENCODER_SCOPE))) {
                out.put(v.name(), v.shape());
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("backbone " + backbone.name() + " created no variable under "
                        + PretextTrainer.ENCODER_SCOPE + "/");
            }
            return out;
        }
    }

    /**
     * One line per problem: a variable of the backbone the weights lack ("missing"), a variable
     * the backbone does not have ("extra"), or one of another shape ("expected [..], found [..]";
     * for a checkpoint, which stores no shapes, the value counts are compared). Empty when the
     * weights can be assigned to the backbone as they are.
     */
    public static List<String> mismatches(Map<String, long[]> expected, EncoderWeights found) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String name = e.getKey();
            long[] want = e.getValue();
            float[] values = found.tensors().get(name);
            if (values == null) {
                out.add("missing " + name + " (expected shape " + Arrays.toString(want) + ")");
                continue;
            }
            long[] got = found.shapes().get(name);
            if (got != null ? !Arrays.equals(got, want) : values.length != size(want)) {
                out.add(name + ": expected shape " + Arrays.toString(want) + ", found "
                        + (got != null ? "shape " + Arrays.toString(got) : values.length + " values (the checkpoint stores no"
                        + " shapes; expected " + size(want) + ")"));
            }
        }
        Set<String> extra = new LinkedHashSet<>(found.tensors().keySet());
        extra.removeAll(expected.keySet());
        for (String name : extra) {
            long[] got = found.shapes().get(name);
            out.add("extra " + name + " (" + (got != null ? "shape " + Arrays.toString(got)
                    : found.tensors().get(name).length + " values") + ", not a variable of the backbone)");
        }
        return out;
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
