package org.sslbench.plugins.pretrained;

import java.util.List;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;

/**
 * Weights pretrained elsewhere: no pretext phase of its own; every downstream protocol (fine-tune,
 * linear, kNN) starts from the encoder weights in {@code params.weights}, an sslbench checkpoint
 * ({@code results/<spec>/pretext/<hash>.ckpt}) or a SavedModel directory written by
 * {@code sslbench export}, of the spec's backbone and image shape. The harness refuses weights that
 * do not fit before any training (listing the variables) and keys the rows by the weights' content
 * hash ({@code weights_sha256}), so the comparison "weights from elsewhere vs SSL on my data vs
 * scratch" is one spec: {@code methods: [supervised, rotation, {name: pretrained, params: {weights: ...}}]}.
 */
public final class Pretrained implements Method {
    @Override
    public String name() {
        return "pretrained";
    }

    @Override
    public String description() {
        return "no pretraining: downstream starts from the encoder weights in params.weights (.ckpt or exported SavedModel)";
    }

    @Override
    public List<Param> params() {
        return List.of(Param.of("weights", "", "sslbench .ckpt checkpoint or SavedModel directory from sslbench export"));
    }

    @Override
    public int views(Params params) {
        return 0;
    }

    @Override
    public String weightsParam() {
        return "weights";
    }

    @Override
    public Objective build(PretextContext ctx) {
        throw new UnsupportedOperationException("pretrained has no pretext objective");
    }
}
