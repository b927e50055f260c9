package org.sslbench.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Encoder weights on disk: named float arrays plus metadata, CRC-32 protected, written to a temp
 * file and renamed atomically. A checkpoint that was cut short or altered fails {@link #read}
 * instead of silently feeding a half-trained encoder into every downstream cell.
 *
 * <p>Layout (big-endian): magic "SSLBCKPT", version int, metadata count + (key, value) UTF
 * strings, tensor count + (name UTF, value count int, floats), then CRC-32 of everything before.
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "SSLBCKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Map<String, String> metadata;
    private final Map<String, float[]> tensors;

    public Checkpoint(Map<String, String> metadata, Map<String, float[]> tensors) {
        this.metadata = new TreeMap<>(metadata);
        this.tensors = new LinkedHashMap<>(tensors);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Map<String, float[]> tensors() {
        return tensors;
    }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(tensors.size());
            for (Map.Entry<String, float[]> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                float[] v = e.getValue();
                out.writeInt(v.length);
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.BIG_ENDIAN);
                buf.asFloatBuffer().put(v);
                out.write(buf.array());
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(body));
            ch.write(ByteBuffer.allocate(8).putLong(crc.getValue()).flip());
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The metadata of a checkpoint without its tensors or CRC check: for the report, which needs
     * only the stored pretext numbers (monitor kNN, RankMe, pool size) and must stay fast on a
     * directory of large encoders. A damaged file can still be read here; {@link #read} verifies it
     * before any weights are used.
     *
     * @throws IOException when the file is not an sslbench checkpoint of this version, or its header is cut short
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            return header(in, file);
        } catch (java.io.EOFException e) {
            throw new IOException("checkpoint " + file + " is truncated (metadata cut short)", e);
        }
    }

    /** Magic, version and metadata at the start of a checkpoint stream: the part both readers share. */
    private static Map<String, String> header(DataInputStream in, Path file) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("checkpoint " + file + " is not an sslbench checkpoint");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("checkpoint " + file + " has version " + version + ", expected " + VERSION);
        }
        Map<String, String> meta = new TreeMap<>();
        int nMeta = in.readInt();
        for (int i = 0; i < nMeta; i++) {
            meta.put(in.readUTF(), in.readUTF());
        }
        return meta;
    }

    /** Reads and verifies a checkpoint; any damage is an IOException naming the file. */
    public static Checkpoint read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 12) {
            throw new IOException("checkpoint " + file + " is truncated (" + all.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException("checkpoint " + file + " is corrupt (CRC mismatch); delete it to retrain");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            Map<String, String> meta = header(in, file);
            Map<String, float[]> tensors = new LinkedHashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                float[] v = new float[in.readInt()];
                ByteBuffer.wrap(in.readNBytes(v.length * 4)).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(v);
                tensors.put(name, v);
            }
            return new Checkpoint(meta, tensors);
        }
    }
}
