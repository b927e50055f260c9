package org.sslbench.plugins.pixels;

import java.util.List;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;

/**
 * The raw-pixel floor: no pretext and no encoder. The linear probe and kNN score each image's
 * normalised pixels (the spec's {@code preprocess}, exactly what every encoder is given as input),
 * flattened to h·w·c values, through the same code as every encoder's frozen features; there are
 * no finetune cells (nothing to fine-tune). An encoder whose linear or kNN accuracy does not beat
 * this row has learned nothing for that protocol that the pixels did not already hold.
 *
 * <p>Its rows appear in every backbone group of a spec (identical features, one row per backbone,
 * the backbone column naming the group it is compared within), and record no backbone code.
 */
public final class Pixels implements Method {
    @Override
    public String name() {
        return "pixels";
    }

    @Override
    public String description() {
        return "no encoder: linear probe and kNN on the normalised pixels (h*w*c values per image), the floor any encoder must beat; no finetune cells";
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
    public boolean pixelFeatures() {
        return true;
    }

    @Override
    public Objective build(PretextContext ctx) {
        throw new UnsupportedOperationException("pixels has no pretext objective");
    }
}
