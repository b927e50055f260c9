package org.sslbench.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Role;
import org.sslbench.engine.Tensors;
import org.sslbench.engine.backbones.SmallCnn;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Params;
import org.sslbench.train.TrainingContext;
import org.sslbench.method.StepBatch;
import org.sslbench.spec.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Real pretext steps of a method outside the trainer, with the weights readable and writable
 * between steps: for tests of EMA targets and queues. The context has the trainer's semantics
 * (target encoders frozen and initialised as copies, frozen scopes excluded from the optimizer,
 * {@link Objective#afterStep} built with control dependencies on the optimizer updates, BatchNorm
 * updates run every step); views are seeded Gaussian images, the optimizer Adam.
 *
 * <pre>{@code
 * try (PretextStep s = new PretextStep(new Moco(), Map.of(), new ImageShape(8, 8, 1), 4, 1e-2, 7)) {
 *     s.assertMomentumStep(0.0, 0.99, Map.of("encoder", "key_encoder"));
 *     float[][] fetched = s.step(0.5, someOperand); // values from inside the step's run
 * }
 * }</pre>
 */
public final class PretextStep implements AutoCloseable {
    private final Net net = new Net();
    private final TrainingContext ctx;
    private final Objective objective;
    private final Optimizer optimizer;
    private final List<Op> after;
    private final Session session;
    private final ImageShape shape;
    private final int batch;
    private final Random images;
    private long step;

    public PretextStep(Method method, Map<String, Object> params, ImageShape shape, int batch, double lr, long seed) {
        this.shape = shape;
        this.batch = batch;
        this.images = new Random(seed);
        // One epoch of one step, so progress is whatever step() is given.
        // Views have the sizes the method's own pipelines give them (multi-crop: smaller local views).
        this.ctx = new TrainingContext(net, new SmallCnn(), shape, Params.of(method, params),
                viewShapes(method, Params.of(method, params), shape), batch, 1, 1, seed, org.sslbench.engine.Layers.BN_MOMENTUM);
        this.objective = method.build(ctx);
        List<Net.Var> trainables = net.vars(v -> v.role().trainable && !ctx.isFrozen(v.name()));
        this.optimizer = new Optimizer(net, new OptimizerSpec("adam", lr, 0.9, 0, false), objective.loss(), trainables,
                "pretext_opt");
        this.after = objective.afterStep(net.tf().withControlDependencies(optimizer.updates()));
        this.session = new Session(net.graph());
        net.initialize(session, seed);
        ctx.copyInitialWeights(session);
    }

    public Net net() {
        return net;
    }

    public Objective objective() {
        return objective;
    }

    public Map<String, float[]> read(Predicate<Net.Var> filter) {
        return net.read(session, filter);
    }

    public void assign(Map<String, float[]> values) {
        net.assign(session, values);
    }

    /**
     * One optimizer step with its BatchNorm and after-step updates, at training {@code progress};
     * returns the values of {@code fetches} (e.g. the loss) computed in that same run.
     */
    @SafeVarargs
    public final float[][] step(double progress, Operand<TFloat32>... fetches) {
        List<Tensor> open = new ArrayList<>();
        Session.Runner runner = session.runner();
        try {
            float[][] views = new float[ctx.views()][];
            ImageShape[] shapes = new ImageShape[ctx.views()];
            for (int v = 0; v < views.length; v++) {
                ImageShape vs = shapes[v] = ctx.viewShape(v);
                views[v] = new float[batch * vs.size()];
                for (int i = 0; i < views[v].length; i++) {
                    views[v][i] = (float) images.nextGaussian();
                }
                if (ctx.viewInput(v) != null) {
                    TFloat32 t = Tensors.floats(views[v], batch, vs.height(), vs.width(), vs.channels());
                    open.add(t);
                    runner.feed(ctx.viewInput(v), t);
                }
            }
            TFloat32 p = TFloat32.scalarOf((float) progress);
            open.add(p);
            runner.feed(ctx.progressInput(), p);
            objective.feed(new Batch(batch, shape, shapes, views, new SplittableRandom(step), step), TrainingContext.feedsInto(runner, open));
            open.addAll(optimizer.feed(runner, ++step, optimizer.spec().lr()));
            net.updateOps().forEach(runner::addTarget);
            after.forEach(runner::addTarget);
            for (Operand<TFloat32> f : fetches) {
                runner.fetch(f);
            }
            try (var result = runner.run()) {
                float[][] out = new float[fetches.length][];
                for (int i = 0; i < fetches.length; i++) {
                    out[i] = Tensors.toFloats((TFloat32) result.get(i));
                }
                return out;
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /**
     * Checks an EMA target over one real step: moves every target variable away from its online
     * twin (so the initial copy cannot pass), steps at {@code progress} and asserts, for every
     * variable under the online scopes, {@code target = τ·old target + (1−τ)·updated online} within
     * 1e-5. BatchNorm moving statistics are skipped: a target BatchNorm run in training mode also
     * updates them itself in the same step. Fails if the step left the online weights unchanged.
     *
     * @param onlineToTarget online scope → target scope, e.g. {@code encoder → key_encoder}
     * @return how many variables were checked
     */
    public int assertMomentumStep(double progress, double tau, Map<String, String> onlineToTarget) {
        Map<String, String> twins = new LinkedHashMap<>();
        onlineToTarget.forEach((online, target) -> {
            for (Net.Var v : net.vars(Net.under(online))) {
                if (v.role() != Role.STATISTIC) {
                    twins.put(v.name(), target + v.name().substring(online.length()));
                }
            }
        });
        Map<String, float[]> oldTarget = new LinkedHashMap<>();
        read(v -> twins.containsValue(v.name())).forEach((name, w) -> {
            float[] moved = w.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += (float) (0.1 * Math.sin(7 * i + name.length()));
            }
            oldTarget.put(name, moved);
        });
        assign(oldTarget);
        Map<String, float[]> oldOnline = read(v -> twins.containsKey(v.name()));
        step(progress);
        Map<String, float[]> online = read(v -> twins.containsKey(v.name()));
        Map<String, float[]> target = read(v -> twins.containsValue(v.name()));
        boolean moved = false;
        for (Map.Entry<String, String> e : twins.entrySet()) {
            float[] o = online.get(e.getKey());
            float[] before = oldTarget.get(e.getValue());
            float[] after = target.get(e.getValue());
            for (int i = 0; i < o.length; i++) {
                assertEquals(tau * before[i] + (1 - tau) * o[i], after[i], 1e-5, e.getValue() + "[" + i + "]");
                moved |= o[i] != oldOnline.get(e.getKey())[i];
            }
        }
        assertTrue(moved, "the step did not change the online weights");
        return twins.size();
    }

    @Override
    public void close() {
        session.close();
        net.close();
    }

    private record Batch(int size, ImageShape shape, ImageShape[] viewShapes, float[][] views, SplittableRandom random,
                         long step) implements StepBatch {
        @Override
        public float[] view(int v) {
            return views[v];
        }

        @Override
        public ImageShape viewShape(int v) {
            return viewShapes[v];
        }
    }

    /** The view shapes {@code method}'s own pipelines ({@code augmentations(params)}, counts expanded) give. */
    public static ImageShape[] viewShapes(Method method, Params params, ImageShape shape) {
        List<Map<String, Object>> pipelines = method.augmentations(params);
        org.sslbench.spec.TrainSpec t = pipelines.size() > 1
                ? new org.sslbench.spec.TrainSpec(1, 1, null, null, Map.of(), pipelines)
                : new org.sslbench.spec.TrainSpec(1, 1, null, null, pipelines.isEmpty() ? Map.of() : pipelines.get(0));
        return org.sslbench.train.Augmenter.viewShapes(org.sslbench.train.Augmenter.perView(t, method.views(params)), shape);
    }
}
