package org.sslbench.evaluate;

import org.sslbench.engine.Classifier;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Linear probe: a softmax-regression head trained on frozen encoder features (eval-mode BatchNorm,
 * no augmentation; features computed once per pretext group and shared with kNN).
 */
public final class LinearProbe implements Protocol {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "frozen encoder + linear softmax head on its features";
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        int dim = r.features().dim();
        var labelled = Sources.features(r.features().pool(r.labelIndices()), dim, r.labelled().images().labels(), r.seed());
        var test = Sources.features(r.features().test(), dim, r.test().images().labels(), r.seed());
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
            Classifier head = Classifier.build(layers, "head", x, dim, r.classes());
            Optimizer optimizer = new Optimizer(net, r.spec().train().optimizer(), head.loss(), net.vars(Net.trainable()), "linear_opt");
            try (Session session = org.sslbench.engine.Sessions.open(net.graph())) {
                net.initialize(session, r.seed());
                return ClassifierTraining.run(net, session, x, head, head, optimizer, r.spec().train(), labelled, test,
                        r.spec().evalEvery(), "linear", r.quiet());
            }
        }
    }
}
