package org.sslbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sslbench.engine.Devices;
import org.sslbench.engine.Precision;
import org.sslbench.results.AtomicFiles;
import org.sslbench.results.CsvTable;

/**
 * {@code perf --levers}: the supervised ResNet-20 train step under one speed lever at a time, each
 * in its own JVM (oneDNN is an environment switch read when TensorFlow loads), rounds alternating
 * so drift on a shared machine hits every lever alike. Prints the median of each and its ratio to
 * the make default and, with {@code --peer}, to PyTorch run in the same rounds; writes levers.csv.
 */
final class PerfLevers {
    /** One setting: extra {@code perf} options and the oneDNN switch. */
    record Lever(String name, String setting, boolean onednn, List<String> args) {
    }

    /** The make default is {@code oneDNN on}; every other lever changes one thing from it. */
    static final String REFERENCE = "make default";

    static final List<Lever> LEVERS = List.of(
            new Lever("kernels", "eigen (TF Java's default)", false, List.of()),
            new Lever(REFERENCE, "oneDNN, TF's thread and graph defaults", true, List.of()),
            new Lever("threads", "inter-op 1", true, List.of("--inter-threads", "1")),
            new Lever("threads", "intra-op 1, inter-op 2", true, List.of("--threads", "1", "--inter-threads", "2")),
            new Lever("grappler", "off", true, List.of("--grappler", "off")),
            new Lever("fused ops", "remapper off", true, List.of("--grappler", "no-remap")),
            new Lever("xla", "global JIT on", true, List.of("--xla")),
            new Lever("feeds", "reused tensors", true, List.of("--reuse-feeds")),
            new Lever("batch", "512", true, List.of("--batch", "512")),
            new Lever("precision", "bf16 (grappler auto mixed precision)", true, List.of("--precision", "bf16")));

    /** The precision lever's option; skipped where the CPU cannot run bf16. */
    private static final String PRECISION_OPTION = "--precision";

    private final PerfCommand perf;
    private final PrintStream out;
    /** {@link #LEVERS} that this machine can run (bf16 only where supported). */
    private List<Lever> levers = LEVERS;

    PerfLevers(PerfCommand perf, PrintStream out) {
        this.perf = perf;
        this.out = out;
    }

    int run() throws IOException, InterruptedException {
        // The children run oneDNN (Devices.ONEDNN_ENV=1) like this make-run parent: ask this JVM.
        Precision.Resolved bf16 = Precision.effective(Precision.BF16, Devices.detect(out));
        if (bf16.fellBack()) {
            out.println("perf --levers: no bf16 lever: " + bf16.reason());
            levers = LEVERS.stream().filter(l -> !l.args().contains(PRECISION_OPTION)).toList();
        }
        out.printf(Locale.ROOT, "perf --levers: %s, %d cores; %d levers%s x %d rounds, each run %d warm-up + %d repeats of %d steps%n",
                PerfCommand.cpuModel(), Runtime.getRuntime().availableProcessors(), levers.size(),
                perf.peer == null ? "" : " + PyTorch peer", perf.rounds, perf.warmup, perf.repeats, perf.steps);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        List<Double> peerRates = new ArrayList<>();
        Path scratch = Files.createTempDirectory("sslbench-levers"); // the children's own perf.csv files
        try {
            measure(rates, peerRates, scratch);
        } finally {
            PerfCommand.deleteTree(scratch);
        }
        return report(rates, peerRates);
    }

    private void measure(Map<String, List<Double>> rates, List<Double> peerRates, Path scratch)
            throws IOException, InterruptedException {
        for (int round = 1; round <= perf.rounds; round++) {
            for (Lever lever : levers) {
                double rate = runChild(lever, scratch);
                rates.computeIfAbsent(key(lever), k -> new ArrayList<>()).add(rate);
                out.printf(Locale.ROOT, "  round %d  %-12s %-40s %8.1f img/s%n", round, lever.name(), lever.setting(), rate);
                out.flush();
            }
            if (perf.peer != null) {
                double rate = perf.runPeer().imagesPerSecond();
                peerRates.add(rate);
                out.printf(Locale.ROOT, "  round %d  %-12s %-40s %8.1f img/s%n", round, "peer", "PyTorch " + perf.peer.getFileName(), rate);
                out.flush();
            }
        }
    }

    private int report(Map<String, List<Double>> rates, List<Double> peerRates) throws IOException {
        double reference = PerfCommand.median(rates.get(key(LEVERS.get(1))));
        double peer = peerRates.isEmpty() ? Double.NaN : PerfCommand.median(peerRates);
        List<List<String>> csv = new ArrayList<>();
        String cpu = PerfCommand.cpuModel();
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "%n%-12s %-40s %10s %12s %8s%n", "lever", "setting", "img/s", "vs default", "vs peer");
        for (Lever lever : levers) {
            List<Double> v = rates.get(key(lever));
            double m = PerfCommand.median(v);
            out.printf(Locale.ROOT, "%-12s %-40s %10.1f %11.2fx %7.2fx%n", lever.name(), lever.setting(), m, m / reference, m / peer);
            csv.add(List.of(lever.name(), lever.setting(), lever.onednn() ? "1" : "0", String.join(" ", lever.args()), fmt(m),
                    Integer.toString(v.size()), fmt(m / reference), fmt(m / peer), join(v), cpu, cores));
        }
        if (!peerRates.isEmpty()) {
            out.printf(Locale.ROOT, "%-12s %-40s %10.1f %11.2fx %7.2fx%n", "peer", "PyTorch, same layers/batch/optimizer", peer,
                    peer / reference, 1.0);
            csv.add(List.of("peer", "PyTorch " + perf.peer, "", perf.python, fmt(peer), Integer.toString(peerRates.size()),
                    fmt(peer / reference), "1", join(peerRates), cpu, cores));
        }
        Files.createDirectories(perf.out);
        Path file = perf.out.resolve("levers.csv");
        AtomicFiles.writeString(file, CsvTable.render(List.of("lever", "setting", "tf_enable_onednn_opts", "perf_options",
                "images_per_second_median", "rounds", "vs_make_default", "vs_peer", "all_rounds", "cpu", "cores"), csv));
        out.println("wrote " + file);
        return Main.OK;
    }

    private static String key(Lever l) {
        return l.name() + "|" + l.setting();
    }

    /** {@code perf --case train-resnet20} in a fresh JVM with this JVM's options and class path. */
    private double runChild(Lever lever, Path scratch) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("perf", "--case", "train-resnet20",
                "--repeats", Integer.toString(perf.repeats), "--warmup", Integer.toString(perf.warmup),
                "--steps", Integer.toString(perf.steps), "--out", scratch.toString(), "--gemm-size", "0"));
        if (!lever.args().contains(PRECISION_OPTION)) {
            cmd.addAll(List.of(PRECISION_OPTION, "fp32")); // one step per child: the lever's precision, else fp32
        }
        cmd.addAll(lever.args());
        ProcessBuilder pb = new ProcessBuilder(PerfCommand.childJvm(cmd)).redirectErrorStream(true);
        pb.environment().put(Devices.ONEDNN_ENV, lever.onednn() ? "1" : "0");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("lever " + lever.name() + " (" + lever.setting() + ") failed, exit " + p.exitValue() + ":\n" + text);
        }
        return trainRate(text).orElseThrow(() -> new IOException("lever " + lever.name() + " printed no "
                + PerfCommand.TRAIN_CASE_PREFIX + "… line:\n" + text));
    }

    /**
     * The img/s of the first {@code train-resnet20-b<batch>-supervised[-<precision>]} line with a
     * number of a perf run's output (not the speed-up row, not an {@code unsupported} row).
     */
    static java.util.OptionalDouble trainRate(String perfOutput) {
        return perfOutput.lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(t -> t.length > 1 && t[0].startsWith(PerfCommand.TRAIN_CASE_PREFIX) && t[0].contains("-supervised")
                        && t[1].matches("[0-9.]+"))
                .mapToDouble(t -> Double.parseDouble(t[1])).findFirst();
    }

    private static String join(List<Double> v) {
        return String.join(" ", v.stream().map(PerfLevers::fmt).toList());
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }
}
