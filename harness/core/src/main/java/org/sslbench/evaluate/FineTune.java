package org.sslbench.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.spec.ProtocolSpec;
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
 *
 * <p>How many epochs ({@code selection}):
 * <ul>
 * <li>{@code labelled} (the default): the epoch count is chosen on labels inside the subset only.
 *     A stratified {@value Holdout#PERCENT} % of each class (at least 1, seeded by the cell seed;
 *     {@link Holdout}) is held out; the network trains on the rest for the block's {@code epochs}
 *     with the full schedule, scoring the held-out part after every epoch (it is small, so every
 *     epoch costs little and gives the finest choice); the epoch with the best held-out accuracy
 *     is chosen (ties: lower held-out cross-entropy, then the earlier epoch). Then the network
 *     starts again from the same initialisation and trains on the whole subset with the same
 *     full-length schedule, stopping after the chosen epoch, and the test split is scored once.
 *     The selection run has no test source ({@link ClassifierTraining#select}). When some class
 *     has fewer than 2 labels (e.g. 1 label per class) there is nothing to hold out: the block's
 *     fixed epochs, recorded as {@code fixed (1 label per class: nothing to hold out)}.</li>
 * <li>{@code fixed}: the published protocol, exactly as before selection existed: the block's
 *     epochs, no validation, the test split scored after the last epoch and every
 *     {@code eval_every} (the test-selected maximum, an optimistic diagnostic).</li>
 * </ul>
 * {@link Outcome#selection()} records the rule ({@code holdout 20%}), {@link Outcome#selected()}
 * what it chose ({@code epochs=12;holdout_accuracy=0.4100}), and {@link Outcome#history()} the
 * final run's per-epoch loss, learning rate and img/s, with the selection run's held-out accuracy
 * after the same epoch (the curve the epoch was chosen on), continued with NaN loss, lr and img/s
 * up to the block's epochs so that the whole held-out curve is recorded.
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
    public boolean trainsEncoder() {
        return true;
    }

    @Override
    public Outcome evaluate(EvalRequest r) {
        long mark = EvalClock.mark();
        return evaluateUnclocked(r).withEvalSeconds(EvalClock.secondsSince(mark));
    }

    /** {@link #evaluate} before its scoring time is attached ({@link Outcome#evalSeconds()}). */
    private Outcome evaluateUnclocked(EvalRequest r) {
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
            Optimizer optimizer = new Optimizer(net, spec.optimizer(), train.loss(), net.vars(Net.trainable()), "finetune_opt",
                    List.of(), r.precision());
            try (Session session = org.sslbench.engine.Sessions.open(net.graph(), r.precision());
                 Fp32Scorer fp32 = Fp32Scorer.needed(r.precision())
                         ? new Fp32Scorer(r.backbone(), s, r.classes(), net, session) : null) {
                // bf16 trains in bf16 and scores in fp32 (Fp32Scorer: bf16 inference is slower here).
                ClassifierTraining.Scorer scorer = fp32 != null ? fp32 : ClassifierTraining.Scorer.of(session, x, eval);
                Augmenter augmenter = new Augmenter(spec.augment());
                if (!r.spec().selectsOnLabels()) {
                    start(net, session, r);
                    return ClassifierTraining.run(net, session, x, train, optimizer, spec, spec.epochs(),
                            Sources.images(r.labelled(), augmenter), test(r), r.spec().evalEvery(), "finetune", r.quiet(),
                            scorer);
                }
                long started = System.nanoTime();
                int[] labels = r.labelled().images().labels();
                Optional<Holdout> split = Holdout.of(labels, r.seed());
                if (split.isEmpty()) {
                    start(net, session, r);
                    Outcome o = ClassifierTraining.run(net, session, x, train, optimizer, spec, spec.epochs(),
                            Sources.images(r.labelled(), augmenter), test(r), 0, "finetune", r.quiet(), scorer);
                    String why = Holdout.tooFew(labels);
                    return new Outcome(o.testAccuracy(), o.maxTestAccuracy(), o.testLoss(), o.epochs(), o.seconds(),
                            o.imagesPerSecond(), ProtocolSpec.FIXED + " (" + why + ": nothing to hold out)",
                            "epochs=" + o.epochs(), o.history());
                }
                // Selection: the training part and the held-out part of the subset; no test source.
                start(net, session, r);
                ClassifierTraining.Selection chosen = ClassifierTraining.select(net, session, x, train, optimizer,
                        spec, Sources.images(r.labelled(), augmenter, split.get().train(), r.seed()),
                        Sources.images(r.labelled(), new Augmenter(java.util.Map.of()), split.get().heldOut(), r.seed()),
                        "finetune selection", r.quiet(), scorer);
                // Final: the whole subset from the same initialisation, the same batches as the
                // fixed protocol's first epochs, stopped after the chosen epoch; the test split scored once.
                start(net, session, r);
                Outcome o = ClassifierTraining.run(net, session, x, train, optimizer, spec, chosen.epochs(),
                        Sources.images(r.labelled(), augmenter), test(r), 0, "finetune", r.quiet(), scorer);
                List<Outcome.Epoch> history = new ArrayList<>();
                for (Outcome.Epoch e : o.history()) {
                    history.add(new Outcome.Epoch(e.epoch(), e.loss(), e.lr(), e.imagesPerSecond(),
                            chosen.heldOutAccuracy()[e.epoch() - 1]));
                }
                // The held-out curve after the chosen epoch too (why it was chosen); the final run
                // stopped there, so those epochs have no loss, lr or img/s (NaN: left out of plots).
                for (int e = o.history().size() + 1; e <= chosen.heldOutAccuracy().length; e++) {
                    history.add(new Outcome.Epoch(e, Double.NaN, Double.NaN, Double.NaN, chosen.heldOutAccuracy()[e - 1]));
                }
                return new Outcome(o.testAccuracy(), o.maxTestAccuracy(), o.testLoss(), o.epochs(),
                        (System.nanoTime() - started) / 1e9, o.imagesPerSecond(), "holdout " + Holdout.PERCENT + "%",
                        String.format(Locale.ROOT, "epochs=%d;holdout_accuracy=%.4f", chosen.epochs(), chosen.accuracy()),
                        history);
            }
        }
    }

    /** The test split, unaugmented: built only where a run that scores it starts, never for selection. */
    private static ClassifierTraining.Source test(EvalRequest r) {
        return Sources.test(r.test());
    }

    /** Every variable (encoder, head, BatchNorm statistics, optimizer slots) to the cell's initial values. */
    private static void start(Net net, Session session, EvalRequest r) {
        net.initialize(session, r.seed());
        if (r.encoderWeights() != null) {
            net.assign(session, r.encoderWeights());
        }
    }
}
