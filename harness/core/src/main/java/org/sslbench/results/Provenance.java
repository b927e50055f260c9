package org.sslbench.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Where and with what a cell was run: the provenance columns of cells.csv. Capture once per run
 * (git is a subprocess) and call {@link #now()} for each row's timestamp.
 *
 * @param gitCommit       12-char commit of the working directory, {@code -dirty} if modified, or {@code unknown}
 * @param sslbenchVersion jar manifest Implementation-Version, else the Maven pom.properties version, else {@code dev}
 * @param tfVersion       {@code TensorFlow.version()}, or {@code unknown} when TF cannot be loaded
 * @param device          e.g. {@code cpu} or {@code gpu:0}, as chosen by the runner
 * @param threads         intra-op threads the runner configured
 * @param timestamp       when the row was written, UTC, millisecond precision
 */
public record Provenance(String gitCommit, String sslbenchVersion, String tfVersion, String javaVersion,
                         String os, String arch, String device, int threads, Instant timestamp) {
    static final String UNKNOWN = GitState.UNKNOWN;
    static final String DEV_VERSION = "dev";
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(10);

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

    /** Provenance of this process, git state of the current directory. Never throws. */
    public static Provenance capture(String device, int threads) {
        return capture(device, threads, Path.of(""), Provenance::tensorFlowVersion);
    }

    /**
     * As {@link #capture(String, int)} for a given working directory and TF version source, so
     * callers (and tests) that must not load the TF natives can pass their own supplier. A supplier
     * that throws yields {@code unknown}.
     */
    public static Provenance capture(String device, int threads, Path workDir, Supplier<String> tfVersion) {
        return new Provenance(
                GitState.describe(workDir.toAbsolutePath(), GIT_TIMEOUT),
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

    private static String packagedVersion() {
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
