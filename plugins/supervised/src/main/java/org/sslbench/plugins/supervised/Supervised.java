package org.sslbench.plugins.supervised;

import java.util.List;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;

/**
 * The from-scratch baseline: no pretext phase, so every downstream protocol starts from randomly
 * initialised weights (fine-tune = ordinary supervised training on the labelled subset; linear and
 * kNN = a random-encoder reference).
 */
public final class Supervised implements Method {
    @Override
    public String name() {
        return "supervised";
    }

    @Override
    public String description() {
        return "no pretraining: downstream starts from random weights (the from-scratch baseline)";
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int views(Params params) {
        return 0;
    }

    @Override
    public Objective build(PretextContext ctx) {
        throw new UnsupportedOperationException("supervised has no pretext objective");
    }
}
