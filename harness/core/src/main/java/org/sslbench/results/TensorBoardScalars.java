package org.sslbench.results;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Reads the scalars of TensorBoard event files back (what {@link TensorBoard} wrote): every
 * {@code events.out.tfevents*} file under a directory, parsed as TFRecords (uint64 length, uint32
 * masked CRC, the bytes, uint32 masked CRC; little-endian) of {@code tensorflow.Event} protos.
 * CRCs are not checked: this is for tests and quick looks, TensorBoard itself reads the files.
 */
public final class TensorBoardScalars {
    private TensorBoardScalars() {
    }

    /**
     * @return tag → "step=value" per scalar, in file order, files in path order
     * @throws IOException when a file cannot be read or holds a malformed record
     */
    public static Map<String, List<String>> read(Path dir) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).sorted().toList()) {
                for (Event e : events(f)) {
                    for (Summary.Value v : e.getSummary().getValueList()) {
                        float x = v.hasTensor() ? v.getTensor().getFloatVal(0) : v.getSimpleValue();
                        out.computeIfAbsent(v.getTag(), k -> new ArrayList<>()).add(e.getStep() + "=" + x);
                    }
                }
            }
        }
        return out;
    }

    private static List<Event> events(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            byte[] header = new byte[12];
            while (true) {
                try {
                    in.readFully(header);
                } catch (EOFException end) {
                    return out;
                }
                long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (length < 0 || length > Integer.MAX_VALUE) {
                    throw new IOException(file + ": not a TFRecord file (record length " + length + ")");
                }
                byte[] data = new byte[(int) length];
                in.readFully(data);
                in.readFully(new byte[4]);
                out.add(Event.parseFrom(data));
            }
        }
    }
}
