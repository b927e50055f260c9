package org.sslbench.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Weight initialisers computed in Java from a seeded RNG, so that a seed fixes the initial
 * weights bit for bit whatever TensorFlow's own random kernels do.
 */
@FunctionalInterface
public interface Init {
    /** Fills a new array of {@code size} values for a variable with the given fan-in/fan-out. */
    float[] values(int size, int fanIn, int fanOut, SplittableRandom rng);

    static Init constant(float v) {
        return (size, fanIn, fanOut, rng) -> {
            float[] out = new float[size];
            Arrays.fill(out, v);
            return out;
        };
    }

    static Init zeros() {
        return constant(0f);
    }

    static Init ones() {
        return constant(1f);
    }

    /** He (Kaiming) normal, std = sqrt(2 / fanIn): Keras resnet_v1 and torchvision convs. */
    static Init heNormal() {
        return (size, fanIn, fanOut, rng) -> gaussian(size, Math.sqrt(2.0 / fanIn), rng);
    }

    /** Glorot (Xavier) uniform, limit = sqrt(6 / (fanIn + fanOut)): Keras' default for Dense/Conv. */
    static Init glorotUniform() {
        return (size, fanIn, fanOut, rng) -> {
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
            }
            return out;
        };
    }

    private static float[] gaussian(int size, double std, SplittableRandom rng) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            // Box-Muller: SplittableRandom has no nextGaussian in Java 17.
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            out[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return out;
    }
}
