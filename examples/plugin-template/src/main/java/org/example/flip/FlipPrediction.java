package org.example.flip;

import java.util.List;
import java.util.Map;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Classifier;
import org.sslbench.method.Feeds;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.ParamRange;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Flip prediction, an example sslbench method: the encoder plus a linear head learns whether an
 * image was mirrored left-right. To answer, the encoder must notice which way shoes point and
 * where the details are, a binary cousin of RotNet's rotation task.
 *
 * <p>Everything else (data, augmentation, optimizer, schedule, checkpoints, evaluation) is the
 * harness's: a method declares its parameters and number of views, and builds its loss.
 */
public final class FlipPrediction implements Method {
    @Override
    public String name() {
        return "flip";
    }

    @Override
    public String description() {
        return "predict whether the image was mirrored left-right (example plugin)";
    }

    @Override
    public List<Param> params() {
        return List.of(Param.of("probability", 0.5, "chance that an image is mirrored before the head sees it")
                // Open ends: at 0 or 1 every label is the same and there is nothing to predict.
                .range(new ParamRange(0, true, 1, true)));
    }

    @Override
    public int views(Params params) {
        return 1; // one augmented view per image; the mirroring is this method's own, in feed()
    }

    /**
     * The harness default pipeline flips images at random, which would make "was it mirrored?"
     * unanswerable, so this method's default keeps the shift and turns hflip off. A spec's
     * {@code pretext.augment} still overrides it key by key.
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(Map.of("shift", 0.1, "hflip", false));
    }

    @Override
    public Objective build(PretextContext ctx) {
        ImageShape s = ctx.shape();
        double probability = ctx.params().getDouble("probability");
        if (probability <= 0 || probability >= 1) {
            // the harness records this as a failed cell with the message
            throw new IllegalArgumentException("flip: probability must be in (0, 1), got " + probability);
        }
        // Our own input rather than ctx.view(0): the images are mirrored in Java before feeding.
        Operand<TFloat32> images = ctx.input("flip_images", TFloat32.class, -1, s.height(), s.width(), s.channels());
        Operand<TFloat32> features = ctx.encoder().apply(images, true); // training mode: BatchNorm learns
        Classifier head = Classifier.build(ctx.layers(), "flip_head", features, ctx.encoder().featureDim(), 2);
        return new Objective() {
            @Override
            public Operand<TFloat32> loss() {
                return head.loss();
            }

            @Override
            public Map<String, Operand<TFloat32>> metrics() {
                return Map.of("flip_acc", head.accuracy()); // logged per epoch in pretext/<hash>.log.csv
            }

            @Override
            public Operand<TFloat32> embedding() {
                return features; // what the collapse monitor watches
            }

            @Override
            public void feed(StepBatch batch, Feeds feeds) {
                float[] data = batch.view(0).clone(); // the harness reuses its buffer
                int[] labels = new int[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    // batch.random() is seeded per step: reruns mirror the same images
                    if (batch.random().nextDouble() < probability) {
                        labels[i] = 1;
                        mirror(data, i, s);
                    }
                }
                feeds.floats(images, data, batch.size(), s.height(), s.width(), s.channels());
                feeds.ints(head.labels(), labels, batch.size());
            }
        };
    }

    /** Mirrors image {@code index} of an NHWC batch left-right, in place. */
    static void mirror(float[] batch, int index, ImageShape s) {
        int w = s.width();
        int c = s.channels();
        for (int y = 0; y < s.height(); y++) {
            int row = index * s.size() + y * w * c;
            for (int x = 0; x < w / 2; x++) {
                for (int k = 0; k < c; k++) {
                    int a = row + x * c + k;
                    int b = row + (w - 1 - x) * c + k;
                    float t = batch[a];
                    batch[a] = batch[b];
                    batch[b] = t;
                }
            }
        }
    }
}
