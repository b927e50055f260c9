package org.sslbench.plugins.rotation;

import java.util.List;
import java.util.Map;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Classifier;
import org.sslbench.method.Feeds;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.method.StepBatch;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * RotNet (Gidaris, Singh & Komodakis, "Unsupervised Representation Learning by Predicting Image
 * Rotations", ICLR 2018): the encoder plus a linear head predicts which of 0°, 90°, 180°, 270° an
 * image was rotated by. Rotations are made in Java ({@link Rotations}); images must be square.
 *
 * <pre>{@code
 * methods:
 *   - name: rotation
 *     params: {all_four: true}   # 4 rotations of every image per step; false = one random each
 * }</pre>
 */
public final class Rotation implements Method {
    @Override
    public String name() {
        return "rotation";
    }

    @Override
    public String description() {
        return "RotNet: predict the rotation (0/90/180/270 deg) of each image (Gidaris et al., ICLR 2018)";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("all_four", false,
                "train on all four rotations of every image (4x batch) instead of one random rotation per image"
                        + " per step; RotNet's own data loader feeds all four (gidariss/FeatureLearningRotNet dataloader.py)"));
    }

    @Override
    public int views(Params params) {
        return 1;
    }

    /** A quarter turn maps an H × W image onto W × H: only square images keep the input shape. */
    @Override
    public boolean squareImages() {
        return true;
    }

    @Override
    public Objective build(PretextContext ctx) {
        ImageShape s = ctx.shape();
        if (s.height() != s.width()) {
            // Specs are refused before this (squareImages); reached only when built outside the harness.
            throw new IllegalArgumentException("rotation needs square images, got " + s);
        }
        boolean allFour = ctx.params().getBoolean("all_four");
        Operand<TFloat32> rotated = ctx.input("rotated", TFloat32.class, -1, s.height(), s.width(), s.channels());
        Operand<TFloat32> features = ctx.encoder().apply(rotated, true);
        Classifier head = Classifier.build(ctx.layers(), "rotation_head", features, ctx.encoder().featureDim(), 4);
        Operand<TFloat32> accuracy = head.accuracy();
        Operand<TInt32> labels = head.labels();
        return new Objective() {
            @Override
            public Operand<TFloat32> loss() {
                return head.loss();
            }

            @Override
            public Map<String, Operand<TFloat32>> metrics() {
                return Map.of("rotation_acc", accuracy);
            }

            @Override
            public Operand<TFloat32> embedding() {
                return features;
            }

            @Override
            public void feed(StepBatch batch, Feeds feeds) {
                Rotations.Batch b = Rotations.make(batch.view(0), batch.size(), s, allFour, batch.random());
                feeds.floats(rotated, b.images(), b.labels().length, s.height(), s.width(), s.channels());
                feeds.ints(labels, b.labels(), b.labels().length);
            }
        };
    }
}
