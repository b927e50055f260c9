package org.sslbench.evaluate;

import java.util.List;
import org.sslbench.method.Param;
import org.sslbench.plugin.Named;

/**
 * A downstream evaluation: how a (pretrained or random) encoder is turned into a test accuracy.
 *
 * <p>A protocol is registered once, in {@link Protocols#BUILT_IN} (which the harness's Guice
 * module binds by name); its declarations below are all the rest of the harness reads:
 * <ul>
 *   <li>{@link #params()}: the settings a spec's protocol block accepts next to its training keys
 *       (epochs, batch_size, optimizer, schedule, augment), checked like a method's params (type,
 *       range, did-you-mean on a typo) and entering the cell hash; {@code make list} shows them.</li>
 *   <li>{@link #trainsEncoder()}: whether the encoder's weights change (finetune, supcon,
 *       fixmatch). Such protocols get no cells for the {@code pixels} baseline (no encoder), accept
 *       {@code augment} and {@code bn_momentum}, and their {@code supervised} row is the same
 *       network trained from random initialisation ("from scratch"), not a frozen random encoder.</li>
 *   <li>{@link #usesUnlabeled()}: whether it reads {@link EvalRequest#unlabeled()} (fixmatch).</li>
 * </ul>
 */
public interface Protocol extends Named {
    /**
     * Scores one cell.
     *
     * @throws org.sslbench.train.DivergedException when training produced a non-finite loss or features
     */
    Outcome evaluate(EvalRequest request);

    /**
     * The settings of this protocol (defaults, ranges, descriptions), as {@link org.sslbench.method.Method#params()};
     * the values a cell gets are {@link org.sslbench.spec.ProtocolSpec#params()}. Empty (the default)
     * for finetune, linear and knn, whose settings are the spec's fixed keys.
     */
    default List<Param> params() {
        return List.of();
    }

    /** True when the protocol trains the encoder's weights (finetune, supcon, fixmatch); false for frozen features. */
    default boolean trainsEncoder() {
        return false;
    }

    /** True when the protocol reads the unlabeled pool ({@link EvalRequest#unlabeled()}), e.g. fixmatch. */
    default boolean usesUnlabeled() {
        return false;
    }
}
