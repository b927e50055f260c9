package org.sslbench.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sslbench.engine.Checkpoint;
import org.sslbench.engine.Tensors;
import org.tensorflow.GraphOperation;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Encoder weights a user brings: an sslbench checkpoint ({@code results/<spec>/pretext/<hash>.ckpt})
 * or a TensorFlow SavedModel directory written by {@code sslbench export}, read into the same
 * name → values map the harness assigns to its encoder variables ({@code encoder/...}).
 *
 * @param source   the file or directory read
 * @param kind     {@code checkpoint} or {@code savedmodel}
 * @param tensors  variable name → values (row-major)
 * @param shapes   variable name → shape; a checkpoint stores no shapes, so it is empty for one
 * @param metadata a checkpoint's metadata (method, backbone, dataset, ...); empty for a SavedModel
 */
public record EncoderWeights(Path source, String kind, Map<String, float[]> tensors, Map<String, long[]> shapes,
                             Map<String, String> metadata) {
    /** The tag {@code sslbench export} writes and {@link #read} loads (TensorFlow's serving tag). */
    public static final String TAG = "serve";

    /** TensorFlow op types of variables whose values a session fetch returns directly. */
    private static final List<String> VARIABLE_OPS = List.of("VariableV2", "Variable");

    /**
     * Reads {@code path}: a directory is a SavedModel (it must hold {@code saved_model.pb}), a file
     * an sslbench checkpoint (CRC-checked).
     *
     * @throws IOException naming {@code path} when it does not exist, is neither format, or is damaged
     */
    public static EncoderWeights read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null,
                    "weights not found: give an sslbench .ckpt checkpoint or a SavedModel directory from sslbench export");
        }
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("saved_model.pb"))) {
                throw new IOException("weights " + path + " is a directory without saved_model.pb, so not a SavedModel;"
                        + " give a directory written by sslbench export or an sslbench .ckpt file");
            }
            return readSavedModel(path);
        }
        Checkpoint c = Checkpoint.read(path);
        return new EncoderWeights(path, "checkpoint", c.tensors(), Map.of(), c.metadata());
    }

    private static EncoderWeights readSavedModel(Path dir) throws IOException {
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.load(dir.toString(), TAG);
        } catch (RuntimeException e) {
            throw new IOException("weights " + dir + " cannot be loaded as a SavedModel with tag '" + TAG + "': "
                    + e.getMessage(), e);
        }
        try (bundle) {
            Map<String, String> harnessNames = harnessNames(dir);
            List<String> ops = new ArrayList<>();
            for (Iterator<GraphOperation> it = bundle.graph().operations(); it.hasNext(); ) {
                GraphOperation op = it.next();
                if (VARIABLE_OPS.contains(op.type())) {
                    ops.add(op.name());
                }
            }
            Map<String, float[]> tensors = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Session session = bundle.session();
            for (String op : ops) {
                String name = harnessNames.getOrDefault(op, op);
                try (var result = session.runner().fetch(op).run()) {
                    if (!(result.get(0) instanceof TFloat32 t)) {
                        throw new IOException("weights " + dir + ": variable " + op + " is not float32");
                    }
                    tensors.put(name, Tensors.toFloats(t));
                    shapes.put(name, t.shape().asArray());
                }
            }
            return new EncoderWeights(dir, "savedmodel", tensors, shapes, Map.of());
        }
    }

    /** Graph op name → harness variable name from an sslbench export's map; empty for other SavedModels. */
    private static Map<String, String> harnessNames(Path dir) throws IOException {
        Path file = dir.resolve(SavedModelExport.VARIABLE_NAMES);
        Map<String, String> out = new java.util.HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (!line.startsWith("#") && f.length == 2) {
                out.put(f[1], f[0]);
            }
        }
        return out;
    }

    /**
     * SHA-256 (64 hex digits) of the content at {@code path}: a file's bytes, or for a directory each
     * regular file's relative path (with '/') and SHA-256, in path order. Renaming or moving the
     * whole file or directory keeps it; changing any byte inside changes it.
     *
     * @throws IOException when {@code path} or a file under it cannot be read
     */
    public static String sha256(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return fileSha256(path);
        }
        MessageDigest tree = digest();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = path.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            tree.update((rel + "\0" + fileSha256(f) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(tree.digest());
    }

    private static String fileSha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
