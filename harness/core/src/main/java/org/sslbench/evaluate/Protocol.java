package org.sslbench.evaluate;

import org.sslbench.plugin.Named;

/** A downstream evaluation: how a (pretrained or random) encoder is turned into a test accuracy. */
public interface Protocol extends Named {
    Outcome evaluate(EvalRequest request);
}
