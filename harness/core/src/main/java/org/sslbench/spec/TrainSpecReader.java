package org.sslbench.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a training block (pretext, finetune, linear) on top of a base {@link TrainSpec}: every
 * key left out keeps the base's value, recursively. With the documented defaults as base this
 * applies defaults; with the global pretext as base it is the per-method deep merge. Errors point
 * at the block being read, so a bad global value is reported once, at {@code pretext}.
 */
final class TrainSpecReader {
    /** The BatchNorm moving-average momentum of a block (TrainSpec#bnMomentum). */
    static final String BN_MOMENTUM = "bn_momentum";
    /** The compute precision of a block (TrainSpec#precision), over the top-level one. */
    static final String PRECISION = "precision";
    static final List<String> KEYS = List.of("epochs", "batch_size", "optimizer", "schedule", "augment", BN_MOMENTUM,
            PRECISION);
    private static final String BN_MOMENTUM_MEANING = "BatchNorm moving-average momentum m, Keras convention:"
            + " moving = m*moving + (1 - m)*batch, PyTorch's momentum is 1 - m; 1 would never update the statistics;"
            + " default " + Range.format(TrainSpec.DEFAULT_BN_MOMENTUM);
    static final Set<String> OPTIMIZERS = Set.of("adam", "sgd", "lars", "adamw");
    static final Set<String> SCHEDULES = Set.of("constant", "step", "cosine", "fixmatch_cosine");
    private static final List<String> OPTIMIZER_KEYS = List.of("name", "lr", "momentum", "weight_decay", "nesterov",
            "eta", "clip_lr", "exclude_bias_bn", "beta1", "beta2", "epsilon");
    /** Keys that only LARS reads (org.sslbench.engine.Optimizer). */
    private static final List<String> LARS_KEYS = List.of("eta", "clip_lr");
    /** Keys that only AdamW reads (org.sslbench.engine.Optimizer). */
    private static final List<String> ADAMW_KEYS = List.of("beta1", "beta2", "epsilon");
    private static final List<String> SCHEDULE_KEYS = List.of("name", "warmup_epochs", "milestones", "factors");

    private final Map<String, Class<?>> augmentations;
    private final DatasetValue datasets;

    /** Pretext blocks only: where the pretext pool comes from (TrainSpec#dataset). */
    static final String DATASET = "dataset";

    /** Reads a {@code pretext.dataset} value (a dataset name or map); validates it with its line. */
    @FunctionalInterface
    interface DatasetValue {
        DatasetRef read(YNode node) throws SpecException;
    }

    /**
     * Largest brightness / contrast / saturation strength s. The factor is drawn from
     * [max(0, 1 − s), 1 + s] (torchvision ColorJitter); at s = 2 a quarter of the draws are already
     * factor 0 (a blank or gray image) and the rest reach 3×, where every pixel above 1/3 saturates,
     * so larger strengths only destroy the images (SimCLR's strongest recipe uses 0.8). Unbounded,
     * 1e308 used to overflow to NaN pixels that the log then blamed on the loss.
     */
    static final double MAX_JITTER_STRENGTH = 2;

    /**
     * Most RandAugment transformations per image: one per kind of transformation
     * ({@link org.sslbench.train.RandAugment#OPS}); FixMatch uses 2. Draws are with replacement,
     * so a longer chain only repeats kinds (and compounds 0.05-factor brightness steps into a blank image).
     */
    static final int MAX_RANDAUGMENT_OPS = 14;

    /**
     * Values each augmentation can take effect with (org.sslbench.train.Augmenter): 0 turns one off;
     * below 0 it would silently be off too, and above the top it would act exactly as the top
     * (probabilities as 1, hue as 0.5 turns, crop areas above the image as no crop).
     */
    static final Map<String, Range> AUGMENT_RANGES = Map.ofEntries(
            Map.entry("crop", new Range(0, false, 1, false)),
            Map.entry("shift", new Range(0, false, 1, false)),
            Map.entry("jitter", new Range(0, false, 1, false)),
            Map.entry("grayscale", new Range(0, false, 1, false)),
            Map.entry("blur", new Range(0, false, 1, false)),
            Map.entry("solarize", new Range(0, false, 1, false)),
            Map.entry("brightness", new Range(0, false, MAX_JITTER_STRENGTH, false)),
            Map.entry("contrast", new Range(0, false, MAX_JITTER_STRENGTH, false)),
            Map.entry("saturation", new Range(0, false, MAX_JITTER_STRENGTH, false)),
            Map.entry("hue", new Range(0, false, 0.5, false)),
            Map.entry("randaugment", new Range(0, false, MAX_RANDAUGMENT_OPS, false)),
            Map.entry("cutout", new Range(0, false, 1, false)),
            Map.entry("crop_max", Range.FRACTION),
            Map.entry("size", Range.FRACTION));
    private static final Map<String, String> AUGMENT_MEANING = Map.ofEntries(
            Map.entry("crop", "minimum area fraction of the random resized crop; 0 = no crop"),
            Map.entry("shift", "largest translation as a fraction of the image size; 0 = no shift"),
            Map.entry("jitter", "probability of colour jitter"),
            Map.entry("grayscale", "probability of converting to gray"),
            Map.entry("blur", "probability of Gaussian blur"),
            Map.entry("solarize", "probability of solarizing"),
            Map.entry("brightness", "jitter strength: factor drawn from [max(0, 1 - s), 1 + s]; above 2 images are mostly blank or saturated"),
            Map.entry("contrast", "jitter strength: factor drawn from [max(0, 1 - s), 1 + s]; above 2 images are mostly blank or saturated"),
            Map.entry("saturation", "jitter strength: factor drawn from [max(0, 1 - s), 1 + s]; above 2 images are mostly gray or saturated"),
            Map.entry("hue", "jitter strength: hue shift in [-h, h] turns, 0.5 already reaches every hue"),
            Map.entry("randaugment", "RandAugment transformations per image, each drawn from FixMatch's 14 with a random"
                    + " magnitude (FixMatch: 2); 0 = off"),
            Map.entry("cutout", "largest side of the gray Cutout square as a fraction of the shorter image side"
                    + " (FixMatch: 0.5); 0 = off, 1 can hide the whole image"),
            Map.entry("crop_max", "maximum area fraction of the random resized crop, at least crop; default 1"),
            Map.entry("size", "view side as a fraction of the image's height and width (multi-crop's local crops,"
                    + " e.g. 0.43); default 1"));

    /**
     * Multi-crop keys (org.sslbench.train.Augmenter) whose default is stored as absent, so writing
     * the default keeps the hash of a spec that does not write it (as {@code bn_momentum}).
     */
    static final Map<String, Object> AUGMENT_DEFAULTS = Map.of("crop_max", 1.0, "size", 1.0, "count", 1);

    /** Where a pipeline is written: which multi-crop keys it may hold. */
    enum Pipeline {
        /** finetune's {@code augment}: the downstream protocols always use the whole image. */
        DOWNSTREAM,
        /** a pretext block's {@code augment}, shared by every view. */
        PRETEXT,
        /** one entry of a pretext block's {@code augment_views}. */
        VIEW
    }

    /**
     * Largest learning rate. Published recipes stay well below it: SimCLR's LARS lr 4.8 at batch
     * 4096 (0.3 × batch / 256), solo-learn's LARS recipes 0.3 × batch / 256 (≤ 4.8 at the largest
     * batches used), SGD 0.1–0.5 and Adam 1e-3 elsewhere. Above 10 plain SGD / Adam on this
     * harness's batches only diverges (lr 1e38 gave NaN weights recorded as a 9 % "result").
     */
    static final double MAX_LR = 10;

    /**
     * Optimizer values that can take effect: lr in (0, {@value #MAX_LR}]; weight decay in [0, 1]
     * (papers use 1e-6 to 1.5e-6 with LARS and 1e-4 to 5e-4 with SGD; at 1 the decay alone removes
     * lr × the whole weight every step); momentum in [0, 1) (1 never forgets a gradient); LARS eta
     * in (0, 1] (before momentum a LARS step moves a variable by at most lr·eta·‖w‖, You et al. 2017
     * eq. 6; the paper uses 0.001, solo-learn's configurations 0.02).
     */
    static final Map<String, Range> OPTIMIZER_RANGES = Map.of(
            "lr", new Range(0, true, MAX_LR, false),
            "weight_decay", new Range(0, false, 1, false),
            "momentum", Range.MOMENTUM,
            "eta", Range.FRACTION,
            "beta1", Range.MOMENTUM,
            "beta2", Range.MOMENTUM,
            "epsilon", Range.FRACTION);
    private static final Map<String, String> OPTIMIZER_MEANING = Map.of(
            "eta", "LARS trust coefficient: before momentum a step moves a variable by at most lr*eta times its own norm,"
                    + " so above 1 a step at lr 1 could overshoot the weights themselves; the LARS paper uses 0.001"
                    + " (the default), solo-learn's configurations 0.02",
            "lr", "learning rate; published recipes use at most about 5 (SimCLR LARS 4.8 at batch 4096), larger values only diverge",
            "weight_decay", "weight decay coefficient; published recipes use 1e-6 to 5e-4 (coupled L2 with sgd / lars),"
                    + " PyTorch's AdamW defaults to 1e-2; at 1 the decay alone wipes the weights",
            "momentum", "SGD momentum; 1 would never forget a gradient",
            "beta1", "AdamW first-moment decay; 1 would never forget a gradient; PyTorch's default 0.9",
            "beta2", "AdamW second-moment decay; 1 would never update the gradient scale; PyTorch's default 0.999",
            "epsilon", "AdamW term added to the bias-corrected gradient scale sqrt(v); 0 can divide by zero, near 1"
                    + " it turns AdamW into SGD; PyTorch's default 1e-8");

    TrainSpecReader(Map<String, Class<?>> augmentations) {
        this(augmentations, node -> {
            throw node.error("a pretext dataset cannot be given here");
        });
    }

    /** @param datasets reads {@value #DATASET} where a caller allows that key (pretext blocks) */
    TrainSpecReader(Map<String, Class<?>> augmentations, DatasetValue datasets) {
        this.augmentations = augmentations;
        this.datasets = datasets;
    }

    /** {@code node} may be null (key absent): then the base is returned unchanged. */
    TrainSpec read(YNode node, TrainSpec base) throws SpecException {
        return read(node, base, List.of());
    }

    /** As {@link #read(YNode, TrainSpec)}, allowing {@code extraKeys} the caller reads itself. */
    TrainSpec read(YNode node, TrainSpec base, List<String> extraKeys) throws SpecException {
        if (node == null) {
            return base;
        }
        YMap m = node.map(keys(extraKeys), "key");
        // Only pretext blocks take augment_views; they alone may make views smaller than the image.
        Pipeline shared = extraKeys.contains(AUGMENT_VIEWS) ? Pipeline.PRETEXT : Pipeline.DOWNSTREAM;
        // `augment` overrides its keys in every view's pipeline; `augment_views` then per view.
        Map<String, Object> augment = base.augment();
        List<Map<String, Object>> views = base.augmentViews();
        if (m.has("augment")) {
            if (views.isEmpty()) {
                augment = augment(m.get("augment"), augment, shared);
            } else {
                List<Map<String, Object>> merged = new ArrayList<>();
                for (Map<String, Object> v : views) {
                    merged.add(augment(m.get("augment"), v, shared));
                }
                views = List.copyOf(merged);
            }
        }
        if (m.has(AUGMENT_VIEWS)) {
            List<Map<String, Object>> perView = new ArrayList<>();
            List<YNode> items = m.get(AUGMENT_VIEWS).nonEmptyList();
            for (int i = 0; i < items.size(); i++) {
                // Key by key over the base's pipeline of the same index (a method's or preset's default).
                Map<String, Object> start = views.isEmpty() ? augment : views.get(Math.min(i, views.size() - 1));
                perView.add(augment(items.get(i), start, Pipeline.VIEW));
            }
            views = List.copyOf(perView);
        }
        TrainSpec read = new TrainSpec(
                m.integer("epochs", base.epochs(), Range.POSITIVE),
                m.integer("batch_size", base.batchSize(), Range.POSITIVE),
                optimizer(m.get("optimizer"), base.optimizer()),
                schedule(m.get("schedule"), base.schedule()),
                augment, views, bnMomentum(m, base.bnMomentum()),
                m.has(DATASET) ? java.util.Optional.of(datasets.read(m.get(DATASET))) : base.dataset(),
                monitor(m, base.monitor()), precision(m.get(PRECISION), base.precision()));
        monitorEffect(m, read);
        return read;
    }

    /**
     * Monitor settings written here that would change nothing are refused, as other such settings
     * are: an interval of at least the epoch count measures only after the last epoch (as 0 does),
     * and an early stop needs a measurement before the last epoch to act on.
     */
    private static void monitorEffect(YMap m, TrainSpec t) throws SpecException {
        MonitorSpec mon = t.monitor();
        int epochs = t.epochs();
        if (m.has(MONITOR_EVERY) && mon.every() > 0 && mon.every() >= epochs) {
            throw m.get(MONITOR_EVERY).error("monitor_every " + mon.every() + " with " + epochs + " epoch"
                    + (epochs == 1 ? "" : "s") + " measures only after the last epoch, as monitor_every 0 does, so it has"
                    + " no effect; use a value below " + epochs + ", or remove it");
        }
        boolean stopCanAct = mon.every() > 0 && mon.every() < epochs;
        if (mon.stop() && !stopCanAct && (m.has(MONITOR_STOP) || m.has(MONITOR_EVERY))) {
            String key = m.has(MONITOR_STOP) ? MONITOR_STOP : MONITOR_EVERY;
            throw m.get(key).error("monitor_stop can only end a run at a measurement before its last epoch, and with"
                    + " monitor_every " + mon.every() + " and " + epochs + " epoch" + (epochs == 1 ? "" : "s")
                    + " there is none, so it would have no effect; " + (epochs < 2
                    ? "raise epochs to at least 2 (with monitor_every 1), or remove monitor_stop"
                    : "set monitor_every below " + epochs + " (e.g. 1), or remove monitor_stop"));
        }
    }

    /**
     * A {@value #PRECISION} value ({@code fp32}, {@code bf16} or {@code fp16}); {@code base} when
     * absent. A misspelling is refused at its line with the allowed values and the nearest one.
     */
    static org.sslbench.engine.Precision precision(YNode node, org.sslbench.engine.Precision base) throws SpecException {
        return node == null ? base : org.sslbench.engine.Precision.parse(node.oneOf(org.sslbench.engine.Precision.NAMES,
                PRECISION));
    }

    /** Pretext blocks only: the kNN monitor's keys (MonitorSpec). */
    static final String MONITOR_EVERY = "monitor_every";
    static final String MONITOR_LABELS = "monitor_labels";
    static final String MONITOR_QUERIES = "monitor_queries";
    static final String MONITOR_STOP = "monitor_stop";
    static final List<String> MONITOR_KEYS = List.of(MONITOR_EVERY, MONITOR_LABELS, MONITOR_QUERIES, MONITOR_STOP);
    private static final Range MONITOR_SIZE = new Range(1, false, MonitorSpec.MAX_PER_CLASS, false);

    /** The monitor keys of a pretext block over {@code base}'s; each checked with its line and meaning. */
    private static MonitorSpec monitor(YMap m, MonitorSpec base) throws SpecException {
        int every = base.every();
        int labels = base.labelsPerClass();
        int queries = base.queriesPerClass();
        if (m.has(MONITOR_EVERY)) {
            every = checked(m, MONITOR_EVERY, Range.NON_NEGATIVE,
                    "epochs between kNN monitor measurements; 0 = only after the last epoch");
        }
        if (m.has(MONITOR_LABELS)) {
            labels = checked(m, MONITOR_LABELS, MONITOR_SIZE,
                    "labelled training images per class in the monitor's kNN bank");
        }
        if (m.has(MONITOR_QUERIES)) {
            queries = checked(m, MONITOR_QUERIES, MONITOR_SIZE,
                    "labelled training images per class the monitor classifies, disjoint from the bank");
        }
        return new MonitorSpec(every, labels, queries, m.bool(MONITOR_STOP, base.stop()));
    }

    private static int checked(YMap m, String key, Range range, String meaning) throws SpecException {
        int v = m.get(key).integer();
        if (!range.contains(v)) {
            throw m.get(key).error("must be " + range.describe() + ", got " + v + " (" + meaning + ")");
        }
        return v;
    }

    /** Pretext blocks only: one augmentation map per view. */
    static final String AUGMENT_VIEWS = "augment_views";

    List<String> keys(List<String> extraKeys) {
        List<String> all = new ArrayList<>(KEYS);
        all.addAll(extraKeys);
        return all;
    }

    private OptimizerSpec optimizer(YNode node, OptimizerSpec base) throws SpecException {
        if (node == null) {
            return base;
        }
        YMap m = node.map(OPTIMIZER_KEYS, "key");
        String name = m.has("name") ? m.get("name").oneOf(OPTIMIZERS, "optimizer") : base.name();
        if (!name.equals(base.name())) {
            // Another optimizer starts from the harness defaults, not from the values a preset or an
            // outer block gave the one it replaces (an SGD weight decay or a LARS lr of 1.0 would
            // silently carry over to Adam). Its lr must then be written: the harness default 1e-3
            // would silently replace a tuned one (a preset's LARS 0.3 becoming SGD 0.001).
            if (!m.has("lr") && base.lr() != Defaults.ADAM.lr()) {
                throw m.get("name").error("optimizer '" + name + "' replaces '" + base.name() + "' (lr " + Range.format(base.lr())
                        + (base.weightDecay() > 0 ? ", weight_decay " + Range.format(base.weightDecay()) : "")
                        + ", from the method's preset or an outer block) and starts from the harness defaults, where lr"
                        + " would be " + Range.format(Defaults.ADAM.lr()) + "; write lr here too (and weight_decay if"
                        + " you want one), or keep name: " + base.name());
            }
            // AdamW starts from PyTorch's defaults, weight decay 1e-2 included: without decay it is Adam.
            base = name.equals("lars")
                    ? OptimizerSpec.lars(Defaults.ADAM.lr(), Defaults.ADAM.momentum(), Defaults.ADAM.weightDecay(),
                            Defaults.ADAM.nesterov(), OptimizerSpec.DEFAULT_ETA, false, true)
                    : name.equals("adamw")
                    ? OptimizerSpec.adamw(Defaults.ADAM.lr(), OptimizerSpec.AdamW.DEFAULT_WEIGHT_DECAY,
                            OptimizerSpec.AdamW.DEFAULTS, true)
                    : new OptimizerSpec(name, Defaults.ADAM.lr(), Defaults.ADAM.momentum(), Defaults.ADAM.weightDecay(),
                            Defaults.ADAM.nesterov());
        }
        double lr = optimizerNumber(m, "lr", base.lr());
        double momentum = optimizerNumber(m, "momentum", base.momentum());
        double weightDecay = optimizerNumber(m, "weight_decay", base.weightDecay());
        boolean nesterov = m.bool("nesterov", base.nesterov());
        boolean excludeBiasBn = m.bool("exclude_bias_bn", base.excludesBiasBn());
        if (!name.equals("lars")) {
            for (String key : LARS_KEYS) {
                if (m.has(key)) {
                    throw m.get(key).error(key + " applies only to optimizer 'lars' and would have no effect on '" + name
                            + "'; remove it, or write name: lars");
                }
            }
        }
        if (!name.equals("adamw")) {
            for (String key : ADAMW_KEYS) {
                if (m.has(key)) {
                    throw m.get(key).error(key + " applies only to optimizer 'adamw' and would have no effect on '" + name
                            + "'; remove it, or write name: adamw" + (name.equals("adam")
                            ? " (adam's are fixed: beta1 0.9, beta2 0.999, epsilon 1e-7 as Keras)" : ""));
                }
            }
        }
        if (!name.equals("lars")) {
            // Without LARS adaptation, including biases and BatchNorm only changes what weight decay acts on.
            if (!excludeBiasBn && weightDecay == 0) {
                if (m.has("exclude_bias_bn")) {
                    throw m.get("exclude_bias_bn").error("exclude_bias_bn: false has no effect on '" + name
                            + "' with weight_decay 0 (it only extends weight decay to biases and BatchNorm);"
                            + " give a weight_decay > 0 or drop exclude_bias_bn");
                }
                excludeBiasBn = true; // inherited from a block where it had an effect; the default keeps hashes honest
            }
        }
        if (name.equals("adam") || name.equals("adamw")) {
            // Adam has no momentum term of its own (its beta1 is fixed at 0.9, org.sslbench.engine.Optimizer;
            // AdamW's is the key beta1).
            for (String key : List.of("momentum", "nesterov")) {
                if (m.has(key)) {
                    throw m.get(key).error(key + " applies only to optimizers 'sgd' and 'lars' and would have no effect"
                            + " on '" + name + "'; remove it, or write name: sgd"
                            + (name.equals("adamw") && key.equals("momentum") ? " (AdamW's momentum is beta1)" : ""));
                }
            }
        }
        if (name.equals("adamw")) {
            OptimizerSpec.AdamW a = base.adamw().orElse(OptimizerSpec.AdamW.DEFAULTS);
            OptimizerSpec.AdamW read = new OptimizerSpec.AdamW(optimizerNumber(m, "beta1", a.beta1()),
                    optimizerNumber(m, "beta2", a.beta2()), optimizerNumber(m, "epsilon", a.epsilon()));
            return OptimizerSpec.adamw(lr, weightDecay, read, excludeBiasBn);
        }
        if (name.equals("adam")) {
            // Values inherited from an sgd base mean nothing here; the defaults keep hashes honest.
            return new OptimizerSpec(name, lr, Defaults.ADAM.momentum(), weightDecay, Defaults.ADAM.nesterov())
                    .withExcludeBiasBn(excludeBiasBn);
        }
        if (nesterov && momentum == 0) {
            throw m.at(m.has("nesterov") ? "nesterov" : "momentum").error(
                    "nesterov: true has no effect with momentum 0 (it is plain SGD); give a momentum > 0 or drop nesterov");
        }
        if (name.equals("lars")) {
            OptimizerSpec.Lars l = base.lars().orElse(new OptimizerSpec.Lars(OptimizerSpec.DEFAULT_ETA, false));
            double eta = optimizerNumber(m, "eta", l.eta());
            boolean clipLr = m.bool("clip_lr", l.clipLr());
            return OptimizerSpec.lars(lr, momentum, weightDecay, nesterov, eta, clipLr, excludeBiasBn);
        }
        return new OptimizerSpec(name, lr, momentum, weightDecay, nesterov).withExcludeBiasBn(excludeBiasBn);
    }

    /** An optimizer number checked against {@link #OPTIMIZER_RANGES}, the message saying why. */
    private static double optimizerNumber(YMap m, String key, double absent) throws SpecException {
        if (!m.has(key)) {
            return absent;
        }
        double v = m.get(key).number();
        Range range = OPTIMIZER_RANGES.get(key);
        String problem = range.contains(v) ? float32Problem(v, range) : "must be " + range.describe();
        if (problem != null) {
            throw m.get(key).error(problem + ", got " + Range.format(v) + " (" + OPTIMIZER_MEANING.get(key) + ")");
        }
        return v;
    }

    /**
     * Null when {@code v} (already inside {@code range}) keeps its meaning as the float32 the graph
     * uses, else why not. Same rule as method params ({@link org.sslbench.method.Param#float32Problem}):
     * 0 < |v| < 1.2e-38 becomes 0 or subnormal (lr 1e-50 would never train); and the rounded value
     * must stay inside the range (bn_momentum 0.9999999999 becomes 1f, so BatchNorm statistics
     * would never update; an SGD momentum of 1f would never forget a gradient).
     */
    static String float32Problem(double v, Range range) {
        String p = org.sslbench.method.Param.float32Problem(v);
        if (p != null) {
            return p;
        }
        float f = (float) v;
        return range.contains(f) ? null : "must be " + range.describe() + " also as a 32-bit float (the computation"
                + " uses float32, where this value becomes " + f + ")";
    }

    /** {@code bn_momentum} in [0, 1) (Range.MOMENTUM) also as a float32, else the base's; the default is stored as empty. */
    private static java.util.Optional<Double> bnMomentum(YMap m, java.util.Optional<Double> base) throws SpecException {
        if (!m.has(BN_MOMENTUM)) {
            return base;
        }
        double v = m.get(BN_MOMENTUM).number();
        String problem = Range.MOMENTUM.contains(v) ? float32Problem(v, Range.MOMENTUM)
                : "must be " + Range.MOMENTUM.describe();
        if (problem != null) {
            throw m.get(BN_MOMENTUM).error(problem + ", got " + Range.format(v) + " (" + BN_MOMENTUM_MEANING + ")");
        }
        return java.util.Optional.of(v);
    }

    private ScheduleSpec schedule(YNode node, ScheduleSpec base) throws SpecException {
        if (node == null) {
            return base;
        }
        YMap m = node.map(SCHEDULE_KEYS, "key");
        String name = m.has("name") ? m.get("name").oneOf(SCHEDULES, "schedule") : base.name();
        double warmup = m.number("warmup_epochs", base.warmupEpochs(), Range.NON_NEGATIVE);
        if (!name.equals("step")) {
            for (String key : List.of("milestones", "factors")) {
                if (m.has(key)) {
                    throw m.get(key).error("only schedule 'step' takes " + key + ", this one is '" + name + "'");
                }
            }
            // Milestones a base step schedule had mean nothing here; dropping them keeps hashes honest.
            return new ScheduleSpec(name, warmup, List.of(), List.of());
        }
        List<Integer> milestones = m.has("milestones") ? milestones(m.get("milestones")) : base.milestones();
        List<Double> factors = m.has("factors") ? factors(m.get("factors")) : base.factors();
        if (milestones.isEmpty()) {
            throw m.at("milestones").error("schedule 'step' needs milestones, e.g. milestones: [80, 120]");
        }
        if (factors.size() != milestones.size()) {
            throw m.at("factors").error("schedule 'step' needs one factor per milestone: "
                    + milestones.size() + " milestones, " + factors.size() + " factors");
        }
        return new ScheduleSpec(name, warmup, milestones, factors);
    }

    private static List<Integer> milestones(YNode node) throws SpecException {
        List<Integer> out = new ArrayList<>();
        for (YNode item : node.nonEmptyList()) {
            int epoch = item.integer(Range.POSITIVE);
            if (!out.isEmpty() && epoch <= out.get(out.size() - 1)) {
                throw item.error("milestones must be strictly ascending: " + epoch + " after " + out.get(out.size() - 1));
            }
            out.add(epoch);
        }
        return List.copyOf(out);
    }

    private static List<Double> factors(YNode node) throws SpecException {
        List<Double> out = new ArrayList<>();
        for (YNode item : node.nonEmptyList()) {
            double factor = item.number(Range.POSITIVE);
            // The scheduled lr (base lr × factor) reaches the graph as a float32.
            String problem = float32Problem(factor, Range.POSITIVE);
            if (problem != null) {
                throw item.error(problem + ", got " + Range.format(factor) + " (factor of the base learning rate)");
            }
            out.add(factor);
        }
        return List.copyOf(out);
    }

    /**
     * Merges key by key: a block that sets only {@code hflip} keeps the base's {@code shift}. A
     * multi-crop key set to its default ({@link #AUGMENT_DEFAULTS}) is removed rather than stored.
     */
    private Map<String, Object> augment(YNode node, Map<String, Object> base, Pipeline where) throws SpecException {
        if (node == null) {
            return base;
        }
        Map<String, Object> out = new LinkedHashMap<>(base);
        YMap map = node.map(augmentations.keySet(), "augmentation");
        for (YMap.Entry e : map.entries()) {
            if (e.key().equals("count") && where != Pipeline.VIEW) {
                throw e.value().error("count (views this pipeline makes) belongs in an entry of pretext."
                        + AUGMENT_VIEWS + ", where each entry is the pipeline of count consecutive views, e.g."
                        + " augment_views: [{crop: 0.14}, {crop: 0.14}, {crop: 0.05, crop_max: 0.4, size: 0.43, count: 6}];"
                        + (where == Pipeline.PRETEXT ? " here in augment every view shares one pipeline, so remove it"
                                : " a downstream protocol trains on one view per image, so remove it"));
            }
            if (e.key().equals("size") && where == Pipeline.DOWNSTREAM) {
                throw e.value().error("size is for pretext views only (multi-crop): the downstream protocols always"
                        + " train and evaluate on the whole image; remove it here and set it in pretext."
                        + AUGMENT_VIEWS);
            }
            Object value = e.value().ofType(augmentations.get(e.key()));
            Range range = e.key().equals("count") ? Range.POSITIVE : AUGMENT_RANGES.get(e.key());
            if (range != null && value instanceof Number n && !range.contains(n.doubleValue())) {
                throw e.value().error("must be " + range.describe() + ", got " + Range.format(n.doubleValue())
                        + " (" + (e.key().equals("count") ? "views this pipeline makes; default 1"
                                : AUGMENT_MEANING.get(e.key())) + ")");
            }
            if (value instanceof Number n && AUGMENT_DEFAULTS.get(e.key()) instanceof Number d
                    && n.doubleValue() == d.doubleValue()) {
                out.remove(e.key());
            } else {
                out.put(e.key(), value);
            }
        }
        double crop = out.get("crop") instanceof Number n ? n.doubleValue() : 0;
        if (out.get("crop_max") instanceof Number max && crop > max.doubleValue()) {
            YNode at = map.has("crop_max") ? map.get("crop_max") : map.has("crop") ? map.get("crop") : node;
            throw at.error("crop_max " + Range.format(max.doubleValue()) + " is below crop " + Range.format(crop)
                    + " in this pipeline: the random resized crop draws its area fraction from [crop, crop_max], so"
                    + " crop_max must be at least crop; lower crop or raise crop_max (multi-crop's local crops:"
                    + " crop: 0.05, crop_max: 0.4)");
        }
        return Collections.unmodifiableMap(out);
    }
}
