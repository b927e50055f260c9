package org.sslbench.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.LrSchedule;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Tensors;
import org.sslbench.spec.ProtocolSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.DivergedException;
import org.sslbench.train.Progress;
import org.sslbench.train.StepPrefetcher;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The supervised loop shared by fine-tuning (inputs = images) and the linear probe (inputs =
 * frozen features): seeded shuffles, the last partial batch kept (label subsets are small),
 * schedule per step.
 *
 * <p>Two entry points keep the test split out of model selection by construction:
 * {@link #select} trains on one part of the labelled subset and scores only the held-out part (it
 * has no test source to read), and {@link #run} trains on the whole subset and scores the test
 * split after its last epoch (and every {@code evalEvery}, for the test-selected diagnostic of the
 * fixed protocol); the best of those accuracies only when there was more than one (else NaN: not
 * measured).
 */
final class ClassifierTraining {
    /** Rows of inputs and labels the loop draws batches from. */
    interface Source {
        int size();

        /** Values per row (image size or feature width). */
        int rowSize();

        long[] rowShape();

        /** Writes rows {@code order[start..start+n)} into dst (augmented when {@code rng} is not null). */
        void fill(int[] order, int start, int n, float[] dst, SplittableRandom rng);

        int[] labels(int[] order, int start, int n);

        /** Seeded permutation for the epoch. */
        int[] order(int epoch);

        SplittableRandom random(int epoch, long step);

        /**
         * All rows as {@link #fill} writes them without augmentation, [size, rowSize] in index order,
         * when the source holds such a copy (a normalised test split, feature rows); else null. Read
         * only.
         */
        default float[] rows() {
            return null;
        }
    }

    /**
     * What {@link #select} chose.
     *
     * @param epochs           the chosen epoch count, 1-based (train this many epochs of the full schedule)
     * @param accuracy         held-out accuracy after that epoch, fraction in [0, 1]
     * @param loss             held-out mean cross-entropy after that epoch
     * @param heldOutAccuracy  held-out accuracy after every epoch ({@code [e]} = after epoch e + 1)
     */
    record Selection(int epochs, double accuracy, double loss, double[] heldOutAccuracy) {
    }

    /**
     * Rows per loss and accuracy reduction when scoring: the mean cross-entropy is computed per
     * chunk of this many rows (then weighted by rows), so it fixes the loss's last bits; kept at
     * the 500 of every earlier result.
     */
    static final int EVAL_CHUNK = 500;

    /**
     * Rows per forward run when scoring ({@value #EVAL_CHUNK} is a multiple): all 500. On a quiet
     * machine a ResNet-20 forward run over 500 CIFAR images was the fastest of 100 / 250 / 500
     * (1,442 vs 1,365 vs 1,250 img/s, one stream; issue 16). A sweep under heavy contention had
     * favoured 100, which the quiet sweep did not confirm. A row's logits do not depend on the run
     * size (pinned by ScoringPathTest), so any divisor of {@value #EVAL_CHUNK} keeps the bits.
     */
    static final int FORWARD_BATCH = 500;

    private ClassifierTraining() {
    }

    /**
     * Trains {@code train} (training-mode graph) with {@code optimizer} for all of {@code spec}'s
     * epochs, scoring {@code eval} (eval-mode graph sharing the same variables) on {@code test}
     * after the final epoch and every {@code evalEvery}: the fixed protocol.
     */
    static Outcome run(Net net, Session session, Placeholder<TFloat32> input, Classifier train, Classifier eval,
                       Optimizer optimizer, TrainSpec spec, Source labelled, Source test, int evalEvery,
                       String phase, boolean quiet) {
        return run(net, session, input, train, eval, optimizer, spec, spec.epochs(), labelled, test, evalEvery, phase, quiet);
    }

    /**
     * As {@link #run(Net, Session, Placeholder, Classifier, Classifier, Optimizer, TrainSpec, Source,
     * Source, int, String, boolean)} but stopping after {@code epochs} (1 .. spec epochs) of the
     * full-length schedule (the learning rate at epoch e is the one the whole schedule has there),
     * so stopping at the last epoch is exactly the fixed run.
     */
    static Outcome run(Net net, Session session, Placeholder<TFloat32> input, Classifier train, Classifier eval,
                       Optimizer optimizer, TrainSpec spec, int epochs, Source labelled, Source test, int evalEvery,
                       String phase, boolean quiet) {
        return run(net, session, input, train, optimizer, spec, epochs, labelled, test, evalEvery, phase, quiet,
                Scorer.of(session, input, eval));
    }

    /**
     * Scores a source with the network's current weights: {accuracy, mean loss}. The default scores
     * the eval-mode graph in the training session; a bf16 fine-tune scores in an fp32 copy
     * ({@link Fp32Scorer}).
     */
    interface Scorer {
        double[] score(Source source);

        /** {@link ClassifierTraining#score(Session, Placeholder, Classifier, Source)} in {@code session}. */
        static Scorer of(Session session, Placeholder<TFloat32> input, Classifier eval) {
            return source -> ClassifierTraining.score(session, input, eval, source);
        }
    }

    /** As the fixed run above, scoring through {@code scorer}. */
    static Outcome run(Net net, Session session, Placeholder<TFloat32> input, Classifier train,
                       Optimizer optimizer, TrainSpec spec, int epochs, Source labelled, Source test, int evalEvery,
                       String phase, boolean quiet, Scorer scorer) {
        long start = System.nanoTime();
        long evalMark = EvalClock.mark();
        double[] best = {Double.NEGATIVE_INFINITY};
        int[] evaluations = {0};
        double[][] last = {{Double.NaN, Double.NaN}};
        Trained t = train(net, session, input, train, optimizer, spec, epochs, labelled, phase, quiet, (epoch, step) -> {
            boolean finalEpoch = epoch == epochs - 1;
            if (finalEpoch || (evalEvery > 0 && (epoch + 1) % evalEvery == 0)) {
                last[0] = scorer.score(test);
                // The last update can blow the weights up after the last finite training loss (one
                // step per epoch on a tiny label subset): a NaN test loss is a diverged run, not a result.
                if (!Double.isFinite(last[0][1])) {
                    throw new DivergedException(phase + " test loss became " + last[0][1] + " after epoch " + (epoch + 1)
                            + ", step " + step + " (training diverged; lower the optimizer lr)", epoch);
                }
                best[0] = Math.max(best[0], last[0][0]);
                evaluations[0]++;
            }
            return Double.NaN;
        });
        // One evaluation (eval_every 0, or one epoch) has no best epoch: a "max over epochs" that
        // equals the final accuracy would pass for the metric a max_over_epochs reference reports.
        return new Outcome(last[0][0], evaluations[0] > 1 ? best[0] : Double.NaN, last[0][1], epochs,
                (System.nanoTime() - start) / 1e9, t.imagesPerSecond(), ProtocolSpec.FIXED, "", t.history(),
                EvalClock.secondsSince(evalMark));
    }

    /**
     * Model selection on labels only: trains on {@code trainPart} for all of {@code spec}'s epochs
     * and scores {@code heldOut} (eval mode, no augmentation) after every epoch; chooses the epoch
     * with the highest held-out accuracy, ties broken by the lower held-out cross-entropy (a finer
     * score of the same labels; small held-out parts tie often), then by the earlier epoch (less
     * training for the same score, the usual early-stopping convention). Takes no test source, so
     * nothing it chooses can depend on the test split.
     *
     * @throws DivergedException when the training or held-out loss is not finite
     */
    static Selection select(Net net, Session session, Placeholder<TFloat32> input, Classifier train, Classifier eval,
                            Optimizer optimizer, TrainSpec spec, Source trainPart, Source heldOut, String phase,
                            boolean quiet) {
        return select(net, session, input, train, optimizer, spec, trainPart, heldOut, phase, quiet,
                Scorer.of(session, input, eval));
    }

    /** As {@link #select(Net, Session, Placeholder, Classifier, Classifier, Optimizer, TrainSpec, Source, Source, String, boolean)}, scoring through {@code scorer}. */
    static Selection select(Net net, Session session, Placeholder<TFloat32> input, Classifier train,
                            Optimizer optimizer, TrainSpec spec, Source trainPart, Source heldOut, String phase,
                            boolean quiet, Scorer scorer) {
        double[] accuracy = new double[spec.epochs()];
        double[] loss = new double[spec.epochs()];
        train(net, session, input, train, optimizer, spec, spec.epochs(), trainPart, phase, quiet, (epoch, step) -> {
            double[] r = scorer.score(heldOut);
            if (!Double.isFinite(r[1])) {
                throw new DivergedException(phase + " held-out loss became " + r[1] + " after epoch " + (epoch + 1)
                        + ", step " + step + " (training diverged; lower the optimizer lr)", epoch);
            }
            accuracy[epoch] = r[0];
            loss[epoch] = r[1];
            return r[0];
        });
        int chosen = choose(accuracy, loss);
        return new Selection(chosen + 1, accuracy[chosen], loss[chosen], accuracy);
    }

    /**
     * The selection rule: the index of the highest {@code accuracy}, ties broken by the lower
     * {@code loss}, then by the lower index (the earlier epoch).
     */
    static int choose(double[] accuracy, double[] loss) {
        int chosen = 0;
        for (int e = 1; e < accuracy.length; e++) {
            if (accuracy[e] > accuracy[chosen] || (accuracy[e] == accuracy[chosen] && loss[e] < loss[chosen])) {
                chosen = e;
            }
        }
        return chosen;
    }

    /** Called after each epoch (0-based) with the global step count; returns a held-out accuracy or NaN. */
    private interface EpochEnd {
        double after(int epoch, long step);
    }

    /** Training rows per second over the whole run, and the per-epoch scalars. */
    private record Trained(double imagesPerSecond, List<Outcome.Epoch> history) {
    }

    private static Trained train(Net net, Session session, Placeholder<TFloat32> input, Classifier train,
                                 Optimizer optimizer, TrainSpec spec, int epochs, Source labelled, String phase,
                                 boolean quiet, EpochEnd end) {
        if (epochs < 1 || epochs > spec.epochs()) {
            throw new IllegalArgumentException("epochs " + epochs + " outside 1.." + spec.epochs());
        }
        int n = labelled.size();
        int batch = Math.min(spec.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        // The whole schedule's length even when stopping early: epoch e gets the same learning rate
        // in the selection run, the final run and the fixed protocol.
        LrSchedule schedule = new LrSchedule(spec.schedule(), spec.optimizer().lr(), spec.epochs());
        long step = 0;
        long trainNanos = 0;
        long images = 0;
        List<Outcome.Epoch> history = new ArrayList<>();
        try (Progress progress = Progress.start(phase, (long) stepsPerEpoch * epochs, epochs, null, quiet);
             StepPrefetcher<Batch> data = new StepPrefetcher<>((long) stepsPerEpoch * epochs,
                     new BatchMaker(labelled, batch, stepsPerEpoch))) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            double lossSum = 0;
            long epochNanos = 0;
            long epochImages = 0;
            double lr = Double.NaN;
            for (int s = 0; s < stepsPerEpoch; s++, step++) {
                long t0 = System.nanoTime();
                Batch b = data.next().data();
                int m = b.rows();
                List<Tensor> open = new ArrayList<>();
                try {
                    TFloat32 x = Tensors.floatsPrefix(b.inputs(), shape(m, labelled.rowShape()));
                    open.add(x);
                    var y = Tensors.ints(b.labels(), m);
                    open.add(y);
                    Session.Runner runner = session.runner().feed(input, x).feed(train.labels(), y).fetch(train.loss());
                    lr = schedule.at(epoch + (double) s / stepsPerEpoch);
                    open.addAll(optimizer.feed(runner, step + 1, lr));
                    net.updateOps().forEach(runner::addTarget);
                    try (var result = runner.run()) {
                        float loss = ((TFloat32) result.get(0)).getFloat();
                        if (!Float.isFinite(loss)) {
                            throw new DivergedException(phase, epoch, step, loss);
                        }
                        lossSum += loss;
                    }
                } finally {
                    open.forEach(Tensor::close);
                }
                long dt = System.nanoTime() - t0;
                trainNanos += dt;
                epochNanos += dt;
                images += m;
                epochImages += m;
                progress.step(epoch, lossSum / (s + 1), images * 1e9 / Math.max(1, trainNanos));
            }
            double validation = end.after(epoch, step);
            history.add(new Outcome.Epoch(epoch + 1, lossSum / stepsPerEpoch, lr,
                    epochImages * 1e9 / Math.max(1, epochNanos), validation));
        }
        }
        return new Trained(images * 1e9 / Math.max(1, trainNanos), history);
    }

    /**
     * {accuracy, mean loss} over the whole test source, in order, without augmentation: forward runs
     * of {@link #FORWARD_BATCH} rows prepared on a prefetch thread ({@link ChunkFeeds}), their
     * logits gathered into chunks of {@link #EVAL_CHUNK} rows whose accuracy and mean loss the
     * graph's own ops compute (the logits fed), as when each chunk ran in one piece. The time it
     * takes counts as scoring ({@link EvalClock}).
     */
    static double[] score(Session session, Placeholder<TFloat32> input, Classifier eval, Source test) {
        return score(session, input, eval, test, EVAL_CHUNK, FORWARD_BATCH);
    }

    /**
     * As {@link #score(Session, Placeholder, Classifier, Source)} with {@code chunk} rows per
     * loss reduction and {@code forward} rows per forward run.
     *
     * @throws IllegalArgumentException when {@code forward} does not divide {@code chunk}
     */
    static double[] score(Session session, Placeholder<TFloat32> input, Classifier eval, Source test, int chunk,
                          int forward) {
        if (forward < 1 || chunk % forward != 0) {
            throw new IllegalArgumentException("forward runs of " + forward + " rows must divide the " + chunk + "-row chunk");
        }
        long t0 = System.nanoTime();
        int n = test.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int[] labels = test.labels(all, 0, n);
        float[] logits = null; // [chunk, classes], sized at the first run (classes from its logits)
        int classes = 0;
        double correct = 0;
        double lossSum = 0;
        int filled = 0;
        try (ChunkFeeds feeds = new ChunkFeeds(test, null, forward, false)) {
            for (ChunkFeeds.Chunk c = feeds.next(); c != null; c = feeds.next()) {
                try (var result = session.runner().feed(input, c.x()).fetch(eval.logits()).run()) {
                    TFloat32 out = (TFloat32) result.get(0);
                    if (logits == null) {
                        classes = Math.toIntExact(out.shape().size(1));
                        logits = new float[Math.min(chunk, n) * classes];
                    }
                    out.copyTo(DataBuffers.of(logits, false, false)
                            .slice((long) filled * classes, (long) c.rows() * classes));
                }
                filled += c.rows();
                if (filled == chunk || c.from() + c.rows() == n) {
                    int from = c.from() + c.rows() - filled;
                    try (TFloat32 l = Tensors.floatsPrefix(logits, filled, classes);
                         var y = Tensors.ints(java.util.Arrays.copyOfRange(labels, from, from + filled), filled);
                         var result = session.runner().feed(eval.logits(), l).feed(eval.labels(), y)
                                 .fetch(eval.correct()).fetch(eval.loss()).run()) {
                        correct += ((TFloat32) result.get(0)).getFloat();
                        lossSum += ((TFloat32) result.get(1)).getFloat() * filled;
                    }
                    filled = 0;
                }
            }
        } finally {
            EvalClock.addSince(t0);
        }
        return new double[] {correct / n, lossSum / n};
    }

    /** One step's rows (the first {@code rows * rowSize} values of {@code inputs}) and labels. */
    private record Batch(int rows, float[] inputs, int[] labels) {
    }

    /**
     * Fills step k's batch on the prefetch thread into buffer k mod 2, seeded by (epoch, step) as
     * the loop would have filled it itself; called in step order only.
     */
    private static final class BatchMaker implements LongFunction<Batch> {
        private final Source source;
        private final int batch;
        private final int stepsPerEpoch;
        private final float[][] buffers;
        private int[] order;
        private int orderEpoch = -1;

        BatchMaker(Source source, int batch, int stepsPerEpoch) {
            this.source = source;
            this.batch = batch;
            this.stepsPerEpoch = stepsPerEpoch;
            this.buffers = new float[2][batch * source.rowSize()];
        }

        @Override
        public Batch apply(long step) {
            int epoch = (int) (step / stepsPerEpoch);
            if (epoch != orderEpoch) {
                order = source.order(epoch);
                orderEpoch = epoch;
            }
            int from = (int) (step % stepsPerEpoch) * batch;
            int m = Math.min(batch, source.size() - from);
            float[] buf = buffers[(int) (step % 2)];
            source.fill(order, from, m, buf, source.random(epoch, step));
            return new Batch(m, buf, source.labels(order, from, m));
        }
    }

    private static long[] shape(int rows, long[] rowShape) {
        long[] s = new long[rowShape.length + 1];
        s[0] = rows;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }
}
