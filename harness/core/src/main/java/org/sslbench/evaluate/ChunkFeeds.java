package org.sslbench.evaluate;

import org.sslbench.train.StepPrefetcher;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The input tensors of an inference pass over a {@link ClassifierTraining.Source} in fixed-size
 * chunks (rows {@code order[k·chunk ..]}, in order, no augmentation): chunk k+1 is filled on a
 * prefetch thread ({@link StepPrefetcher}) while TensorFlow runs chunk k, into one of two tensors
 * allocated once (a third pair for a shorter last chunk), so neither the conversion nor tensor
 * allocation waits on the session. A source with a normalised copy in index order
 * ({@link ClassifierTraining.Source#rows()}) is copied straight into the tensor.
 *
 * <p>The values fed are exactly those the source's {@code fill} writes, in chunks of the same
 * size as before, so results do not change. The tensors belong to this object: valid until the
 * next {@link #next()}, closed by {@link #close()}.
 */
final class ChunkFeeds implements AutoCloseable {
    /** One chunk: {@code rows} rows from position {@code from} of the order; y null without labels. */
    record Chunk(int from, int rows, TFloat32 x, TInt32 y) {
    }

    private final ClassifierTraining.Source source;
    private final int[] order;
    private final int chunk;
    private final int chunks;
    private final boolean labels;
    private final float[] normalized;
    /** Staging for sources without a normalised copy; touched by the prefetch thread only. */
    private float[] buffer;
    /** [slot] for full chunks, [2] for the shorter last one. */
    private final TFloat32[] xs = new TFloat32[3];
    private final TInt32[] ys = new TInt32[3];
    private final StepPrefetcher<Chunk> prefetcher;
    private int taken;

    /**
     * @param order  row indices to read, or null for 0 .. size-1
     * @param labels whether to feed the labels too
     */
    ChunkFeeds(ClassifierTraining.Source source, int[] order, int chunk, boolean labels) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.source = source;
        int n = order == null ? source.size() : order.length;
        this.order = order == null ? identity(n) : order;
        this.chunk = chunk;
        this.chunks = (n + chunk - 1) / chunk;
        this.labels = labels;
        this.normalized = order == null ? source.rows() : null;
        this.prefetcher = new StepPrefetcher<>(chunks, this::prepare);
    }

    int chunks() {
        return chunks;
    }

    /** The next chunk, or null after the last. */
    Chunk next() {
        if (taken >= chunks) {
            return null;
        }
        taken++;
        return prefetcher.next().data();
    }

    private Chunk prepare(long k) {
        int from = (int) k * chunk;
        int m = Math.min(chunk, order.length - from);
        int slot = m == chunk ? (int) (k % 2) : 2;
        int rowSize = source.rowSize();
        if (xs[slot] == null) {
            xs[slot] = TFloat32.tensorOf(shape(m, source.rowShape()));
            if (labels) {
                ys[slot] = TInt32.tensorOf(Shape.of(m));
            }
        }
        if (normalized != null) {
            xs[slot].copyFrom(DataBuffers.of(normalized, true, false).slice((long) from * rowSize, (long) m * rowSize));
        } else {
            if (buffer == null) {
                buffer = new float[Math.min(chunk, order.length) * rowSize];
            }
            source.fill(order, from, m, buffer, null);
            xs[slot].copyFrom(DataBuffers.of(buffer, true, false).narrow((long) m * rowSize));
        }
        if (labels) {
            ys[slot].copyFrom(DataBuffers.of(source.labels(order, from, m), true, false));
        }
        return new Chunk(from, m, xs[slot], labels ? ys[slot] : null);
    }

    @Override
    public void close() {
        prefetcher.close(); // waits for a chunk still being written before its tensors go
        for (int i = 0; i < 3; i++) {
            if (xs[i] != null) {
                xs[i].close();
            }
            if (ys[i] != null) {
                ys[i].close();
            }
        }
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    static Shape shape(int rows, long[] rowShape) {
        long[] s = new long[rowShape.length + 1];
        s[0] = rows;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return Shape.of(s);
    }
}
