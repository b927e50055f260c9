package org.sslbench.spec;

import java.util.List;
import java.util.Optional;

/**
 * A downstream protocol: {@code finetune} (whole network + new head), {@code linear} (frozen
 * encoder + linear head) or {@code knn} (frozen encoder, cosine k-NN).
 *
 * <p>Settings added after the first layout are {@link Optional}s that are empty for the first
 * layout's behaviour, so the config hashes of results computed before they existed stay valid
 * (ConfigHash leaves empty Optionals out).
 *
 * @param train       epochs/batch/optimizer/schedule/augment for finetune and linear; null for knn
 * @param k           knn: neighbours (the first candidate when {@code kChoices} is present)
 * @param temperature knn: weight exp(sim / T) per neighbour (solo-learn's weighted vote)
 * @param evalEvery   finetune/linear: also score the test split every this many epochs, for the
 *                    test-selected diagnostic (0 = only after the final epoch)
 * @param selection   how downstream settings are chosen: present ({@value #LABELLED}) = on the
 *                    labelled subset only (held-out part or k-fold); empty = {@value #FIXED}, the
 *                    published protocols' fixed settings with no validation (the first layout)
 * @param kChoices    knn: candidate k values chosen among on the labelled subset; empty = the single {@code k}
 * @param l2Choices   linear with {@value #LABELLED} selection: candidate L2 strengths of the
 *                    logistic-regression probe; empty = the default grid
 */
public record ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery,
                           Optional<String> selection, Optional<List<Integer>> kChoices,
                           Optional<List<Double>> l2Choices) {
    /** Downstream settings chosen on the labelled subset only. */
    public static final String LABELLED = "labelled";
    /** The published protocols: fixed settings, no validation. */
    public static final String FIXED = "fixed";

    public ProtocolSpec {
        selection = selection == null ? Optional.empty() : selection.filter(s -> !s.equals(FIXED));
        if (selection.isPresent() && !selection.get().equals(LABELLED)) {
            throw new IllegalArgumentException("selection must be " + LABELLED + " or " + FIXED + ", got " + selection.get());
        }
        kChoices = kChoices == null ? Optional.empty() : kChoices.map(List::copyOf);
        l2Choices = l2Choices == null ? Optional.empty() : l2Choices.map(List::copyOf);
    }

    /** The first layout: fixed selection, one k, no L2 grid. */
    public ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery) {
        this(name, train, k, temperature, evalEvery, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** True when settings are chosen on the labelled subset ({@value #LABELLED}). */
    public boolean selectsOnLabels() {
        return selection.isPresent();
    }

    /** {@value #LABELLED} or {@value #FIXED}. */
    public String selectionName() {
        return selection.orElse(FIXED);
    }

    /**
     * True for {@code linear} and {@code knn}, which score fixed features of each image (a frozen
     * encoder's, or the pixels of the {@code pixels} baseline); false for {@code finetune}, which
     * trains the encoder and so needs one.
     */
    public boolean frozenFeatures() {
        return !"finetune".equals(name);
    }
}
