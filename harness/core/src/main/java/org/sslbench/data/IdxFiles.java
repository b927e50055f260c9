package org.sslbench.data;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files (the MNIST / Fashion-MNIST format): a big-endian magic number whose
 * low byte is the number of dimensions, one big-endian int per dimension, then the uint8 payload.
 * Input may be gzipped; that is detected from the gzip magic bytes, not the file name, because
 * people gunzip files without renaming them and vice versa.
 */
public final class IdxFiles {
    /** uint8 images, dimensions count × rows × cols. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** uint8 labels, dimension count. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int CHUNK = 1 << 20;

    private IdxFiles() {
    }

    /** Dimensions of an IDX images file. */
    public record ImageHeader(int count, int rows, int cols) {
        public ImageShape shape() {
            return new ImageShape(rows, cols, 1);
        }
    }

    /** Header and pixels of an IDX images file; the pixels are already HWC with one channel. */
    record Images(ImageHeader header, byte[] pixels) {
    }

    /** Reads only the header of an images file (a gzipped file is decompressed just that far). */
    public static ImageHeader readImageHeader(String name, InputStream in) throws DataException, IOException {
        return header(name, parse(name, in, IMAGES_MAGIC, true).dims);
    }

    /** Reads a labels file; every label must lie in [0, classes). */
    public static int[] readLabels(String name, InputStream in, int classes) throws DataException, IOException {
        byte[] payload = parse(name, in, LABELS_MAGIC, false).payload;
        int[] labels = new int[payload.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = payload[i] & 0xFF;
            DataFiles.checkLabel(name, i, labels[i], classes);
        }
        return labels;
    }

    /** Reads an images file and its labels file into one labelled set; the counts must agree. */
    public static ArrayImageSet read(String imagesName, InputStream images, String labelsName, InputStream labels,
                                     int classes) throws DataException, IOException {
        Images img = readImages(imagesName, images);
        int[] lab = readLabels(labelsName, labels, classes);
        checkPaired(imagesName, img.header.count(), labelsName, lab.length);
        return new ArrayImageSet(img.header.shape(), img.pixels, lab);
    }

    /** Images and labels pair up by position, so their counts must agree. */
    static void checkPaired(String imagesName, int images, String labelsName, int labels) throws DataException {
        if (images != labels) {
            throw new DataException("file " + imagesName + " has " + images + " images but file "
                    + labelsName + " has " + labels + " labels; they must pair up one to one");
        }
    }

    static Images readImages(String name, InputStream in) throws DataException, IOException {
        Parsed p = parse(name, in, IMAGES_MAGIC, false);
        return new Images(header(name, p.dims), p.payload);
    }

    /** Writes an uncompressed images file of {@code pixels.length / (rows*cols)} images. */
    public static void writeImages(OutputStream out, int rows, int cols, byte[] pixels) throws IOException {
        if (rows <= 0 || cols <= 0 || pixels.length % (rows * cols) != 0) {
            throw new IllegalArgumentException(pixels.length + " pixels are not a whole number of " + rows + "x" + cols + " images");
        }
        DataOutputStream d = new DataOutputStream(out); // big-endian, as IDX requires
        d.writeInt(IMAGES_MAGIC);
        d.writeInt(pixels.length / (rows * cols));
        d.writeInt(rows);
        d.writeInt(cols);
        d.write(pixels);
        d.flush();
    }

    /** Writes an uncompressed labels file; labels must fit a byte. */
    public static void writeLabels(OutputStream out, int[] labels) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(LABELS_MAGIC);
        d.writeInt(labels.length);
        for (int label : labels) {
            if (label < 0 || label > 255) {
                throw new IllegalArgumentException("IDX label " + label + " does not fit a byte");
            }
            d.write(label);
        }
        d.flush();
    }

    private record Parsed(int[] dims, byte[] payload) {
    }

    private static ImageHeader header(String name, int[] dims) throws DataException {
        if (dims[1] <= 0 || dims[2] <= 0) {
            throw new DataException("file " + name + ": image size " + dims[1] + "x" + dims[2] + " in the header is not positive");
        }
        return new ImageHeader(dims[0], dims[1], dims[2]);
    }

    /**
     * Checks magic and dimensions and, unless {@code headerOnly}, reads the payload and checks that
     * the file ends exactly where the header says: a short file is truncated, a long one is not the
     * file the header describes, and both would otherwise load silently shifted data.
     */
    private static Parsed parse(String name, InputStream raw, int magic, boolean headerOnly)
            throws DataException, IOException {
        String kind = magic == IMAGES_MAGIC ? "images" : "labels";
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        String size = gzip ? " bytes after gunzip" : " bytes";
        try {
            if (gzip) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            int rank = magic & 0xFF;
            byte[] head = in.readNBytes(4 + 4 * rank);
            if (head.length < 4) {
                throw new DataException("file " + name + ": only " + head.length + size + ", too short for an IDX header");
            }
            int found = intAt(head, 0);
            if (found != magic) {
                String other = found == IMAGES_MAGIC ? " (that is an images file)" : found == LABELS_MAGIC ? " (that is a labels file)" : "";
                throw new DataException(String.format("file %s: wrong IDX magic 0x%08x, expected 0x%08x (%s)%s",
                        name, found, magic, kind, other));
            }
            if (head.length < 4 + 4 * rank) {
                throw new DataException("file " + name + ": truncated IDX header: " + head.length + size
                        + ", expected " + (4 + 4 * rank));
            }
            int[] dims = new int[rank];
            long payload = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = intAt(head, 4 + 4 * i);
                if (dims[i] < 0) {
                    throw new DataException("file " + name + ": dimension " + i + " in the header is negative (" + dims[i] + ")");
                }
                payload *= dims[i];
            }
            if (payload > Integer.MAX_VALUE - 64) {
                throw new DataException("file " + name + ": header dimensions " + dimsText(dims) + " need " + payload
                        + " bytes, more than one array can hold");
            }
            if (headerOnly) {
                return new Parsed(dims, null);
            }
            long expected = head.length + payload;
            byte[] data = new byte[(int) payload];
            int got = 0;
            try {
                while (got < data.length) {
                    int n = in.readNBytes(data, got, Math.min(CHUNK, data.length - got));
                    if (n == 0) {
                        break;
                    }
                    got += n;
                }
            } catch (EOFException e) {
                // A cut-off gzip stream: report how far it got, like a cut-off raw file.
                throw new DataException("file " + name + ": truncated: header " + dimsText(dims) + " needs " + expected
                        + size + ", but the gzip stream breaks off after " + (head.length + got) + " (" + e.getMessage() + ")", e);
            }
            long extra = got < data.length ? 0 : in.transferTo(OutputStream.nullOutputStream());
            if (got < data.length || extra > 0) {
                throw new DataException("file " + name + ": " + (extra > 0 ? "too long" : "truncated") + ": header "
                        + dimsText(dims) + " needs exactly " + expected + size + " (" + head.length
                        + "-byte header + " + payload + " bytes of " + kind + "), but the file has " + (head.length + got + extra));
            }
            return new Parsed(dims, data);
        } catch (ZipException | EOFException e) {
            throw new DataException("file " + name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static int intAt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static String dimsText(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int d : dims) {
            sb.append(sb.length() == 0 ? "" : "x").append(d);
        }
        return sb.toString();
    }
}
