package org.sslbench.evaluate;

import org.sslbench.data.ImageShape;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Augmenter;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Fine-tuning: the whole encoder (pretrained, or random for the from-scratch baseline) plus a
 * new linear head trained on the labelled subset; BatchNorm trains on batch statistics, updates its
 * moving statistics with the block's {@code bn_momentum}, and is scored with them.
 */
public final class FineTune implements Protocol {
    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String description() {
        return "whole network + new linear head trained on the labelled subset";
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        ImageShape s = r.labelled().shape();
        TrainSpec spec = r.spec().train();
        try (Net net = new Net()) {
            Layers layers = new Layers(net, spec.bnMomentumValue());
            Placeholder<TFloat32> x = net.tf().withName("images").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
            Encoder encoder = r.backbone().create(layers, PretextTrainer.ENCODER_SCOPE, s);
            Operand<TFloat32> trainFeatures = encoder.apply(x, true);
            Classifier train = Classifier.build(layers, "head", trainFeatures, encoder.featureDim(), r.classes());
            Classifier eval = Classifier.build(layers, "head", encoder.apply(x, false), encoder.featureDim(), r.classes());
            Optimizer optimizer = new Optimizer(net, spec.optimizer(), train.loss(), net.vars(Net.trainable()), "finetune_opt");
            try (Session session = org.sslbench.engine.Sessions.open(net.graph())) {
                net.initialize(session, r.seed());
                if (r.encoderWeights() != null) {
                    net.assign(session, r.encoderWeights());
                }
                return ClassifierTraining.run(net, session, x, train, eval, optimizer, spec,
                        Sources.images(r.labelled(), new Augmenter(spec.augment())),
                        Sources.images(r.test(), new Augmenter(java.util.Map.of())), r.spec().evalEvery(), "finetune", r.quiet());
            }
        }
    }
}
