package org.sslbench.results;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Where and with what a cell was run: the provenance columns of cells.csv. Capture once per run
 * and call {@link #now()} for each row's timestamp.
 *
 * @param gitCommit       the commit sslbench was built from ({@link BuildInfo#commit()}): 12 hex digits,
 *                        {@code <commit>-dirty sha256:<core hash>} for a build with uncommitted changes,
 *                        {@code unknown sha256:<core hash>} for a build outside git; not the git state of
 *                        the directory the run was started from
 * @param sslbenchVersion jar manifest Implementation-Version, else the Maven pom.properties version, else {@code dev}
 * @param tfVersion       {@code TensorFlow.version()}, or {@code unknown} when TF cannot be loaded
 * @param device          e.g. {@code cpu} or {@code gpu:0}, as chosen by the runner
 * @param threads         intra-op threads the runner configured
 * @param timestamp       when the row was written, UTC, millisecond precision
 */
public record Provenance(String gitCommit, String sslbenchVersion, String tfVersion, String javaVersion,
                         String os, String arch, String device, int threads, Instant timestamp) {
    static final String UNKNOWN = "unknown";
    static final String DEV_VERSION = "dev";

    public Provenance {
        gitCommit = CsvValues.text(gitCommit);
        sslbenchVersion = CsvValues.text(sslbenchVersion);
        tfVersion = CsvValues.text(tfVersion);
        javaVersion = CsvValues.text(javaVersion);
        os = CsvValues.text(os);
        arch = CsvValues.text(arch);
        device = CsvValues.text(device);
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** Provenance of this process and this sslbench build. Never throws. */
    public static Provenance capture(String device, int threads) {
        return capture(device, threads, Provenance::tensorFlowVersion);
    }

    /**
     * As {@link #capture(String, int)} with a given TF version source, so callers (and tests) that
     * must not load the TF natives can pass their own supplier. A supplier that throws yields
     * {@code unknown}.
     */
    public static Provenance capture(String device, int threads, Supplier<String> tfVersion) {
        return new Provenance(
                BuildInfo.commit(),
                packagedVersion(),
                safely(tfVersion),
                System.getProperty("java.version", UNKNOWN),
                System.getProperty("os.name", UNKNOWN) + " " + System.getProperty("os.version", ""),
                System.getProperty("os.arch", UNKNOWN),
                device, threads, stamp(Instant.now()));
    }

    /** This provenance with the timestamp set to now: call once per row. */
    public Provenance now() {
        return at(Instant.now());
    }

    public Provenance at(Instant time) {
        return new Provenance(gitCommit, sslbenchVersion, tfVersion, javaVersion, os, arch, device, threads,
                stamp(time));
    }

    // Millisecond precision is plenty for ordering rows and keeps the column readable.
    private static Instant stamp(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS);
    }

    private static String tensorFlowVersion() {
        return org.tensorflow.TensorFlow.version();
    }

    // LinkageError covers missing natives (UnsatisfiedLinkError), a missing TF jar
    // (NoClassDefFoundError) and a failing static initialiser.
    private static String safely(Supplier<String> supplier) {
        try {
            String v = supplier.get();
            return v == null || v.isBlank() ? UNKNOWN : v;
        } catch (LinkageError | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** This build's version: the jar manifest's Implementation-Version, else pom.properties, else {@code dev}. */
    public static String packagedVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v;
        }
        // The jar plugin always packs pom.properties, even when the manifest has no version entries.
        try (InputStream in = Provenance.class.getResourceAsStream(
                "/META-INF/maven/org.sslbench/sslbench-core/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version");
            }
        } catch (IOException | IllegalArgumentException e) {
            v = null;
        }
        return v == null || v.isBlank() ? DEV_VERSION : v;
    }
}
