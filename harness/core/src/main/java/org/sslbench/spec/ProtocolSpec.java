package org.sslbench.spec;

import java.util.List;
import java.util.Optional;
import org.sslbench.engine.Precision;
import org.sslbench.method.Params;

/**
 * A downstream protocol: {@code finetune} (whole network + new head), {@code linear} (frozen
 * encoder + linear head), {@code knn} (frozen encoder, cosine k-NN) or {@code supcon} (encoder
 * trained with the supervised contrastive loss, then a linear head on its frozen features).
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
 * @param params      the protocol's own settings (Protocol#params: defaults overlaid with the
 *                    block's keys); {@link Params#EMPTY} for finetune, linear and knn, which is left
 *                    out of every hash, so their cells keep the hashes they had before this existed
 * @param kind        what the protocol does with the encoder (Protocol#trainsEncoder,
 *                    #usesUnlabeled); never hashed: the name, which is, decides it
 * @param precision   the compute precision the block asks for (spec key {@code precision}: the block's,
 *                    else the top-level one, else fp32), for every session of the cell: training and
 *                    scoring, and the frozen features of linear and knn; equal to {@code train}'s when
 *                    there is a training block. fp32 is left out of hashes ({@link Precision#identity}).
 */
public record ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery,
                           Optional<String> selection, Optional<List<Integer>> kChoices,
                           Optional<List<Double>> l2Choices, Params params, Kind kind, Precision precision) {
    /**
     * A protocol's declared behaviour towards the encoder. Its hash identity is empty (a
     * {@link org.sslbench.data.Fingerprinted} left out of hashes and settings): it follows from the
     * protocol's name.
     *
     * @param trainsEncoder the encoder's weights change (finetune, supcon, fixmatch)
     * @param usesUnlabeled the protocol reads the unlabeled training split (fixmatch)
     */
    public record Kind(boolean trainsEncoder, boolean usesUnlabeled) implements org.sslbench.data.Fingerprinted {
        /** linear, knn: frozen features. */
        public static final Kind FROZEN = new Kind(false, false);
        /** finetune, supcon: trains the encoder on the labelled subset. */
        public static final Kind TRAINS = new Kind(true, false);

        @Override
        public Object identity() {
            return Optional.empty();
        }

        /**
         * The kind of the three protocols of the first layout (the short constructors' shorthand);
         * other protocols pass their kind explicitly.
         *
         * @throws IllegalArgumentException for any other name
         */
        static Kind firstLayout(String name) {
            return switch (name) {
                case "finetune" -> TRAINS;
                case "linear", "knn" -> FROZEN;
                default -> throw new IllegalArgumentException("protocol '" + name + "': give its Kind and Params"
                        + " (the canonical constructor)");
            };
        }
    }

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
        params = params == null ? Params.EMPTY : params;
        java.util.Objects.requireNonNull(kind, "kind");
        if (precision == null) {
            precision = train == null ? Precision.FP32 : train.precision();
        }
        if (train != null && train.precision() != precision) {
            throw new IllegalArgumentException("protocol " + name + ": precision " + precision.key()
                    + " differs from its training block's " + train.precision().key());
        }
    }

    /** In the training block's precision (fp32 without one). */
    public ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery,
                        Optional<String> selection, Optional<List<Integer>> kChoices, Optional<List<Double>> l2Choices,
                        Params params, Kind kind) {
        this(name, train, k, temperature, evalEvery, selection, kChoices, l2Choices, params, kind, null);
    }

    /** finetune, linear or knn with selection and candidate lists; no params. */
    public ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery,
                        Optional<String> selection, Optional<List<Integer>> kChoices, Optional<List<Double>> l2Choices) {
        this(name, train, k, temperature, evalEvery, selection, kChoices, l2Choices, Params.EMPTY, Kind.firstLayout(name));
    }

    /** The first layout (finetune, linear or knn): fixed selection, one k, no L2 grid. */
    public ProtocolSpec(String name, TrainSpec train, int k, double temperature, int evalEvery) {
        this(name, train, k, temperature, evalEvery, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This protocol with {@code selection}, everything else unchanged. */
    public ProtocolSpec withSelection(Optional<String> newSelection) {
        return new ProtocolSpec(name, train, k, temperature, evalEvery, newSelection, kChoices, l2Choices, params, kind,
                precision);
    }

    /** This protocol (and its training block, if any) asking for {@code newPrecision}. */
    public ProtocolSpec withPrecision(Precision newPrecision) {
        return new ProtocolSpec(name, train == null ? null : train.withPrecision(newPrecision), k, temperature, evalEvery,
                selection, kChoices, l2Choices, params, kind, newPrecision);
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
     * True for protocols that score fixed features of each image (linear, knn: a frozen encoder's,
     * or the pixels of the {@code pixels} baseline); false for those that train the encoder
     * ({@link Kind#trainsEncoder}: finetune, supcon, fixmatch) and so need one.
     */
    public boolean frozenFeatures() {
        return !kind.trainsEncoder();
    }
}
