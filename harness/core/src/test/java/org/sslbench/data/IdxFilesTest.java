package org.sslbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sslbench.data.DataAssertions.assertDataError;
import static org.sslbench.data.DataAssertions.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.testing.FormatWriters;

class IdxFilesTest {
    @TempDir Path tmp;

    /** Three 2×3 images whose pixel i is (7 i + 1) mod 256, so each position has its own value. */
    private static byte[] pixels() {
        byte[] p = new byte[3 * 2 * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ((7 * i + 1) % 256);
        }
        return p;
    }

    private static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private static ArrayImageSet read(byte[] images, byte[] labels) throws Exception {
        return IdxFiles.read("imgs", in(images), "labs", in(labels), 10);
    }

    @Test
    void readsPixelsAsRowMajorFloatsWithLabels() throws Exception {
        ArrayImageSet set = read(FormatWriters.idxImages(2, 3, pixels()), FormatWriters.idxLabels(new int[] {4, 0, 9}));
        assertEquals(3, set.size());
        assertEquals(new ImageShape(2, 3, 1), set.shape());
        assertArrayEquals(new int[] {4, 0, 9}, set.labels());
        // image 1, row 1, col 2 is byte 6 + 1*3 + 2 = 11 of the payload: 7*11+1 = 78
        assertEquals(78 / 255f, image(set, 1)[5], 1e-6);
        assertEquals(1 / 255f, image(set, 0)[0], 1e-6);
    }

    @Test
    void detectsGzipByMagicBytesNotByName() throws Exception {
        byte[] raw = FormatWriters.idxImages(2, 3, pixels());
        Path gzNoSuffix = Files.write(tmp.resolve("images-plain-name"), FormatWriters.gzip(raw));
        Path rawWithSuffix = Files.write(tmp.resolve("images.gz"), raw);
        byte[] labels = FormatWriters.idxLabels(new int[] {1, 2, 3});
        for (Path p : new Path[] {gzNoSuffix, rawWithSuffix}) {
            try (InputStream images = Files.newInputStream(p)) {
                ArrayImageSet set = IdxFiles.read(p.toString(), images, "labs", in(FormatWriters.gzip(labels)), 10);
                assertArrayEquals(pixels(), FormatWriters.uint8(set), p.toString());
            }
        }
    }

    @Test
    void headerOnlyDoesNotNeedThePayload() throws Exception {
        byte[] raw = FormatWriters.idxImages(2, 3, pixels());
        byte[] cut = Arrays.copyOf(raw, 20); // header plus 4 of 18 pixel bytes
        assertEquals(new IdxFiles.ImageHeader(3, 2, 3), IdxFiles.readImageHeader("x", in(FormatWriters.gzip(cut))));
    }

    @Test
    void wrongMagicNamesFileAndBothMagics() {
        byte[] labels = FormatWriters.idxLabels(new int[] {1});
        assertDataError(() -> IdxFiles.readImageHeader("/d/train-images", in(labels)),
                "file /d/train-images: wrong IDX magic 0x00000801, expected 0x00000803 (images)");
        byte[] images = FormatWriters.idxImages(2, 3, pixels());
        assertDataError(() -> IdxFiles.readLabels("/d/labels", in(images), 10),
                "file /d/labels: wrong IDX magic 0x00000803, expected 0x00000801 (labels)");
    }

    @Test
    void truncatedFileGivesExpectedAndActualByteCounts() {
        byte[] raw = FormatWriters.idxImages(2, 3, pixels());
        byte[] cut = Arrays.copyOf(raw, raw.length - 5);
        assertDataError(() -> read(cut, FormatWriters.idxLabels(new int[] {1, 2, 3})),
                "file imgs: truncated", "34 bytes", "but the file has 29");
        assertDataError(() -> read(FormatWriters.gzip(cut), FormatWriters.idxLabels(new int[] {1, 2, 3})),
                "file imgs: truncated", "34 bytes after gunzip", "has 29");
    }

    @Test
    void truncatedGzipStreamNamesFile() {
        byte[] gz = FormatWriters.gzip(FormatWriters.idxImages(2, 3, pixels()));
        assertDataError(() -> read(Arrays.copyOf(gz, gz.length - 12), FormatWriters.idxLabels(new int[] {1, 2, 3})),
                "file imgs:");
    }

    @Test
    void trailingBytesAreAnError() {
        byte[] raw = FormatWriters.idxImages(2, 3, pixels());
        byte[] longer = Arrays.copyOf(raw, raw.length + 3);
        assertDataError(() -> read(longer, FormatWriters.idxLabels(new int[] {1, 2, 3})),
                "file imgs: too long", "exactly 34 bytes", "has 37");
    }

    @Test
    void tooShortForAHeader() {
        assertDataError(() -> IdxFiles.readLabels("tiny", in(new byte[] {0, 0}), 10), "file tiny: only 2 bytes");
        byte[] headOnly = Arrays.copyOf(FormatWriters.idxImages(2, 3, pixels()), 10);
        assertDataError(() -> IdxFiles.readImageHeader("short", in(headOnly)), "file short: truncated IDX header");
    }

    @Test
    void labelOutOfRangeNamesFileAndRecord() {
        assertDataError(() -> IdxFiles.readLabels("labs", in(FormatWriters.idxLabels(new int[] {0, 9, 10})), 10),
                "file labs: label 10 of record 2 is outside 0..9");
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        assertDataError(() -> read(FormatWriters.idxImages(2, 3, pixels()), FormatWriters.idxLabels(new int[] {1, 2})),
                "file imgs has 3 images but file labs has 2 labels");
    }

    @Test
    void productionWriterMatchesTheFormatByteForByte() throws IOException {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        IdxFiles.writeImages(images, 2, 3, pixels());
        assertArrayEquals(FormatWriters.idxImages(2, 3, pixels()), images.toByteArray());
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        IdxFiles.writeLabels(labels, new int[] {0, 255, 7});
        assertArrayEquals(FormatWriters.idxLabels(new int[] {0, 255, 7}), labels.toByteArray());
        // spot-check the format itself: big-endian magic and count
        byte[] raw = images.toByteArray();
        assertTrue(raw[2] == 8 && raw[3] == 3 && raw[7] == 3, Arrays.toString(Arrays.copyOf(raw, 16)));
    }
}
