package org.sslbench.transfer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.sslbench.data.ImageShape;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Encoder;
import org.sslbench.engine.Layers;
import org.sslbench.engine.Net;
import org.sslbench.engine.Sessions;
import org.sslbench.train.Normalizer;
import org.sslbench.train.PretextTrainer;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained encoder as a TensorFlow SavedModel (tag {@value EncoderWeights#TAG}, signature
 * {@value #SIGNATURE}): input {@value #INPUT} = images [N, H, W, C] float32 with pixels in [0, 1],
 * output {@value #OUTPUT} = features [N, D], the encoder in eval mode (BatchNorm moving statistics).
 * The harness's input normalisation ({@link Normalizer}: subtract, then scale, per value of an
 * image) is a constant part of the graph, so callers feed raw pixels exactly as the harness reads
 * them. Variables keep the harness's names ({@code encoder/...}), which is what lets
 * {@link EncoderWeights#read} take the directory back as a {@code pretrained} method's weights.
 */
public final class SavedModelExport {
    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "images";
    public static final String OUTPUT = "features";
    /** Harness variable name → graph op name, in SavedModel's directory for files TensorFlow does not read. */
    public static final String VARIABLE_NAMES = "assets.extra/sslbench-variables.tsv";

    private SavedModelExport() {
    }

    /**
     * Builds and writes the SavedModel, with {@code extraFiles} (relative name → text, e.g. the model
     * card) beside it, into a hidden temporary directory next to {@code dest} that is renamed to
     * {@code dest} only when complete: an interrupted export never leaves a directory that looks valid.
     *
     * @param weights every variable of {@code backbone} for {@code shape}, by name (as in a checkpoint)
     * @param force   replace an existing {@code dest}; without it an existing {@code dest} is refused
     * @return the feature width D
     * @throws FileAlreadyExistsException when {@code dest} exists and {@code force} is false
     * @throws IllegalArgumentException   when {@code weights} do not fit the backbone (names the variables)
     * @throws IOException                when writing fails (nothing is left at {@code dest} then)
     */
    public static int write(Path dest, Backbone backbone, ImageShape shape, Map<String, float[]> weights,
                            Normalizer normalizer, Map<String, String> extraFiles, boolean force) throws IOException {
        if (Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new FileAlreadyExistsException(dest.toString(), null, "already exists; choose another destination"
                    + " or pass --force to replace it");
        }
        var problems = WeightsCheck.mismatches(WeightsCheck.expected(backbone, shape),
                new EncoderWeights(null, "checkpoint", weights, Map.of(), Map.of()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the weights do not fit backbone for images " + shape + ": "
                    + String.join("; ", problems));
        }
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dest.getFileName() + ".tmp-");
        int dim;
        try {
            // The exporter writes into a directory it creates; the temp directory only reserves the name.
            Files.delete(tmp);
            dim = exportGraph(tmp, backbone, shape, weights, normalizer);
            for (Map.Entry<String, String> f : extraFiles.entrySet()) {
                Files.writeString(tmp.resolve(f.getKey()), f.getValue());
            }
            replace(tmp, dest);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        return dim;
    }

    private static int exportGraph(Path dir, Backbone backbone, ImageShape shape, Map<String, float[]> weights,
                                   Normalizer normalizer) throws IOException {
        try (Net net = new Net()) {
            Ops tf = net.tf();
            Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, shape.height(), shape.width(), shape.channels())));
            Shape image = Shape.of(shape.height(), shape.width(), shape.channels());
            Operand<TFloat32> subtract = tf.withName("normalize_subtract").constant(image,
                    org.tensorflow.ndarray.buffer.DataBuffers.of(normalizer.subtract(), true, false));
            Operand<TFloat32> scale = tf.withName("normalize_scale").constant(image,
                    org.tensorflow.ndarray.buffer.DataBuffers.of(normalizer.scale(), true, false));
            Operand<TFloat32> normalized = tf.withName("normalized").math.mul(tf.math.sub(images, subtract), scale);
            Encoder encoder = backbone.create(new Layers(net), PretextTrainer.ENCODER_SCOPE, shape);
            Operand<TFloat32> features = tf.withName(OUTPUT).identity(encoder.apply(normalized, false));
            try (Session session = Sessions.open(net.graph())) {
                net.assign(session, weights);
                SavedModelBundle.exporter(dir.toString())
                        .withTags(EncoderWeights.TAG)
                        .withSession(session)
                        .withSignature(Signature.builder(SIGNATURE).input(INPUT, images).output(OUTPUT, features).build())
                        .export();
            }
            // TensorFlow makes repeated sub-scope names unique (encoder, encoder_1, ...), so graph op
            // names differ from the harness's variable names: the map lets EncoderWeights read them back.
            StringBuilder names = new StringBuilder("# harness variable name <TAB> graph op name\n");
            for (Net.Var v : net.vars(Net.under(PretextTrainer.ENCODER_SCOPE))) {
                names.append(v.name()).append('\t').append(v.variable().op().name()).append('\n');
            }
            Files.createDirectories(dir.resolve(VARIABLE_NAMES).getParent());
            Files.writeString(dir.resolve(VARIABLE_NAMES), names);
            return encoder.featureDim();
        }
    }

    /** Renames {@code tmp} to {@code dest}; an existing {@code dest} is moved aside first and deleted after. */
    private static void replace(Path tmp, Path dest) throws IOException {
        if (!Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path old = Files.createTempDirectory(dest.toAbsolutePath().getParent(), "." + dest.getFileName() + ".old-");
        Files.delete(old);
        Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(old, dest, StandardCopyOption.ATOMIC_MOVE); // put the previous export back
            throw e;
        }
        deleteTree(old);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(dir);
            return;
        }
        Set<Path> all = new LinkedHashSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
