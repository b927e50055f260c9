package org.sslbench.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Tensors;
import org.sslbench.method.Feeds;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * The harness side of {@link PretextContext}: what a method builds on (encoder, view inputs,
 * progress, layers) and what the trainer needs back (frozen scopes, copy-initialised targets).
 */
public final class TrainingContext implements PretextContext {
    private final Net net;
    private final Layers layers;
    private final Backbone backbone;
    private final Encoder encoder;
    private final ImageShape shape;
    private final Params params;
    private final int batch;
    private final int stepsPerEpoch;
    private final int epochs;
    private final long seed;
    private final Placeholder<TFloat32>[] viewInputs;
    private final ImageShape[] viewShapes;
    private final Placeholder<TFloat32> progress;
    private final List<String> frozen = new ArrayList<>();
    private final List<String[]> copies = new ArrayList<>();

    /** As the full constructor with the default BatchNorm momentum ({@link Layers#BN_MOMENTUM}). */
    public TrainingContext(Net net, Backbone backbone, ImageShape shape, Params params, int views, int batch,
            int stepsPerEpoch, int epochs, long seed) {
        this(net, backbone, shape, params, views, batch, stepsPerEpoch, epochs, seed, Layers.BN_MOMENTUM);
    }

    /**
     * @param bnMomentum momentum of every BatchNorm moving-average update the encoder and the
     *                   method's heads make during the pretext (the block's {@code bn_momentum})
     */
    public TrainingContext(Net net, Backbone backbone, ImageShape shape, Params params, int views, int batch,
            int stepsPerEpoch, int epochs, long seed, double bnMomentum) {
        this(net, backbone, shape, params, fullSize(shape, views), batch, stepsPerEpoch, epochs, seed, bnMomentum);
    }

    /**
     * @param viewShapes the shape of each view (one per view; multi-crop's local views are smaller
     *                   than {@code shape}); view i's placeholder is [batch, h_i, w_i, c]
     */
    @SuppressWarnings("unchecked")
    public TrainingContext(Net net, Backbone backbone, ImageShape shape, Params params, ImageShape[] viewShapes, int batch,
            int stepsPerEpoch, int epochs, long seed, double bnMomentum) {
        this.net = net;
        this.layers = new Layers(net, bnMomentum);
        this.backbone = backbone;
        this.encoder = backbone.create(layers, PretextTrainer.ENCODER_SCOPE, shape);
        this.shape = shape;
        this.params = params;
        this.batch = batch;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
        this.seed = seed;
        this.viewShapes = viewShapes.clone();
        this.viewInputs = new Placeholder[viewShapes.length];
        this.progress = net.tf().withName("progress").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    }

    /** Whether gradient updates skip this variable (target encoders, frozen heads). */
    public boolean isFrozen(String name) {
        for (String scope : frozen) {
            if (name.startsWith(scope + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Applies the copy-initialisations the method asked for; call once after {@link Net#initialize}. */
    public void copyInitialWeights(Session session) {
        for (String[] c : copies) {
            Map<String, float[]> source = net.read(session, Net.under(c[0]));
            Map<String, float[]> target = new LinkedHashMap<>();
            source.forEach((name, values) -> target.put(c[1] + name.substring(c[0].length()), values));
            net.assign(session, target);
        }
    }

    @Override public Ops tf() { return net.tf(); }
    @Override public Layers layers() { return layers; }
    @Override public Encoder encoder() { return encoder; }

    @Override
    public Encoder targetEncoder(String scope) {
        Encoder target = backbone.create(layers, scope, shape);
        freeze(scope);
        initializeAsCopy(PretextTrainer.ENCODER_SCOPE, scope);
        return target;
    }

    @Override public void freeze(String scope) { frozen.add(scope); }
    @Override public void initializeAsCopy(String from, String to) { copies.add(new String[] {from, to}); }
    @Override public Params params() { return params; }
    @Override public ImageShape shape() { return shape; }

    private static ImageShape[] fullSize(ImageShape shape, int views) {
        ImageShape[] out = new ImageShape[views];
        java.util.Arrays.fill(out, shape);
        return out;
    }

    @Override
    public ImageShape viewShape(int i) {
        if (i < 0 || i >= viewShapes.length) {
            throw new IllegalArgumentException("view " + i + " requested but the method declares " + viewShapes.length + " views");
        }
        return viewShapes[i];
    }

    @Override
    public Operand<TFloat32> view(int i) {
        if (i < 0 || i >= viewInputs.length) {
            throw new IllegalArgumentException("view " + i + " requested but the method declares " + viewInputs.length + " views");
        }
        if (viewInputs[i] == null) {
            ImageShape s = viewShapes[i];
            viewInputs[i] = net.tf().withName("view" + i).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, s.height(), s.width(), s.channels())));
        }
        return viewInputs[i];
    }

    @Override
    public <T extends TType> Operand<T> input(String name, Class<T> type, long... dims) {
        return net.tf().withName(name).placeholder(type, Placeholder.shape(Shape.of(dims)));
    }

    @Override public Operand<TFloat32> progress() { return progress; }
    @Override public int batchSize() { return batch; }
    @Override public int stepsPerEpoch() { return stepsPerEpoch; }
    @Override public int epochs() { return epochs; }
    @Override public long seed() { return seed; }

    /** The placeholder of view {@code v}, or null when the method never asked for it. */
    public Placeholder<TFloat32> viewInput(int v) {
        return viewInputs[v];
    }

    public int views() {
        return viewInputs.length;
    }

    public Placeholder<TFloat32> progressInput() {
        return progress;
    }

    /** Feeds backed by the current runner; tensors are closed by the caller after the run. */
    public static Feeds feedsInto(Session.Runner runner, List<Tensor> open) {
        return new Feeds() {
            @Override
            public void floats(Operand<TFloat32> input, float[] data, long... shape) {
                TFloat32 t = Tensors.floatsPrefix(data, shape);
                open.add(t);
                runner.feed(input, t);
            }

            @Override
            public void ints(Operand<TInt32> input, int[] data, long... shape) {
                TInt32 t = Tensors.ints(data, shape);
                open.add(t);
                runner.feed(input, t);
            }
        };
    }
}
