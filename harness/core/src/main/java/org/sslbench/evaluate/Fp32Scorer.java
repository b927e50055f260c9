package org.sslbench.evaluate;

import java.util.HashSet;
import java.util.Set;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Precision;
import org.sslbench.engine.Sessions;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Scoring of a network trained in a mixed-precision session, in float32: an eval-mode copy of the
 * encoder + linear head in its own fp32 session, whose variables (weights and BatchNorm moving
 * statistics, matched by name) are copied from the training session before every scoring.
 *
 * <p>Why: grappler's bf16 rewrite speeds the ResNet-20 train step up about 2x on this CPU, but
 * makes its inference slower (0.61x fp32 for 256-image forward runs, {@code make perf} case
 * {@code inference-resnet20-b256-bf16-speedup}), and a test split is scored many times per cell;
 * scoring in fp32 is also the more exact measurement of what was trained. The copy is about
 * 0.3 M floats for ResNet-20, negligible next to one forward pass over the test split.
 */
final class Fp32Scorer implements ClassifierTraining.Scorer, AutoCloseable {
    private final Net trainNet;
    private final Session trainSession;
    private final Net net = new Net();
    private final Placeholder<TFloat32> input;
    private final Classifier eval;
    private final Session session;
    private final Set<String> names = new HashSet<>();

    /**
     * @param trainNet     the training graph's variables ({@code encoder/...} from
     *                     {@code backbone}, {@code head/...} a dense layer of {@code classes})
     * @param trainSession the session that trains them
     * @param shape        one input image [h, w, c]
     */
    Fp32Scorer(Backbone backbone, ImageShape shape, int classes, Net trainNet, Session trainSession) {
        this.trainNet = trainNet;
        this.trainSession = trainSession;
        Layers layers = new Layers(net);
        input = net.tf().withName("images").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, shape.height(), shape.width(), shape.channels())));
        Encoder encoder = backbone.create(layers, PretextTrainer.ENCODER_SCOPE, shape);
        eval = Classifier.build(layers, "head", encoder.apply(input, false), encoder.featureDim(), classes);
        net.vars(v -> true).forEach(v -> names.add(v.name()));
        session = Sessions.open(net.graph(), Precision.FP32);
    }

    /**
     * The scorer a fine-tune in {@code precision} uses: the training session's own eval graph for
     * fp32 and fp16 (a GPU's fp16 inference is fast), an {@link Fp32Scorer} for bf16.
     */
    static boolean needed(Precision precision) {
        return precision == Precision.BF16;
    }

    @Override
    public double[] score(ClassifierTraining.Source source) {
        net.assign(session, trainNet.read(trainSession, v -> names.contains(v.name())));
        return ClassifierTraining.score(session, input, eval, source);
    }

    @Override
    public void close() {
        session.close();
        net.close();
    }
}
