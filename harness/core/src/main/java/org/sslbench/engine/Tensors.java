package org.sslbench.engine;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Java arrays to and from tensors. The caller closes the tensors it creates. */
public final class Tensors {
    private Tensors() {
    }

    public static TFloat32 floats(float[] data, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    /** The first {@code count} values of {@code data}, shaped {@code shape}. */
    public static TFloat32 floatsPrefix(float[] data, long... shape) {
        long n = Shape.of(shape).size();
        if (n == data.length) {
            return floats(data, shape);
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(shape));
        t.copyFrom(DataBuffers.of(data, true, false).narrow(n));
        return t;
    }

    public static TInt32 ints(int[] data, long... shape) {
        return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    public static TFloat32 scalar(float v) {
        return TFloat32.scalarOf(v);
    }

    public static float[] toFloats(TFloat32 t) {
        float[] out = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    public static float scalarValue(TFloat32 t) {
        return t.getFloat();
    }
}
