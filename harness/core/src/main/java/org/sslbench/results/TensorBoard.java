package org.sslbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Scalars as TensorBoard event files, written by TensorFlow's own summary ops
 * ({@code CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code FlushSummaryWriter}), so
 * {@code tensorboard --logdir results/<spec>} shows them as it shows any TensorFlow run. One
 * writer per run directory; a small graph of its own, apart from the training graph.
 *
 * <pre>{@code
 * try (TensorBoard tb = TensorBoard.open(dir.resolve("tensorboard/pretext-rotation-seed0"))) {
 *     tb.scalar("pretext/loss", epoch, loss);
 * }
 * }</pre>
 */
public final class TensorBoard implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final Placeholder<TInt64> step;
    private final Placeholder<TString> tag;
    private final Placeholder<TFloat32> value;
    private final Op write;
    private final Op flush;
    private final Op close;

    private TensorBoard(Path dir) {
        graph = new Graph();
        Ops tf = Ops.create(graph);
        SummaryWriter writer = tf.summary.summaryWriter(SummaryWriter.sharedName("sslbench"));
        Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()),
                tf.constant(10), tf.constant(1000), tf.constant(".sslbench"));
        step = tf.placeholder(TInt64.class);
        tag = tf.placeholder(TString.class);
        value = tf.placeholder(TFloat32.class);
        write = tf.summary.writeScalarSummary(writer, step, tag, value);
        flush = tf.summary.flushSummaryWriter(writer);
        close = tf.summary.closeSummaryWriter(writer);
        session = new Session(graph);
        session.runner().addTarget(create).run();
    }

    /**
     * Opens (creating the directory) an event-file writer in {@code dir}. Event files already in
     * {@code dir} (the sslbench-written ones, {@code events.out.tfevents.*.sslbench}) are deleted
     * first: a run directory holds one run, and a recomputed run (a retried cell, a retrained
     * pretext) would otherwise leave TensorBoard two curves under one name.
     *
     * @throws IOException when the directory cannot be created or an old event file removed
     */
    public static TensorBoard open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.newDirectoryStream(dir, "events.out.tfevents.*.sslbench")) {
            for (Path f : old) {
                Files.deleteIfExists(f);
            }
        }
        return new TensorBoard(dir);
    }

    /** One scalar: {@code tag} (e.g. "pretext/loss") at {@code step} (e.g. the 1-based epoch). */
    public void scalar(String tag, long step, double value) {
        if (!Double.isFinite(value)) {
            return; // a metric that was not measured (NaN) is left out, as TensorBoard cannot plot it
        }
        try (TInt64 s = TInt64.scalarOf(step); TString t = TString.scalarOf(tag); TFloat32 v = TFloat32.scalarOf((float) value)) {
            session.runner().feed(this.step, s).feed(this.tag, t).feed(this.value, v).addTarget(write).run();
        }
    }

    /** Flushes and closes the event file, then the graph. */
    @Override
    public void close() {
        try {
            session.runner().addTarget(flush).run();
            session.runner().addTarget(close).run();
        } finally {
            session.close();
            graph.close();
        }
    }
}
