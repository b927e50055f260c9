package org.sslbench.engine;

/** Child-JVM entry for DevicesTest: prints {@link Devices#cpuKernels()} as the last stdout line. */
public final class DevicesProbe {
    private DevicesProbe() {
    }

    public static void main(String[] args) {
        System.out.println(Devices.cpuKernels());
    }
}
