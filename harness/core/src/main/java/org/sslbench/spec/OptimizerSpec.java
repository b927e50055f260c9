package org.sslbench.spec;

/**
 * @param name        {@code adam} or {@code sgd} (SGD with momentum)
 * @param lr          base learning rate
 * @param momentum    SGD momentum (ignored by Adam)
 * @param weightDecay L2 penalty on weights (kernels only, not BatchNorm or biases)
 * @param nesterov    Nesterov momentum for SGD
 */
public record OptimizerSpec(String name, double lr, double momentum, double weightDecay, boolean nesterov) {
}
