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
 * Linear probe on frozen encoder features (eval-mode BatchNorm, no augmentation; features computed
 * once per pretext group and shared with kNN), by the protocol's selection:
 *
 * <ul>
 *   <li>{@code labelled} (the default): L2-regularised multinomial logistic regression fitted by
 *       L-BFGS to convergence on standardised features ({@link LogisticRegression}: mean
 *       cross-entropy + λ/2·‖W‖², bias not penalised), λ chosen among the spec's {@code l2}
 *       candidates (default 10⁻⁶ … 10⁴, one per decade) by stratified k-fold cross-validation on the
 *       labelled subset ({@link L2Selection}), then refitted on the whole subset; the test split is
 *       read and scored once, after that (Kornblith, Shlens &amp; Le, CVPR 2019, §3). The training
 *       block's SGD settings (epochs, batch_size, optimizer, schedule, eval_every) do not apply.</li>
 *   <li>{@code fixed}: the published protocols' softmax head trained by the spec's optimizer for a
 *       fixed number of epochs (ClassifierTraining), unchanged from before selection existed.</li>
 * </ul>
 *
 * Shapes: features [n, d] with d the encoder's feature width; C = the dataset's classes.
 */
public final class LinearProbe implements Protocol {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "frozen encoder + linear classifier (labelled: L2 logistic regression, L2 by k-fold CV; fixed: softmax head, fixed epochs)";
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        long mark = EvalClock.mark();
        return evaluateUnclocked(r).withEvalSeconds(EvalClock.secondsSince(mark));
    }

    /** {@link #evaluate} before its scoring time is attached ({@link Outcome#evalSeconds()}). */
    private Outcome evaluateUnclocked(EvalRequest r) {
        if (r.spec().selectsOnLabels()) {
            return logistic(r.features().pool(r.labelIndices()), r.labelled().images().labels(), r.features()::test,
                    r.test().images().labels(), r.features().dim(), r.classes(),
                    r.spec().l2Choices().orElse(L2Selection.DEFAULT_GRID), r.seed());
        }
        int dim = r.features().dim();
        var labelled = Sources.features(r.features().pool(r.labelIndices()), dim, r.labelled().images().labels(), r.seed());
        var test = Sources.features(r.features().test(), dim, r.test().images().labels(), r.seed());
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
            Classifier head = Classifier.build(layers, "head", x, dim, r.classes());
            Optimizer optimizer = new Optimizer(net, r.spec().train().optimizer(), head.loss(), net.vars(Net.trainable()), "linear_opt",
                    java.util.List.of(), r.precision());
            try (Session session = org.sslbench.engine.Sessions.open(net.graph(), r.precision())) {
                net.initialize(session, r.seed());
                return ClassifierTraining.run(net, session, x, head, head, optimizer, r.spec().train(), labelled, test,
                        r.spec().evalEvery(), "linear", r.quiet());
            }
        }
    }

    /**
     * The {@code labelled} probe: λ chosen on the labelled rows alone, a fit on all of them, then
     * {@code test} read once and scored.
     *
     * @param labelled   [labels.length, dim] raw features of the labelled subset
     * @param test       supplies the test split's features [testLabels.length, dim]; called once,
     *                   after selection and the final fit
     * @param l2         candidate λ values (finite, &gt; 0, distinct)
     * @return accuracy and mean cross-entropy on the test split; epochs 0 and images/s NaN (no SGD
     *         epochs); selection and selected as {@link L2Selection.Choice}
     */
    static Outcome logistic(float[] labelled, int[] labels, java.util.function.Supplier<float[]> test, int[] testLabels,
                            int dim, int classes, java.util.List<Double> l2, long seed) {
        long start = System.nanoTime();
        L2Selection.Choice choice = L2Selection.choose(LogisticRegression.requireFinite(labelled, "labelled"), labels,
                dim, classes, l2, seed);
        LogisticRegression model = LogisticRegression.fit(labelled, labels, dim, classes, choice.l2());
        long mark = EvalClock.mark();
        float[] testRows = test.get(); // test features: counted as scoring where they are computed (EncoderFeatures)
        long scoring = System.nanoTime();
        double[] scored;
        try {
            scored = model.score(testRows, testLabels);
        } finally {
            EvalClock.addSince(scoring);
        }
        return new Outcome(scored[0], Double.NaN, scored[1], 0, (System.nanoTime() - start) / 1e9, Double.NaN,
                choice.selection(), choice.selected(), java.util.List.of(), EvalClock.secondsSince(mark));
    }
}
