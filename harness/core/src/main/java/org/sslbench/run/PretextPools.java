package org.sslbench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.data.folder.ResizedPool;
import org.sslbench.spec.DatasetRef;
import org.sslbench.spec.Spec;
import org.sslbench.spec.TrainSpec;

/**
 * The images a pretext run trains on: the evaluation dataset's own unlabeled pool, or the pool of
 * its pretext dataset ({@code pretext.dataset}) converted once to the evaluation dataset's
 * [height, width, channels] ({@link ResizedPool}). One instance per run converts each pool once;
 * bench and views read pools through it, so both show the same images.
 */
public final class PretextPools {
    private final Registries registries;
    private final PrintStream out;
    private final Map<String, ResizedPool.Result> pools = new HashMap<>();

    public PretextPools(Registries registries, PrintStream out) {
        this.registries = registries;
        this.out = out;
    }

    /**
     * @param pretext the method's pretext settings (its {@code dataset}, if any, names the pool)
     * @param eval    the evaluation dataset, loaded
     * @throws DataException for a pretext dataset whose files are missing or whose images do not decode
     */
    public ResizedPool.Result of(Spec spec, TrainSpec pretext, Dataset eval) throws DataException, IOException {
        if (pretext.dataset().isEmpty()) {
            return new ResizedPool.Result(eval.unlabeled(), "own pool, unlabeled " + eval.unlabeled().size(), null, false);
        }
        DatasetRef ref = pretext.dataset().get();
        String key = ref + "->" + eval.shape();
        ResizedPool.Result known = pools.get(key);
        if (known != null) {
            return known;
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ResizedPool.Result pool;
        if (ref.folder().isPresent()) {
            pool = ResizedPool.ofFolder(ref.name(), ref.folder().get(), eval.shape(), ref.unlabeledLimit(), threads, out);
        } else {
            out.printf("loading %s (pretext pool)%n", ref.name());
            org.sslbench.download.DataIntegrity.warnings(ref.name(), spec.dataDir()).forEach(w -> out.println("warning: " + w));
            Dataset source = registries.dataset(ref).load(spec.dataDir(), ref.unlabeledLimit());
            Path cacheRoot = (spec.dataDir() != null ? spec.dataDir() : Path.of("data")).toAbsolutePath().resolve("cache");
            pool = ResizedPool.of(source, eval.shape(), cacheRoot, threads, out);
        }
        pools.put(key, pool);
        return pool;
    }
}
