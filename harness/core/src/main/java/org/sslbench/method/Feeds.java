package org.sslbench.method;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Values for a method's own placeholders for one step; the harness owns and closes the tensors. */
public interface Feeds {
    /** The first {@code shape}-product values of {@code data}. */
    void floats(Operand<TFloat32> input, float[] data, long... shape);

    void ints(Operand<TInt32> input, int[] data, long... shape);
}
