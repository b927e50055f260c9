package org.sslbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sslbench.data.ArrayImageSet;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Classifier;
import org.sslbench.engine.Devices;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Flops;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Optimizer;
import org.sslbench.engine.Precision;
import org.sslbench.engine.Sessions;
import org.sslbench.engine.Tensors;
import org.sslbench.engine.backbones.ResNet20;
import org.sslbench.evaluate.EncoderFeatures;
import org.sslbench.method.Method;
import org.sslbench.method.Params;
import org.sslbench.results.AtomicFiles;
import org.sslbench.results.CsvTable;
import org.sslbench.run.Registries;
import org.sslbench.spec.OptimizerSpec;
import org.sslbench.spec.ScheduleSpec;
import org.sslbench.spec.TrainSpec;
import org.sslbench.train.Augmenter;
import org.sslbench.train.Batches;
import org.sslbench.train.Normalizer;
import org.sslbench.train.PretextTrainer;
import org.sslbench.train.TrainingContext;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmarks (not tests): throughput of the real code paths on synthetic CIFAR-shaped data,
 * warm-up excluded, median of repeats, machine and thread settings recorded, as a CSV.
 * With {@code --peer}, alternates our ResNet-20 train step with a peer script (PyTorch) in one
 * run and prints the ratio.
 *
 * <p>Roofline: the run first measures TensorFlow's own GEMM rate in fp32 and, where the CPU
 * supports it, bf16 ({@link GemmRoofline}, rows {@code gemm-<precision>-<n>}). Each train and
 * inference row then carries its model FLOPs per image ({@link Flops} on the graph it runs:
 * convolutions and matmuls, forward and backward), the achieved GFLOP/s (img/s × GFLOP/img) and
 * the utilisation: achieved ÷ the GEMM rate of the same precision, in percent. The ResNet-20 step
 * and the encoder inference run in fp32 and bf16 by default ({@code --precision} picks one) and
 * the bf16 ÷ fp32 speed-up of the same run is a row of its own.
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Throughput benchmarks: train steps, data pipeline, inference, graph build, peak RSS -> results/perf/perf.csv")
final class PerfCommand implements Callable<Integer> {
    private static final ImageShape CIFAR = new ImageShape(32, 32, 3);
    /** Case name of the supervised ResNet-20 step, followed by the batch size; {@link PerfLevers} parses it. */
    static final String TRAIN_CASE_PREFIX = "train-resnet20-b";
    /** The issue-16 target for the ResNet-20 step, printed next to its utilisation. */
    static final String UTILISATION_TARGET = "(target >= 70 % of GEMM)";
    /** Shortest timed sample of the GEMM roofline, so a small n still gives a stable rate. */
    static final double GEMM_MIN_SAMPLE_SECONDS = 0.2;
    /** Images per session run of the encoder-alone inference cases (the old scoring chunk). */
    static final int INFERENCE_CHUNK = 256;

    /** The names {@code --case} is matched against (a case runs when its name contains the value). */
    static final List<String> CASES = List.of("gemm", "train-resnet20", "train-simclr", "train-byol", "data-pipeline",
            "inference", "matrix", "graph-build", "folder-decode", "stl10-memory");

    @Option(names = "--repeats", description = "measured repeats per case (median reported)", defaultValue = "5")
    int repeats;

    @Option(names = "--warmup", description = "repeats run first and discarded", defaultValue = "1")
    int warmup;

    @Option(names = "--steps", description = "train steps per repeat", defaultValue = "5")
    int steps;

    @Option(names = "--case", description = "only cases whose name contains this")
    String only;

    @Option(names = "--threads", description = "TensorFlow intra-op threads (0 = all cores)", defaultValue = "0")
    int threads;

    @Option(names = "--inter-threads", description = "TensorFlow inter-op threads (0 = TensorFlow's default)", defaultValue = "0")
    int interThreads;

    @Option(names = "--xla", description = "XLA JIT (global_jit_level ON_1)")
    boolean xla;

    @Option(names = "--grappler", description = "graph optimizer: default, off, no-remap (no fused ops)", defaultValue = "default")
    String grappler;

    @Option(names = "--reuse-feeds", description = "ResNet-20 step: copy each batch into tensors allocated once instead of fresh ones")
    boolean reuseFeeds;

    @Option(names = "--batch", description = "ResNet-20 step: batch size", defaultValue = "256")
    int batch;

    @Option(names = "--precision", paramLabel = "fp32|bf16", description = "ResNet-20 step and inference: this precision"
            + " only (default: fp32 and, where the CPU supports it, bf16, with the bf16/fp32 speed-up)")
    String precision;

    @Option(names = "--gemm-size", paramLabel = "N", description = "roofline: N x N by N x N MatMul (0 = no roofline,"
            + " no utilisation)", defaultValue = "2048")
    int gemmSize;

    @Option(names = "--scratch", description = "stl10-memory case: where to write the 2.8 GB STL-10-shaped file (deleted after)")
    Path scratch = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--stream-stl10", hidden = true, description = "child of the stl10-memory case: stream this data dir, print RSS")
    Path streamStl10;

    @Option(names = "--folder", paramLabel = "DIR", description = "folder-decode case: an image folder with train/ and"
            + " test/ class directories (default: ../shared/data/cifar-10-jpeg/cifar-10-jpeg.zip unpacked to a temporary"
            + " directory, when that file exists)")
    Path folder;

    @Option(names = "--levers", description = "measure each speed lever on the ResNet-20 step, each in its own JVM, rounds alternating -> levers.csv")
    boolean levers;

    @Option(names = "--out", description = "output directory", defaultValue = "results/perf")
    Path out;

    @Option(names = "--peer", paramLabel = "SCRIPT", description = "python peer script to alternate with (e.g. bench/peers/pytorch_resnet20.py)")
    Path peer;

    @Option(names = "--rounds", description = "with --peer or --levers: alternating rounds", defaultValue = "3")
    int rounds;

    @Option(names = "--python", description = "with --peer: the interpreter that has PyTorch", defaultValue = "python3")
    String python;

    /** One perf.csv row; the FLOP columns are empty for cases without a model. */
    private record Row(String name, String value, String unit, String precision, String gflopPerImage, String gflops,
                       String utilisation) {
    }

    private final List<Row> rows = new ArrayList<>();
    /** The measured GEMM GFLOP/s per precision of this run (absent: not measured or unsupported). */
    private final java.util.Map<Precision, Double> gemm = new EnumMap<>(Precision.class);
    private String device;

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        Sessions.Grappler grapplerSetting;
        try {
            grapplerSetting = Sessions.Grappler.parse(grappler);
        } catch (IllegalArgumentException e) {
            System.err.println("sslbench: --grappler: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try {
            precisions();
        } catch (IllegalArgumentException e) {
            System.err.println("sslbench: --precision: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (gemmSize < 0) {
            System.err.println("sslbench: --gemm-size: " + gemmSize + " is negative; give N > 0 for an N x N MatMul, or 0 for no roofline");
            return Main.BAD_INPUT;
        }
        if (only != null && peer == null && !levers && streamStl10 == null
                && CASES.stream().noneMatch(c -> c.contains(only))) {
            System.err.println("sslbench: --case " + only + " matches no case (a case runs when its name contains the"
                    + " value); cases: " + String.join(", ", CASES));
            return Main.BAD_INPUT;
        }
        if (levers) {
            return new PerfLevers(this, o).run();
        }
        if (streamStl10 != null) {
            return Stl10Memory.stream(streamStl10, o);
        }
        Sessions.configure(threads, interThreads);
        Sessions.xla(xla);
        Sessions.grappler(grapplerSetting);
        try {
            return measure(o);
        } finally {
            // Process-wide settings: later commands in this JVM (tests) get the defaults back.
            Sessions.configure(0, 0);
            Sessions.xla(false);
            Sessions.grappler(Sessions.Grappler.DEFAULT);
        }
    }

    private int measure(PrintStream o) throws Exception {
        o.printf("perf: %s, %d cores, TF %s, Java %s, CPU kernels %s, threads intra %s / inter %s, XLA %s, grappler %s%n",
                cpuModel(), Runtime.getRuntime().availableProcessors(), TensorFlow.version(), System.getProperty("java.version"),
                Devices.cpuKernels(), threads == 0 ? "default" : threads, interThreads == 0 ? "default" : interThreads,
                xla ? "on" : "off", grappler);
        device = Devices.detect(o);
        if (peer != null) {
            return comparePeer(o);
        }
        boolean modelCases = want("train-resnet20") || want("train-simclr") || want("train-byol") || want("inference");
        if (want("gemm") || modelCases) {
            roofline();
        }
        if (want("train-resnet20")) {
            trainCases();
        }
        Registries registries = SpecOptions.injector(null, o).getInstance(Registries.class);
        for (String m : List.of("simclr", "byol")) {
            if (want("train-" + m)) {
                Method method = registries.methodRegistry().get(m);
                double[] rateAndWait = pretext(method, 128);
                recordModel("train-" + m + "-2x128-resnet20", rateAndWait[0], "img/s", Precision.FP32,
                        pretextFlopsPerImage(method, 128) / 1e9, "");
                record("train-" + m + "-2x128-data-wait", 100 * rateAndWait[1], "% of step time");
            }
        }
        if (want("data-pipeline")) {
            record("data-pipeline-simclr-2views", dataPipeline(registries.methodRegistry().get("simclr"), 256), "img/s");
        }
        if (want("inference")) {
            // The scoring path itself (EncoderFeatures: fill + normalise + run, fp32) ...
            recordModel("inference-resnet20", inference(2048), "img/s", Precision.FP32,
                    inferenceFlops() / 1e9, "");
            inferenceCases();
        }
        if (want("matrix")) {
            // A whole small spec through bench (specs/perf/matrix-small.yaml), its wall time split
            // so that a regression shows where it comes from; one run, not a median.
            MatrixPerf.Result m = MatrixPerf.measure(new PrintStream(java.io.OutputStream.nullOutputStream()));
            String spec = "s (" + MatrixPerf.SPEC + ", " + m.cells() + " cells, one run)";
            record("matrix-pretext", m.pretext(), spec);
            record("matrix-downstream-training", m.downstreamTraining(), spec);
            record("matrix-evaluation", m.evaluation(), spec);
            record("matrix-io", m.io(), spec);
            record("matrix-other", m.other(), spec);
            record("matrix-total", m.total(), spec);
        }
        if (want("graph-build")) {
            record("graph-build-resnet20-train", graphBuildMillis(), "ms");
        }
        if (want("folder-decode")) {
            FolderDecodePerf.Result f = FolderDecodePerf.measure(folder, o);
            if (f != null) {
                record("folder-decode-" + f.images() + "-images", f.decodeSeconds(), "s (target <= 60 on 2 cores)");
                record("folder-decode-rate", f.images() / f.decodeSeconds(), "img/s");
                record("folder-reuse-" + f.images() + "-images", f.reuseSeconds(), "s (target <= 2)");
            }
        }
        if (want("stl10-memory")) {
            Stl10Memory.Result m = Stl10Memory.measure(scratch, o);
            if (m != null) {
                record("stl10-unlabeled-100k-peak-rss", m.peakRssMb(), "MB");
                record("stl10-unlabeled-100k-anon-rss", m.anonRssMb(), "MB");
                record("stl10-unlabeled-100k-read", m.imagesPerSecond(), "img/s");
            }
        }
        record("peak-rss", peakRssMb(), "MB");
        write(o);
        return Main.OK;
    }

    private boolean want(String name) {
        return only == null || name.contains(only);
    }

    /** Median of {@code repeats} measurements after {@code warmup} discarded ones. */
    private double median(java.util.function.DoubleSupplier measure) {
        for (int i = 0; i < warmup; i++) {
            measure.getAsDouble();
        }
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            v.add(measure.getAsDouble());
        }
        return median(v);
    }

    /** The middle value, or the mean of the two middle values of an even count. */
    static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private void record(String name, double value, String unit) {
        add(new Row(name, number(value), unit, "", "", "", ""), "");
    }

    // Small values (a data wait of a few thousandths of a percent) keep their digits.
    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, Math.abs(value) < 1 ? "%.4f" : "%.2f", value);
    }

    private void add(Row row, String note) {
        rows.add(row);
        System.out.printf(Locale.ROOT, "  %-36s %10s %s%s%n", row.name(), row.value(), row.unit(), note);
    }

    /**
     * A row of a case with a model: {@code rate} img/s, its FLOPs per image, achieved GFLOP/s and
     * utilisation against this run's GEMM rate of {@code p}; {@code target} is printed after it.
     */
    private void recordModel(String name, double rate, String unit, Precision p, double gflopPerImage, String target) {
        double achieved = rate * gflopPerImage;
        double utilisation = GemmRoofline.utilisationPercent(achieved, gemm.getOrDefault(p, Double.NaN));
        String note = String.format(Locale.ROOT, "   %.4f GFLOP/img, %.1f GFLOP/s", gflopPerImage, achieved)
                + (Double.isNaN(utilisation) ? ", no " + p.key() + " GEMM rate measured"
                : String.format(Locale.ROOT, " = %.1f %% of %s GEMM", utilisation, p.key()))
                + (target.isEmpty() ? "" : " " + target);
        add(new Row(name, number(rate), unit, p.key(), String.format(Locale.ROOT, "%.4f", gflopPerImage), number(achieved),
                number(utilisation)), note);
    }

    /** A case this machine cannot run in {@code p}: value {@code unsupported}, the reason as unit. */
    private void recordUnsupported(String name, Precision p, String reason) {
        add(new Row(name, "unsupported", reason, p.key(), "", "", ""), "");
    }

    /** The precisions of the ResNet-20 step and inference: --precision, else fp32 and bf16. */
    List<Precision> precisions() {
        return precision == null ? List.of(Precision.FP32, Precision.BF16) : List.of(Precision.parse(precision));
    }

    /** The precision {@code p} runs as here, or null after recording {@code name} as unsupported. */
    private Precision runnable(String name, Precision p) {
        Precision.Resolved r = Precision.effective(p, device);
        if (r.fellBack()) {
            recordUnsupported(name, p, r.reason());
            return null;
        }
        return p;
    }

    /** GEMM GFLOP/s in fp32 and, where supported, bf16 (rows gemm-fp32-N, gemm-bf16-N). */
    private void roofline() {
        if (gemmSize <= 0 || !gemm.isEmpty()) {
            return;
        }
        for (Precision p : List.of(Precision.FP32, Precision.BF16)) {
            String name = "gemm-" + p.key() + "-" + gemmSize;
            if (runnable(name, p) != null) {
                double rate = GemmRoofline.measure(p, gemmSize, Math.max(1, warmup), repeats, GEMM_MIN_SAMPLE_SECONDS);
                add(new Row(name, number(rate), "GFLOP/s", p.key(), "", "", ""),
                        "   (" + gemmSize + "x" + gemmSize + " MatMul, TensorFlow's own kernel)");
                if (p == Precision.BF16) {
                    // bf16 MatMul on bf16 tensors and an fp32 MatMul that grappler rewrites to bf16
                    // (as the train step runs) take different kernels: the roofline is the faster.
                    double amp = GemmRoofline.measure(p, gemmSize, Math.max(1, warmup), repeats, GEMM_MIN_SAMPLE_SECONDS, true);
                    add(new Row(name + "-rewritten", number(amp), "GFLOP/s", p.key(), "", "", ""),
                            "   (fp32 MatMul rewritten to bf16 by auto mixed precision, casts included)");
                    rate = Math.max(rate, amp);
                }
                gemm.put(p, rate);
            }
        }
    }

    /** The ResNet-20 step in each precision, then bf16 ÷ fp32 when both ran. */
    private void trainCases() {
        java.util.Map<Precision, Double> rates = new EnumMap<>(Precision.class);
        for (Precision p : precisions()) {
            String name = TRAIN_CASE_PREFIX + batch + "-supervised" + (p == Precision.FP32 ? "" : "-" + p.key());
            if (runnable(name, p) != null) {
                Step step = trainStep(batch, p);
                rates.put(p, step.imagesPerSecond());
                recordModel(name, step.imagesPerSecond(), "img/s", p, step.flopsPerImage() / 1e9, UTILISATION_TARGET);
            }
        }
        speedup(TRAIN_CASE_PREFIX + batch + "-bf16-speedup", rates);
    }

    /** The encoder alone in each precision (session runs on ready batches), then bf16 ÷ fp32. */
    private void inferenceCases() {
        java.util.Map<Precision, Double> rates = new EnumMap<>(Precision.class);
        for (Precision p : precisions()) {
            String name = "inference-resnet20-b" + INFERENCE_CHUNK + "-" + p.key();
            if (runnable(name, p) != null) {
                double rate = inferenceSession(2048, p);
                rates.put(p, rate);
                recordModel(name, rate, "img/s", p, inferenceFlops() / 1e9, "");
            }
        }
        speedup("inference-resnet20-b" + INFERENCE_CHUNK + "-bf16-speedup", rates);
    }

    private void speedup(String name, java.util.Map<Precision, Double> rates) {
        if (rates.containsKey(Precision.FP32) && rates.containsKey(Precision.BF16)) {
            add(new Row(name, number(rates.get(Precision.BF16) / rates.get(Precision.FP32)), "x (bf16 / fp32, same run)",
                    "bf16", "", "", ""), "");
        }
    }

    /** Images per second of a train step and the model FLOPs per image of its graph. */
    record Step(double imagesPerSecond, double flopsPerImage) {
    }

    /** The ops a session run of the step executes: every optimizer update and BN statistics update. */
    private static List<Operation> stepTargets(Optimizer opt, Net net) {
        List<Operation> targets = new ArrayList<>();
        opt.updates().forEach(u -> targets.add(u.op()));
        net.updateOps().forEach(u -> targets.add(u.op()));
        return targets;
    }

    /** A supervised ResNet-20 train step on a fixed random batch, as the peer script does. */
    private Step trainStep(int batch, Precision precision) {
        try (Net net = new Net()) {
            Layers layers = new Layers(net);
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            Encoder encoder = new ResNet20().create(layers, "encoder", CIFAR);
            Classifier head = Classifier.build(layers, "head", encoder.apply(x, true), encoder.featureDim(), 10);
            Optimizer opt = new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), head.loss(),
                    net.vars(Net.trainable()), "opt");
            double flops = Flops.of(net.graph(), stepTargets(opt, net), batch).perImage();
            float[] images = new float[batch * CIFAR.size()];
            int[] labels = new int[batch];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) r.nextDouble();
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = r.nextInt(10);
            }
            try (Session s = Sessions.open(net.graph(), precision);
                 TFloat32 reusedX = TFloat32.tensorOf(Shape.of(batch, 32, 32, 3));
                 TInt32 reusedY = TInt32.tensorOf(Shape.of(batch))) {
                net.initialize(s, 0);
                long[] step = {0};
                return new Step(median(() -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        // Either fresh tensors each step, as the trainer feeds them, or the batch
                        // copied into tensors allocated once: both copy the batch once per step.
                        TFloat32 xt = reuseFeeds ? reusedX : Tensors.floats(images, batch, 32, 32, 3);
                        TInt32 yt = reuseFeeds ? reusedY : Tensors.ints(labels, batch);
                        if (reuseFeeds) {
                            xt.copyFrom(DataBuffers.of(images, true, false));
                            yt.copyFrom(DataBuffers.of(labels, true, false));
                        }
                        Session.Runner runner = s.runner().feed(x, xt).feed(head.labels(), yt);
                        var feeds = opt.feed(runner, ++step[0], 1e-3);
                        net.updateOps().forEach(runner::addTarget);
                        runner.run().close();
                        feeds.forEach(org.tensorflow.Tensor::close);
                        if (!reuseFeeds) {
                            xt.close();
                            yt.close();
                        }
                    }
                    return (double) steps * batch * 1e9 / (System.nanoTime() - t0);
                }), flops);
            }
        }
    }

    /**
     * FLOPs per image of the pretext step {@link PretextTrainer} runs for {@code method} (same
     * context, objective and optimizer; the graph is built, not run): the optimizer's, the BN
     * statistics' and the method's after-step updates, per source image of a {@code batch}.
     */
    private double pretextFlopsPerImage(Method method, int batch) {
        Params params = Params.of(method, Map.of());
        TrainSpec spec = new TrainSpec(1, batch, new OptimizerSpec("adam", 1e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of(), method.augmentations(params));
        ImageShape[] viewShapes = Augmenter.viewShapes(Augmenter.perView(spec, method.views(params)), CIFAR);
        try (Net net = new Net()) {
            TrainingContext ctx = new TrainingContext(net, new ResNet20(), CIFAR, params, viewShapes, batch, steps, 1, 0,
                    spec.bnMomentumValue());
            org.sslbench.method.Objective objective = method.build(ctx);
            List<Net.Var> trainables = net.vars(v -> v.role().trainable && !ctx.isFrozen(v.name()));
            Optimizer opt = new Optimizer(net, spec.optimizer(), objective.loss(), trainables, "pretext_opt");
            List<Operation> targets = stepTargets(opt, net);
            objective.afterStep(net.tf().withControlDependencies(opt.updates())).forEach(u -> targets.add(u.op()));
            targets.add(objective.loss().op());
            return Flops.of(net.graph(), targets, batch).perImage();
        }
    }

    /** FLOPs per image of the eval-mode ResNet-20 encoder on 32×32×3 (the graph EncoderFeatures builds). */
    private static double inferenceFlops() {
        try (Net net = new Net()) {
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            Operand<TFloat32> features = new ResNet20().create(new Layers(net), PretextTrainer.ENCODER_SCOPE, CIFAR).apply(x, false);
            return Flops.of(net.graph(), List.of(features.op()), INFERENCE_CHUNK).perImage();
        }
    }

    /**
     * The eval-mode encoder's session alone in {@code precision}: {@code n} images in runs of
     * {@link #INFERENCE_CHUNK}, the batches built before timing (the rate the scoring path can reach).
     */
    private double inferenceSession(int n, Precision precision) {
        try (Net net = new Net()) {
            Placeholder<TFloat32> x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            Operand<TFloat32> features = new ResNet20().create(new Layers(net), PretextTrainer.ENCODER_SCOPE, CIFAR).apply(x, false);
            float[] images = new float[INFERENCE_CHUNK * CIFAR.size()];
            SplittableRandom r = new SplittableRandom(4);
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) r.nextDouble();
            }
            int runs = Math.max(1, n / INFERENCE_CHUNK);
            try (Session s = Sessions.open(net.graph(), precision);
                 TFloat32 batchTensor = Tensors.floats(images, INFERENCE_CHUNK, 32, 32, 3)) {
                net.initialize(s, 0);
                return median(() -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < runs; i++) {
                        s.runner().feed(x, batchTensor).fetch(features).run().close();
                    }
                    return (double) runs * INFERENCE_CHUNK * 1e9 / (System.nanoTime() - t0);
                });
            }
        }
    }

    private static ImageSet syntheticCifar(int n) {
        byte[] pixels = new byte[n * CIFAR.size()];
        new SplittableRandom(2).nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ArrayImageSet(CIFAR, pixels, labels);
    }

    /**
     * The real pretext trainer (data + augmentation on the prefetch thread + step), one epoch per
     * repeat: median img/s and median fraction of step time spent waiting for data.
     */
    private double[] pretext(Method method, int batch) {
        ImageSet pool = syntheticCifar(batch * steps);
        Batches batches = new Batches(pool, Normalizer.fit("none", pool), 0);
        TrainSpec spec = new TrainSpec(warmup + repeats, batch, new OptimizerSpec("adam", 1e-3, 0.9, 0, false),
                new ScheduleSpec("constant", 0, List.of(), List.of()), Map.of(), method.augmentations(Params.of(method, Map.of())));
        PretextTrainer.Result r = new PretextTrainer(new PrintStream(java.io.OutputStream.nullOutputStream()), true)
                .train(method, Params.of(method, Map.of()), new ResNet20(), spec, batches, 0);
        List<org.sslbench.train.EpochLog> measured = r.epochs().subList(warmup, r.epochs().size());
        return new double[] {median(measured.stream().map(e -> e.imagesPerSecond()).toList()),
                median(measured.stream().map(e -> e.dataWaitFraction()).toList())};
    }

    /** Decode + augment + batch, both views, no TensorFlow. */
    private double dataPipeline(Method method, int batch) {
        ImageSet pool = syntheticCifar(batch * 4);
        Batches batches = new Batches(pool, Normalizer.fit("pixel_mean", pool), 0);
        Augmenter[] augmenters = Augmenter.perView(new TrainSpec(1, batch, null, null, Map.of(),
                method.augmentations(Params.of(method, Map.of()))), 2);
        float[][] dst = {new float[batch * CIFAR.size()], new float[batch * CIFAR.size()]};
        int[] order = batches.order(0);
        return median(() -> {
            long t0 = System.nanoTime();
            for (int s = 0; s < 4; s++) {
                batches.fillViews(order, s * batch, batch, dst, augmenters, batches.random(0, s));
            }
            return 4.0 * batch * 1e9 / (System.nanoTime() - t0);
        });
    }

    private double inference(int n) {
        ImageSet set = syntheticCifar(n);
        Batches b = new Batches(set, Normalizer.fit("none", set), 0);
        Backbone backbone = new ResNet20();
        return median(() -> {
            try (EncoderFeatures f = new EncoderFeatures(backbone, null, 0, b, b)) {
                f.dim(); // builds the graph and initialises outside the timed part
                long t0 = System.nanoTime();
                f.test();
                return n * 1e9 / (System.nanoTime() - t0);
            }
        });
    }

    private double graphBuildMillis() {
        return median(() -> {
            long t0 = System.nanoTime();
            try (Net net = new Net()) {
                Layers layers = new Layers(net);
                var x = net.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
                Encoder e = new ResNet20().create(layers, "encoder", CIFAR);
                Classifier head = Classifier.build(layers, "head", e.apply(x, true), e.featureDim(), 10);
                new Optimizer(net, new OptimizerSpec("adam", 1e-3, 0.9, 0, false), head.loss(), net.vars(Net.trainable()), "opt");
            }
            return (System.nanoTime() - t0) / 1e6;
        });
    }

    /**
     * Alternates our ResNet-20 step (fp32, as the peer) and the peer's, in one run, and prints
     * ours/peer; with the roofline measured first, also our utilisation of the fp32 GEMM rate.
     */
    private int comparePeer(PrintStream o) throws IOException, InterruptedException {
        roofline();
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        double flops = 0;
        for (int round = 0; round < rounds; round++) {
            Step step = trainStep(batch, Precision.FP32);
            flops = step.flopsPerImage();
            ours.add(step.imagesPerSecond());
            PeerRun run;
            try {
                run = runPeer();
            } catch (IOException e) {
                System.err.println("sslbench: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            theirs.add(run.imagesPerSecond());
            o.printf(Locale.ROOT, "  round %d: ours %.1f img/s, peer %.1f img/s, ratio %.2f  (%s)%n", round + 1, ours.get(round),
                    run.imagesPerSecond(), ours.get(round) / run.imagesPerSecond(), run.firstLine());
        }
        double a = median(ours);
        double b = median(theirs);
        recordModel("train-resnet20-b256-ours", a, "img/s", Precision.FP32, flops / 1e9, UTILISATION_TARGET);
        record("train-resnet20-b256-peer", b, "img/s");
        add(new Row("ratio-ours-over-peer", number(a / b), "x", "", "", "", ""), "   (target >= 1.5x)");
        write(o);
        return Main.OK;
    }

    record PeerRun(double imagesPerSecond, String firstLine) {
    }

    /** One run of the peer script with this command's batch, steps, repeats and warm-up. */
    PeerRun runPeer() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, peer.toString(), "--batch", Integer.toString(batch), "--steps", Integer.toString(steps),
                "--repeats", Integer.toString(repeats), "--warmup", Integer.toString(warmup)).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("peer " + peer + " failed (exit " + p.exitValue() + "):\n" + text);
        }
        double rate = Double.parseDouble(text.lines().filter(l -> l.startsWith("img/s=")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("peer printed no img/s= line:\n" + text)).substring(6).trim());
        return new PeerRun(rate, text.lines().findFirst().orElse(""));
    }

    /** A command line that runs {@code sslbench args} in a fresh JVM with this JVM's options and class path. */
    static List<String> childJvm(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Deletes a scratch directory and everything below it. */
    static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return Double.NaN;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown cpu");
        } catch (IOException e) {
            return "unknown cpu";
        }
    }

    private void write(PrintStream o) throws IOException {
        Files.createDirectories(out);
        String stamp = java.time.Instant.now().toString();
        List<List<String>> records = new ArrayList<>();
        for (Row r : rows) {
            records.add(List.of(r.name(), r.value(), r.unit(), r.precision(), r.gflopPerImage(), r.gflops(), r.utilisation(),
                    Integer.toString(repeats), Integer.toString(warmup),
                    Integer.toString(steps), Devices.cpuKernels(), threads == 0 ? "default" : Integer.toString(threads),
                    interThreads == 0 ? "default" : Integer.toString(interThreads), Boolean.toString(xla), grappler,
                    Boolean.toString(reuseFeeds), Integer.toString(Runtime.getRuntime().availableProcessors()), cpuModel(),
                    TensorFlow.version(), System.getProperty("java.version"), stamp));
        }
        Path file = out.resolve((peer == null ? "perf" : "perf-peer") + (xla ? "-xla" : "") + ".csv");
        AtomicFiles.writeString(file, CsvTable.render(List.of("case", "value", "unit", "precision", "gflop_per_image",
                "gflops", "utilisation_percent", "repeats", "warmup", "steps",
                "cpu_kernels", "threads", "inter_threads", "xla", "grappler", "reuse_feeds", "cores", "cpu", "tf_version",
                "java_version", "timestamp"), records));
        o.println("wrote " + file);
    }
}
