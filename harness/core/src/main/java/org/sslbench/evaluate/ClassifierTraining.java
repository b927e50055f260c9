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
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.DivergedException;
import org.sslbench.train.Progress;
import org.sslbench.train.StepPrefetcher;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The supervised loop shared by fine-tuning (inputs = images) and the linear probe (inputs =
 * frozen features): seeded shuffles, the last partial batch kept (label subsets are small),
 * schedule per step, test accuracy and loss after the final epoch and every {@code evalEvery};
 * the best of those accuracies only when there was more than one (else NaN: not measured).
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
    }

    private static final int EVAL_CHUNK = 500;

    private ClassifierTraining() {
    }

    /**
     * Trains {@code train} (training-mode graph) with {@code optimizer}, scoring {@code eval}
     * (eval-mode graph sharing the same variables) on {@code test}.
     */
    static Outcome run(Net net, Session session, Placeholder<TFloat32> input, Classifier train, Classifier eval,
                       Optimizer optimizer, TrainSpec spec, Source labelled, Source test, int evalEvery,
                       String phase, boolean quiet) {
        long start = System.nanoTime();
        int n = labelled.size();
        int batch = Math.min(spec.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        LrSchedule schedule = new LrSchedule(spec.schedule(), spec.optimizer().lr(), spec.epochs());
        long step = 0;
        long trainNanos = 0;
        long images = 0;
        double best = Double.NEGATIVE_INFINITY;
        int evaluations = 0;
        double[] last = {Double.NaN, Double.NaN};
        try (Progress progress = Progress.start(phase, (long) stepsPerEpoch * spec.epochs(), spec.epochs(), null, quiet);
             StepPrefetcher<Batch> data = new StepPrefetcher<>((long) stepsPerEpoch * spec.epochs(),
                     new BatchMaker(labelled, batch, stepsPerEpoch))) {
        for (int epoch = 0; epoch < spec.epochs(); epoch++) {
            double lossSum = 0;
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
                    open.addAll(optimizer.feed(runner, step + 1, schedule.at(epoch + (double) s / stepsPerEpoch)));
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
                trainNanos += System.nanoTime() - t0;
                images += m;
                progress.step(epoch, lossSum / (s + 1), images * 1e9 / Math.max(1, trainNanos));
            }
            boolean finalEpoch = epoch == spec.epochs() - 1;
            if (finalEpoch || (evalEvery > 0 && (epoch + 1) % evalEvery == 0)) {
                last = score(session, input, eval, test);
                // The last update can blow the weights up after the last finite training loss (one
                // step per epoch on a tiny label subset): a NaN test loss is a diverged run, not a result.
                if (!Double.isFinite(last[1])) {
                    throw new DivergedException(phase + " test loss became " + last[1] + " after epoch " + (epoch + 1)
                            + ", step " + step + " (training diverged; lower the optimizer lr)", epoch);
                }
                best = Math.max(best, last[0]);
                evaluations++;
            }
        }
        }
        // One evaluation (eval_every 0, or one epoch) has no best epoch: a "max over epochs" that
        // equals the final accuracy would pass for the metric a max_over_epochs reference reports.
        return new Outcome(last[0], evaluations > 1 ? best : Double.NaN, last[1], spec.epochs(), (System.nanoTime() - start) / 1e9,
                images * 1e9 / Math.max(1, trainNanos));
    }

    /** {accuracy, mean loss} over the whole test source, in order, without augmentation. */
    static double[] score(Session session, Placeholder<TFloat32> input, Classifier eval, Source test) {
        int n = test.size();
        float[] buf = new float[EVAL_CHUNK * test.rowSize()];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double correct = 0;
        double lossSum = 0;
        for (int from = 0; from < n; from += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, n - from);
            test.fill(order, from, m, buf, null);
            try (TFloat32 x = Tensors.floatsPrefix(buf, shape(m, test.rowShape()));
                 var y = Tensors.ints(test.labels(order, from, m), m);
                 var result = session.runner().feed(input, x).feed(eval.labels(), y)
                         .fetch(eval.correct()).fetch(eval.loss()).run()) {
                correct += ((TFloat32) result.get(0)).getFloat();
                lossSum += ((TFloat32) result.get(1)).getFloat() * m;
            }
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
