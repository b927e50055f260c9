package org.sslbench.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.sslbench.data.Fingerprinted;

/**
 * The pretext kNN monitor (spec keys {@code monitor_every}, {@code monitor_labels},
 * {@code monitor_queries}, {@code monitor_stop} of a pretext block; org.sslbench.train.PretextMonitor).
 * A fixed stratified set of labelled <em>training</em> images (never test): a bank of
 * {@code labelsPerClass} and a disjoint query set of {@code queriesPerClass} images per class.
 *
 * <p><b>Hashes.</b> The monitor only reads the weights (its own graph, eval-mode BatchNorm, its own
 * RNG), so it cannot change them: with the default sizes and without {@code stop} it is left out
 * of every hash ({@link #identity()} is empty), and turning it on or off or changing
 * {@code every} reuses existing results. Other bank/query sizes enter the pretext hash, since the
 * collapse verdict (the run's status) is computed on those images. With {@code stop: true} an
 * early stop truncates the training, so every monitor setting enters the pretext hash.
 *
 * @param every           measure after every {@code every}-th epoch; 0 = only after the last one
 *                        (the collapse check always measures once after training)
 * @param labelsPerClass  bank images per class, in [1, {@value #MAX_PER_CLASS}]
 * @param queriesPerClass query images per class, in [1, {@value #MAX_PER_CLASS}]
 * @param stop            stop the pretext run when the monitor shows collapse or divergence
 */
public record MonitorSpec(int every, int labelsPerClass, int queriesPerClass, boolean stop) implements Fingerprinted {
    /** Largest per-class bank or query size: the monitor must stay a small share of an epoch. */
    public static final int MAX_PER_CLASS = 1000;
    /**
     * The default: kNN after every epoch on 50 + 50 images per class. Its cost is a forward pass of
     * 1,000 images (10 classes) in eval mode plus a 500 × 500 kNN, about 1–2 % of an epoch of the
     * embedded 10k Fashion-MNIST pool with two views, so it is on by default.
     */
    public static final MonitorSpec DEFAULT = new MonitorSpec(1, 50, 50, false);

    /** @throws IllegalArgumentException for a negative interval or sizes outside [1, MAX_PER_CLASS] */
    public MonitorSpec {
        if (every < 0) {
            throw new IllegalArgumentException("monitor_every must be >= 0, got " + every);
        }
        for (int n : new int[] {labelsPerClass, queriesPerClass}) {
            if (n < 1 || n > MAX_PER_CLASS) {
                throw new IllegalArgumentException("monitor sizes must be in [1, " + MAX_PER_CLASS + "], got " + n);
            }
        }
    }

    /** True when epoch {@code epoch} (0-based) of {@code epochs} is measured: every {@link #every}-th and the last. */
    public boolean measures(int epoch, int epochs) {
        return epoch == epochs - 1 || (every > 0 && (epoch + 1) % every == 0);
    }

    /**
     * Empty for the default sizes without {@link #stop} (see the class comment). The bank and query
     * sizes enter when they differ from the default, because the collapse verdict, a recorded
     * outcome of the pretext run, is computed on those images (a tester's 2 + 1 images per class
     * turned a collapsed run into an ok one under the same hash); the interval enters only with
     * {@link #stop}, since only then does it decide anything.
     */
    @Override
    public Object identity() {
        boolean defaultSizes = labelsPerClass == DEFAULT.labelsPerClass && queriesPerClass == DEFAULT.queriesPerClass;
        if (!stop && defaultSizes) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (stop) {
            m.put("every", every);
        }
        m.put("labels", labelsPerClass);
        m.put("queries", queriesPerClass);
        if (!stop) {
            return Optional.of(m);
        }
        m.put("stop", true);
        return Optional.of(m);
    }
}
