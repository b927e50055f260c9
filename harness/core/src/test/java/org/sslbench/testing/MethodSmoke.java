package org.sslbench.testing;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.sslbench.data.Dataset;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Method;
import org.sslbench.method.Params;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Batches;
import org.sslbench.train.EpochLog;
import org.sslbench.train.Normalizer;
import org.sslbench.train.PretextTrainer;

/** Runs a method's real pretext loop for a few epochs on a tiny synthetic dataset (method smoke tests). */
public final class MethodSmoke {
    private MethodSmoke() {
    }

    /**
     * @param augment pretext augmentations (e.g. {@code Map.of("crop", 0.5, "hflip", true)})
     * @return the per-epoch log (loss, metrics, collapse monitor)
     */
    public static PretextTrainer.Result run(Method method, Map<String, Object> params, Map<String, Object> augment,
                                            int epochs, int batch, double lr) {
        Dataset ds = FormatWriters.tinyDataset(FormatWriters.FASHION_SHAPE, 10, 16, 2, 3);
        Batches pool = new Batches(ds.unlabeled(), Normalizer.fit("pixel_mean", ds.train()), 0);
        TrainSpec spec = new TrainSpec(epochs, batch, new OptimizerSpec("adam", lr, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), augment);
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        return new PretextTrainer(silent, true).train(method, Params.of(method, params), new SmallCnn(), spec, pool, 0);
    }

    /** Mean loss of the first and of the last epoch. */
    public static double[] firstAndLastLoss(PretextTrainer.Result r) {
        List<EpochLog> e = r.epochs();
        return new double[] {e.get(0).loss(), e.get(e.size() - 1).loss()};
    }
}
