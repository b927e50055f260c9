package org.sslbench.plugins.dino;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Init;
import org.sslbench.engine.Net;
import org.sslbench.engine.Role;
import org.sslbench.losses.DinoLoss;
import org.sslbench.method.Ema;
import org.sslbench.method.Head;
import org.sslbench.method.Method;
import org.sslbench.method.Objective;
import org.sslbench.method.Param;
import org.sslbench.method.Params;
import org.sslbench.method.PretextContext;
import org.sslbench.train.AugmentRecipes;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * DINO (Caron et al., "Emerging Properties in Self-Supervised Vision Transformers", ICCV 2021):
 * self-distillation without labels. The student (encoder → DINO head) matches, on every crop, the
 * centred and sharpened output of a teacher on the other global crops ({@link DinoLoss}, eq. 1/3);
 * the teacher (encoder + head) is an EMA of the student whose decay τ rises from {@code base_tau} to
 * 1 on a cosine (as BYOL; facebookresearch/dino main_dino.py@04c0ad95 momentum_schedule), the centre
 * an EMA of the teacher's outputs (momentum {@code center_momentum}). The teacher temperature warms
 * up linearly per epoch from {@code warmup_teacher_temperature} to {@code teacher_temperature} over
 * {@code warmup_teacher_temperature_epochs} (main_dino.py's np.linspace schedule), and the
 * prototype layer gets no gradient during the first {@code freeze_last_layer} epochs
 * (cancel_gradients_last_layer).
 *
 * <p>Views: {@code 2 + local_crops}; views 0 and 1 are the global crops (the only ones the
 * teacher sees), the rest local crops; every view goes through the student. Each view is read with
 * {@code ctx.view(i)} whatever its size, so local crops of a smaller size need no change here.
 *
 * <p>The head (solo-learn solo/methods/dino.py@e3841843 DINOHead, the paper's head): Linear(hidden)
 * → [BN] → GELU → Linear(hidden) → [BN] → GELU → Linear({@code proj_output_dim}, the bottleneck),
 * L2-normalised, then a bias-free weight-normalised Linear to {@code num_prototypes} logits:
 * {@code W = g·V/‖V‖} per output unit (PyTorch nn.utils.weight_norm, dim 0). With
 * {@code norm_last_layer} (the default) g is fixed at 1, so W is V with unit-norm columns and the
 * logits are cosine similarities; otherwise g is trained from 1. Dense weights start N(0, 0.02²)
 * (DINOHead._init_weights' trunc_normal_(std=.02), truncated at ±2, i.e. ±100σ: a plain normal).
 * BatchNorm runs on batch statistics in both networks. {@link #heads} lists this head as data
 * ({@code make list} shows it) and build() creates student and teacher heads from that list.
 *
 * <pre>{@code
 * methods:
 *   - name: dino
 *     params: {base_tau: 0.996, num_prototypes: 4096, teacher_temperature: 0.04, local_crops: 2}
 * }</pre>
 */
public final class Dino implements Method {
    static final String HEAD = "dino_head";
    static final String TARGET_ENCODER = "teacher_encoder";
    static final String TARGET_HEAD = "teacher_head";
    static final String CENTER = "dino_center";
    /** The prototype layer's head, named under the MLP's scope so the teacher's EMA and freeze cover it. */
    static final String PROTOTYPES = "/prototypes";
    /** DINOHead._init_weights' trunc_normal_(std=.02), truncated at ±2, i.e. ±100σ: a plain normal. */
    private static final float NORMAL_STD = 0.02f;
    /** DINO's global crops, the teacher's views. */
    static final int GLOBAL_CROPS = 2;
    /** Side of a local crop as a fraction of the image's: 96 px against 224 px global crops (main_dino.py@04c0ad95). */
    static final double LOCAL_SIZE = 0.43; // 96/224 = 0.4286 rounded as specs write it: the same 96 px on 224 px images (and 14 px on 32 px)

    @Override
    public String name() {
        return "dino";
    }

    @Override
    public String description() {
        return "DINO: self-distillation of an EMA teacher's centred, sharpened output across crops (Caron et al., ICCV 2021)";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("base_tau", 0.996, "base EMA decay tau of the teacher, raised to 1 on a cosine over training"
                        + " (solo-learn's name momentum.base_tau; DINO's momentum_teacher 0.996; solo-learn CIFAR and"
                        + " ImageNet-100 0.9995; DINO advises 0.9995 at batch 256)")
                        // theta_t <- tau theta_t + (1 - tau) theta_s is an average only for tau in [0, 1]
                        .between(0, 1),
                new Param("proj_hidden_dim", 2048, "hidden width of the DINO head's 3-layer GELU MLP (paper and solo-learn 2048)")
                        .between(1, Param.MAX_WIDTH),
                new Param("proj_output_dim", 256, "bottleneck width of the DINO head, L2-normalised before the prototypes"
                        + " (solo-learn's name; DINO's and Lightly's bottleneck_dim; paper 256)").between(1, Param.MAX_WIDTH),
                new Param("num_prototypes", 4096, "output dimension K of the head, the softmax's size (solo-learn 4096;"
                        + " DINO's out_dim 65536 on ImageNet)").between(1, Param.MAX_WIDTH),
                new Param("norm_last_layer", true, "fix the weight-normalised prototype layer's gain g at 1 (unit-norm"
                        + " prototypes; DINO and solo-learn default true); false trains g"),
                new Param("use_bn_in_head", false, "BatchNorm after the head's hidden layers (DINO and solo-learn default false;"
                        + " without it the projection collapsed on small-cnn in sslbench's smoke runs, so the small preset"
                        + " turns it on, as Lightly's CIFAR-10 DINO does)"),
                new Param("student_temperature", 0.1, "student softmax temperature tau_s (DINO and solo-learn 0.1)")
                        // the loss divides the student's logits by tau_s
                        .atLeast(Param.MIN_TEMPERATURE),
                new Param("teacher_temperature", 0.04, "teacher softmax temperature tau_t after the warm-up (DINO 0.04,"
                        + " above 0.07 unstable; solo-learn 0.07)").atLeast(Param.MIN_TEMPERATURE),
                new Param("warmup_teacher_temperature", 0.04, "teacher temperature at epoch 0 of the linear warm-up"
                        + " (DINO and solo-learn 0.04)").atLeast(Param.MIN_TEMPERATURE),
                new Param("warmup_teacher_temperature_epochs", 0, "epochs of the teacher temperature's linear warm-up,"
                        + " per epoch as DINO's np.linspace (DINO and solo-learn default 0, DINO's help text suggests 30,"
                        + " solo-learn ImageNet-100 50); 0 = teacher_temperature from the start").atLeast(0),
                new Param("center_momentum", 0.9, "EMA momentum m of the centre of the teacher's outputs (DINO and solo-learn 0.9)")
                        // c <- m c + (1 - m) mean is an average only for m in [0, 1]
                        .between(0, 1),
                new Param("freeze_last_layer", 1, "epochs during which the prototype layer gets no gradient"
                        + " (DINO and solo-learn 1)").atLeast(0),
                new Param("local_crops", 0, "local crops besides the 2 global crops: views = 2 + local_crops, the teacher"
                        + " sees only the global ones (main_dino.py@04c0ad95: local_crops_number 8 of 96 px, area 0.05-0.4, next"
                        + " to 2 global crops of 224 px, area 0.4-1; solo-learn's CIFAR and ImageNet-100 configs 0); the"
                        + " local crops' pipeline is the method's own (size 96/224, augmentations(params)), also under a"
                        + " preset").atLeast(0));
    }

    @Override
    public int views(Params params) {
        return GLOBAL_CROPS + params.getInt("local_crops");
    }

    /**
     * The pipelines of {@code preset: none} without local crops: DINO's two global crops
     * (facebookresearch/dino main_dino.py@04c0ad95 DataAugmentationDINO): flip, colour jitter
     * 0.4/0.4/0.2/0.1 with p 0.8, grayscale p 0.2; the first always blurs, the second blurs with p 0.1
     * and solarizes with p 0.2. Crops from 0.14, as DINO advises when multi-crop is off
     * (main_dino.py@04c0ad95 --global_crops_scale help: "When disabling multi-crop (--local_crops_number
     * 0), we recommand using a wider range of scale (--global_crops_scale 0.14 1.)").
     */
    @Override
    public List<Map<String, Object>> augmentations() {
        return List.of(global(0.14, 1.0, 0.0), global(0.14, 0.1, 0.2));
    }

    /**
     * DINO's multi-crop pipelines for these params (main_dino.py@04c0ad95 DataAugmentationDINO and
     * its defaults global_crops_scale (0.4, 1.), local_crops_scale (0.05, 0.4), local crops
     * RandomResizedCrop(96) against 224 for the global ones): with {@code local_crops} &gt; 0 the two
     * global pipelines crop from 0.4, then one local pipeline with {@code count: local_crops}:
     * {@code crop: 0.05, crop_max: 0.4, size: 96/224 ≈ 0.43}, the same flip, jitter and grayscale,
     * blur p 0.5, no solarize. Without local crops, {@link #augmentations()} (global crops from 0.14).
     */
    @Override
    public List<Map<String, Object>> augmentations(Params params) {
        int locals = params.getInt("local_crops");
        if (locals == 0) {
            return augmentations();
        }
        Map<String, Object> local = AugmentRecipes.localCrops(global(0.05, 0.5, 0.0), 0.05, 0.4, LOCAL_SIZE, locals);
        return List.of(global(0.4, 1.0, 0.0), global(0.4, 0.1, 0.2), local);
    }

    private static Map<String, Object> global(double crop, double blur, double solarize) {
        return AugmentRecipes.with(AugmentRecipes.with(AugmentRecipes.with(AugmentRecipes.smallImage(0.2), "crop", crop),
                "blur", blur), "solarize", solarize);
    }

    /**
     * The DINO head as data (solo-learn solo/methods/dino.py@e3841843 DINOHead, main_dino.py's):
     * {@code dino_head}: Linear(proj_hidden_dim) → [BN] → GELU, twice, then Linear(proj_output_dim)
     * L2-normalised (the bottleneck), kernels N(0, 0.02²); {@code dino_head/prototypes}: a bias-free
     * weight-normalised Linear to {@code num_prototypes} logits (gain fixed at 1 with
     * {@code norm_last_layer}, else trained), kernel V from nn.Linear's default U(±1/√fan_in). The
     * teacher's copies ({@code teacher_head}, {@code teacher_head/prototypes}) are not listed.
     */
    @Override
    public List<Head> heads(Params p) {
        boolean bn = p.getBoolean("use_bn_in_head");
        int hidden = p.getInt("proj_hidden_dim");
        Head mlp = Head.of(HEAD, new Head.Block(hidden, bn, false).with(Head.Activation.GELU),
                new Head.Block(hidden, bn, false).with(Head.Activation.GELU),
                new Head.Block(p.getInt("proj_output_dim"), false, false).l2Normalized()).withInit(Dino::normal002);
        Head prototypes = Head.of(HEAD + PROTOTYPES, new Head.Block(p.getInt("num_prototypes"), false, false).withoutBias()
                .weightNormalized(!p.getBoolean("norm_last_layer"))).withInit(Dino::uniformFanIn);
        return List.of(mlp, prototypes);
    }

    @Override
    public Objective build(PretextContext ctx) {
        Params p = ctx.params();
        Ops tf = ctx.tf();
        Encoder encoder = ctx.encoder();
        int crops = views(p);
        int k = p.getInt("num_prototypes");
        List<Head> heads = heads(p);
        Head mlp = heads.get(0);
        Head prototypes = heads.get(1);
        Head teacherMlp = mlp.named(TARGET_HEAD);
        Head teacherPrototypes = prototypes.named(TARGET_HEAD + PROTOTYPES);

        Operand<TFloat32> epoch = epochIndex(tf, ctx.progress(), ctx.epochs(), ctx.stepsPerEpoch());
        Operand<TFloat32> trainLastLayer = tf.dtypes.cast(tf.math.greaterEqual(epoch,
                tf.constant((float) p.getInt("freeze_last_layer"))), TFloat32.class);

        Encoder target = ctx.targetEncoder(TARGET_ENCODER);
        List<Operand<TFloat32>> student = new ArrayList<>();
        Operand<TFloat32> bottleneck = null;
        for (int v = 0; v < crops; v++) {
            Operand<TFloat32> z = mlp.applyOver(ctx.layers(), encoder, ctx.view(v));
            student.add(prototypes.apply(ctx.layers(), z, mlp.outDim(), true, trainLastLayer));
            if (v == 0) {
                bottleneck = z;
            }
        }
        List<Operand<TFloat32>> teacher = new ArrayList<>();
        for (int v = 0; v < GLOBAL_CROPS; v++) {
            Operand<TFloat32> z = teacherMlp.applyOver(ctx.layers(), target, ctx.view(v));
            teacher.add(teacherPrototypes.apply(ctx.layers(), z, mlp.outDim(), true));
        }
        ctx.freeze(TARGET_HEAD);
        ctx.initializeAsCopy(HEAD, TARGET_HEAD);

        Variable<TFloat32> center = ctx.layers().variable(CENTER, Init.zeros(), Role.STATE, 0, 0, 1, k);
        Operand<TFloat32> teacherTemperature = teacherTemperature(tf, epoch, p.getDouble("warmup_teacher_temperature"),
                p.getDouble("teacher_temperature"), p.getInt("warmup_teacher_temperature_epochs"));
        Operand<TFloat32> loss = DinoLoss.loss(tf, student, teacher, center, teacherTemperature, p.getDouble("student_temperature"));
        Operand<TFloat32> entropy = DinoLoss.meanEntropy(tf, DinoLoss.teacherProbabilities(tf, teacher.get(0), center,
                teacherTemperature));
        Operand<TFloat32> tau = Ema.cosineTau(tf, p.getDouble("base_tau"), ctx.progress());
        return new DinoObjective(loss, bottleneck, tau, teacherTemperature, entropy, teacher, center,
                p.getDouble("center_momentum"), ctx.layers().net(), encoder.scope());
    }

    /**
     * The current epoch's index (0-based) from the trainer's progress = step / (stepsPerEpoch·epochs):
     * floor(progress·epochs + ½/stepsPerEpoch); the half step absorbs the float32 rounding of progress
     * (e.g. step = stepsPerEpoch giving 0.99999994 epochs).
     */
    static Operand<TFloat32> epochIndex(Ops tf, Operand<TFloat32> progress, int epochs, int stepsPerEpoch) {
        return tf.math.floor(tf.math.add(tf.math.mul(progress, tf.constant((float) epochs)),
                tf.constant(0.5f / Math.max(1, stepsPerEpoch))));
    }

    /**
     * DINO's teacher temperature at a (whole) epoch e: warmup + (final − warmup)·min(e / (W − 1), 1)
     * for e &lt; W, else final: np.linspace(warmup, final, W) then constant (main_dino.py@04c0ad95
     * DINOLoss.teacher_temp_schedule; W = 1 holds warmup for epoch 0 only; W = 0: final throughout).
     */
    static Operand<TFloat32> teacherTemperature(Ops tf, Operand<TFloat32> epoch, double warmup, double last, int warmupEpochs) {
        if (warmupEpochs == 0) {
            return tf.constant((float) last);
        }
        Operand<TFloat32> fraction = tf.math.minimum(tf.math.div(epoch, tf.constant((float) Math.max(1, warmupEpochs - 1))),
                tf.constant(1f));
        return tf.math.add(tf.constant((float) warmup), tf.math.mul(tf.constant((float) (last - warmup)), fraction));
    }

    private static float[] normal002(int size, int fanIn, int fanOut, java.util.SplittableRandom rng) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            // Box-Muller (SplittableRandom has no nextGaussian in Java 17)
            double u1 = 1.0 - rng.nextDouble();
            out[i] = (float) (NORMAL_STD * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return out;
    }

    private static float[] uniformFanIn(int size, int fanIn, int fanOut, java.util.SplittableRandom rng) {
        double limit = 1 / Math.sqrt(fanIn);
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        return out;
    }

    /**
     * @param embedding view 0's student bottleneck output, L2-normalised (the collapse monitor, which
     *                  normalises anyway): the space the prototypes score, proj_output_dim wide like other methods'
     *                  projections, so the monitor's 1/√dim scale compares across methods (the K logits
     *                  would not: DINO's collapses show there as a uniform or one-hot teacher instead)
     * @param teacherEntropy mean entropy of the teacher's distribution on global crop 0 (metric
     *                  {@code teacher_entropy}: log K uniform, 0 one-hot)
     */
    record DinoObjective(Operand<TFloat32> loss, Operand<TFloat32> embedding, Operand<TFloat32> tau,
                         Operand<TFloat32> teacherTemperature, Operand<TFloat32> teacherEntropy,
                         List<Operand<TFloat32>> teacher, Variable<TFloat32> center, double centerMomentum, Net net,
                         String encoderScope) implements Objective {
        @Override
        public Map<String, Operand<TFloat32>> metrics() {
            return Map.of("tau", tau, "teacher_temperature", teacherTemperature, "teacher_entropy", teacherEntropy);
        }

        @Override
        public List<Op> afterStep(Ops afterOptimizer) {
            List<Op> ops = new ArrayList<>(Ema.update(afterOptimizer, net, encoderScope, TARGET_ENCODER, tau));
            ops.addAll(Ema.update(afterOptimizer, net, HEAD, TARGET_HEAD, tau));
            ops.add(DinoLoss.updateCenter(afterOptimizer, center, teacher, centerMomentum));
            return ops;
        }
    }
}
