package org.sslbench.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow graph plus the registry of its float variables.
 *
 * <p>Every variable gets an assign-from-placeholder op, so weights are set from Java: seeded
 * initial values (bit-identical per seed), encoder checkpoints and EMA copies all go through the
 * same path. BatchNorm moving-statistic updates made while building are collected in
 * {@link #updateOps()} for the training step to run.
 */
public final class Net implements AutoCloseable {
    /** A registered variable with how to (re)initialise it. */
    public record Var(String name, Variable<TFloat32> variable, long[] shape, Init init, Role role,
                      int fanIn, int fanOut, Placeholder<TFloat32> value, Assign<TFloat32> assign) {
        public int size() {
            return Math.toIntExact(Shape.of(shape).size());
        }
    }

    private final Graph graph;
    private final Ops tf;
    private final Map<String, Var> vars = new LinkedHashMap<>();
    private final List<Op> updateOps = new ArrayList<>();

    public Net() {
        this.graph = new Graph();
        this.tf = Ops.create(graph);
    }

    public Graph graph() {
        return graph;
    }

    public Ops tf() {
        return tf;
    }

    /**
     * Creates a float variable named {@code name} (slash-separated scopes allowed).
     *
     * @param fanIn  inputs per output unit (for He/Glorot); fanOut likewise
     */
    public Variable<TFloat32> variable(String name, Init init, Role role, int fanIn, int fanOut, long... shape) {
        if (vars.containsKey(name)) {
            throw new IllegalArgumentException("variable " + name + " already exists");
        }
        Ops scoped = scoped(name);
        Variable<TFloat32> v = scoped.variable(Shape.of(shape), TFloat32.class);
        Placeholder<TFloat32> value = tf.withName(name.replace('/', '_') + "_value")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        Assign<TFloat32> assign = tf.withName(name.replace('/', '_') + "_assign").assign(v, value);
        vars.put(name, new Var(name, v, shape.clone(), init, role, fanIn, fanOut, value, assign));
        return v;
    }

    /** An Ops whose next op is called by the last path element, inside the preceding scopes. */
    private Ops scoped(String path) {
        Ops scoped = tf;
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            scoped = scoped.withSubScope(parts[i]);
        }
        return scoped.withName(parts[parts.length - 1]);
    }

    public Var var(String name) {
        Var v = vars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no variable " + name);
        }
        return v;
    }

    public List<Var> vars(Predicate<Var> filter) {
        List<Var> out = new ArrayList<>();
        for (Var v : vars.values()) {
            if (filter.test(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Variables whose name starts with {@code prefix + "/"}. */
    public static Predicate<Var> under(String prefix) {
        return v -> v.name().startsWith(prefix + "/");
    }

    public static Predicate<Var> trainable() {
        return v -> v.role().trainable;
    }

    /** Registers an op to run with every training step (BatchNorm statistics). */
    public void addUpdateOp(Op op) {
        updateOps.add(op);
    }

    public List<Op> updateOps() {
        return Collections.unmodifiableList(updateOps);
    }

    /**
     * Sets every variable to its initial value. Each variable's RNG is derived from the seed and
     * its name, so adding a variable elsewhere does not change the others' initial weights.
     */
    public void initialize(Session session, long seed) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Var v : vars.values()) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + v.name().hashCode());
            values.put(v.name(), v.init().values(v.size(), v.fanIn(), v.fanOut(), rng));
        }
        assign(session, values);
    }

    /** Assigns the given values by variable name; sizes must match. Unknown names are an error. */
    public void assign(Session session, Map<String, float[]> values) {
        // Feeds are batched so a large model is set in a few runs without holding all tensors at once.
        final long maxBatchValues = 8L << 20;
        List<Tensor> open = new ArrayList<>();
        Session.Runner runner = session.runner();
        long pending = 0;
        try {
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                Var v = var(e.getKey());
                if (e.getValue().length != v.size()) {
                    throw new IllegalArgumentException("variable " + v.name() + " has " + v.size()
                            + " values, got " + e.getValue().length);
                }
                TFloat32 t = Tensors.floats(e.getValue(), v.shape());
                open.add(t);
                runner.feed(v.value(), t).addTarget(v.assign());
                pending += v.size();
                if (pending >= maxBatchValues) {
                    runner.run().close();
                    closeAll(open);
                    runner = session.runner();
                    pending = 0;
                }
            }
            if (!runner.isEmpty()) {
                runner.run().close();
            }
        } finally {
            closeAll(open);
        }
    }

    /** Current values of the selected variables, by name, in registration order. */
    public Map<String, float[]> read(Session session, Predicate<Var> filter) {
        List<Var> selected = vars(filter);
        Map<String, float[]> out = new LinkedHashMap<>();
        if (selected.isEmpty()) {
            return out;
        }
        Session.Runner runner = session.runner();
        for (Var v : selected) {
            runner.fetch(v.variable());
        }
        try (var result = runner.run()) {
            for (int i = 0; i < selected.size(); i++) {
                out.put(selected.get(i).name(), Tensors.toFloats((TFloat32) result.get(i)));
            }
        }
        return out;
    }

    /** Total number of values in the selected variables. */
    public long count(Predicate<Var> filter) {
        long n = 0;
        for (Var v : vars(filter)) {
            n += v.size();
        }
        return n;
    }

    /** Operands of the selected variables, for gradients and optimizers. */
    public List<Operand<TFloat32>> operands(Predicate<Var> filter) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (Var v : vars(filter)) {
            out.add(v.variable());
        }
        return out;
    }

    private static void closeAll(List<Tensor> tensors) {
        for (Tensor t : tensors) {
            t.close();
        }
        tensors.clear();
    }

    @Override
    public void close() {
        graph.close();
    }
}
