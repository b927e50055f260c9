package org.sslbench.evaluate;

import java.util.HashMap;
import java.util.Map;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Tensors;
import org.sslbench.train.Augmenter;
import org.sslbench.train.Batches;
import org.sslbench.train.NormalizedImages;
import org.sslbench.train.DivergedException;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Frozen-encoder features (BatchNorm in eval mode, no augmentation) of one pretext group's
 * encoder, computed once and shared by every linear and kNN cell of the group: label subsets are
 * nested, so the features of a larger subset cover the smaller ones.
 *
 * <p>{@link #pixels} gives the same for the {@code pixels} baseline, without an encoder: each
 * image's features are its normalised pixels (what every encoder receives as input), flattened in
 * height, width, channel order to h·w·c values. Only the label subsets and the test split are ever
 * converted (CIFAR-10: 3,072 floats per image, 123 MB for the 10,000 test images; STL-10: 27,648,
 * 885 MB for its 8,000), never the unlabeled pool.
 */
public final class EncoderFeatures implements AutoCloseable {
    /**
     * Images per encoder run: 256, as before issue 16 (a 96×96 STL-10 batch of 500 through
     * ResNet-18 would hold over 1 GB per activation); a row's features do not depend on it
     * (pinned by ScoringPathTest).
     */
    static final int CHUNK = 256;

    private final Backbone backbone;
    private final Map<String, float[]> weights;
    private final long seed;
    private final Batches pool;
    private final Batches test;
    private final org.sslbench.engine.Precision precision;
    private final Map<Integer, float[]> poolFeatures = new HashMap<>();
    private float[] testFeatures;
    private Net net;
    private Session session;
    private Placeholder<TFloat32> input;
    private Operand<TFloat32> output;
    private int dim;

    /**
     * @param weights encoder weights, or null for the randomly initialised encoder of {@code seed}
     * @param pool    the labelled pool (label-subset indices point into it)
     */
    public EncoderFeatures(Backbone backbone, Map<String, float[]> weights, long seed, Batches pool, Batches test) {
        this(backbone, weights, seed, pool, test, org.sslbench.engine.Precision.FP32);
    }

    /**
     * As {@link #EncoderFeatures(Backbone, Map, long, Batches, Batches)}, the encoder's forward pass in
     * {@code precision} (an effective one, {@link org.sslbench.engine.Precision#effective}): features of
     * different precisions are different features, so a group whose linear and knn blocks ask for
     * different precisions holds one instance per precision (BenchRunner).
     */
    public EncoderFeatures(Backbone backbone, Map<String, float[]> weights, long seed, Batches pool, Batches test,
                           org.sslbench.engine.Precision precision) {
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        this.backbone = java.util.Objects.requireNonNull(backbone, "backbone (EncoderFeatures.pixels has none)");
        this.weights = weights;
        this.seed = seed;
        this.pool = pool;
        this.test = test;
    }

    /**
     * The raw-pixel features of the {@code pixels} baseline: row i of {@link #pool} / {@link #test}
     * is image i as {@code batches.fill} normalises it (no augmentation), [h·w·c] in NHWC order, so
     * {@link #dim} = h·w·c. No graph and no session are built.
     *
     * @param pool the labelled pool (label-subset indices point into it)
     */
    public static EncoderFeatures pixels(Batches pool, Batches test) {
        return new EncoderFeatures(pool, test);
    }

    private EncoderFeatures(Batches pool, Batches test) {
        this.backbone = null;
        this.weights = null;
        this.seed = 0;
        this.pool = pool;
        this.test = test;
        this.precision = org.sslbench.engine.Precision.FP32; // no session: the pixels are the features
    }

    private void open() {
        if (session != null || dim > 0) {
            return;
        }
        ImageShape s = pool.shape();
        if (backbone == null) {
            dim = s.size(); // pixels: the normalised image is the feature vector
            return;
        }
        net = new Net();
        Layers layers = new Layers(net);
        input = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
        Encoder encoder = backbone.create(layers, PretextTrainer.ENCODER_SCOPE, s);
        output = encoder.apply(input, false);
        dim = encoder.featureDim();
        session = org.sslbench.engine.Sessions.open(net.graph(), computedIn(precision));
        net.initialize(session, seed);
        if (weights != null) {
            net.assign(session, weights);
        }
    }

    /**
     * The precision features of a block asking for {@code precision} are computed in. Features are
     * inference only, and bf16 runs them in fp32 (bf16 inference of ResNet-20 is slower than fp32 on
     * the CPU measured, make perf's inference-resnet20-b256-bf16-speedup; see Fp32Scorer), so a bf16
     * block and an fp32 block share one set of features.
     */
    public static org.sslbench.engine.Precision computedIn(org.sslbench.engine.Precision precision) {
        return precision == org.sslbench.engine.Precision.BF16 ? org.sslbench.engine.Precision.FP32 : precision;
    }

    public int dim() {
        open();
        return dim;
    }

    /** Features of labelled-pool images {@code indices}, row-major [n, dim]. */
    public float[] pool(int[] indices) {
        open();
        int[] missing = java.util.Arrays.stream(indices).filter(i -> !poolFeatures.containsKey(i)).distinct().toArray();
        if (missing.length > 0) {
            float[] computed = extract(pool, missing);
            for (int i = 0; i < missing.length; i++) {
                poolFeatures.put(missing[i], java.util.Arrays.copyOfRange(computed, i * dim, (i + 1) * dim));
            }
        }
        float[] out = new float[indices.length * dim];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(poolFeatures.get(indices[i]), 0, out, i * dim, dim);
        }
        return out;
    }

    /**
     * Features of the whole test split, row-major [n, dim], computed at the first call (its time
     * counts as scoring, {@link EvalClock}); the images come from the run's shared normalised copy
     * of the test split ({@link NormalizedImages}) when it fits the budget.
     */
    public float[] test() {
        open();
        if (testFeatures == null) {
            long t0 = System.nanoTime();
            try {
                testFeatures = extract(Sources.test(test), null);
            } finally {
                EvalClock.addSince(t0);
            }
        }
        return testFeatures;
    }

    private float[] extract(Batches batches, int[] order) {
        return extract(Sources.images(batches, new Augmenter(java.util.Map.of())), order);
    }

    /**
     * Rows {@code order} of {@code source} (null: all, in index order) through the encoder in chunks
     * of {@value #CHUNK}, the next chunk prepared on a prefetch thread ({@link ChunkFeeds}).
     */
    private float[] extract(ClassifierTraining.Source source, int[] order) {
        int rows = order == null ? source.size() : order.length;
        float[] out = new float[rows * dim];
        if (backbone == null) { // pixels: [n, h, w, c] is [n, dim]
            float[] all = order == null ? source.rows() : null;
            if (all != null) {
                System.arraycopy(all, 0, out, 0, out.length);
                return out;
            }
            int[] o = order == null ? java.util.stream.IntStream.range(0, rows).toArray() : order;
            float[] buf = new float[Math.min(CHUNK, Math.max(rows, 1)) * dim];
            for (int start = 0; start < rows; start += CHUNK) {
                int n = Math.min(CHUNK, rows - start);
                source.fill(o, start, n, buf, null);
                System.arraycopy(buf, 0, out, start * dim, n * dim);
            }
            return out;
        }
        try (ChunkFeeds feeds = new ChunkFeeds(source, order, CHUNK, false)) {
            for (ChunkFeeds.Chunk c = feeds.next(); c != null; c = feeds.next()) {
                try (var result = session.runner().feed(input, c.x()).fetch(output).run()) {
                    float[] f = Tensors.toFloats((TFloat32) result.get(0));
                    // Pretext weights blown up by the last update (after the last finite pretext loss)
                    // give NaN features; kNN / linear scores on them would pass for a result.
                    for (float v : f) {
                        if (!Float.isFinite(v)) {
                            throw new DivergedException("encoder features became " + v
                                    + " (the pretext weights diverged; lower the pretext optimizer lr)", 0);
                        }
                    }
                    System.arraycopy(f, 0, out, c.from() * dim, f.length);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            net.close();
            session = null;
        }
    }
}
