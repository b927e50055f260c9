package org.sslbench.data.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.ImageShape;

/** Formats, colour conversions and resizing of {@link ImageDecoder}, on files written here. */
class ImageDecoderTest {
    @TempDir
    Path tmp;

    private static byte[] decode(Path file, int h, int w, int channels, Resize resize) throws Exception {
        byte[] out = new byte[h * w * channels];
        new ImageDecoder(new ImageShape(h, w, channels), resize).decode(file, out);
        return out;
    }

    private static int u(byte b) {
        return b & 0xFF;
    }

    @Test
    void grayscaleKeepsItsStoredValuesAndBecomesThreeEqualChannels() throws Exception {
        BufferedImage g = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 100); // Java's linear-gray colour space would turn 100 into 172 via getRGB
        Path file = Images.write(g, "png", tmp.resolve("g.png"));
        assertEquals(100, u(decode(file, 4, 4, 1, Resize.CROP)[0]));
        byte[] rgb = decode(file, 4, 4, 3, Resize.CROP);
        assertEquals(100, u(rgb[0]));
        assertEquals(100, u(rgb[1]));
        assertEquals(100, u(rgb[2]));
    }

    @Test
    void sixteenBitGrayIsScaledToEightBits() throws Exception {
        BufferedImage g = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        g.getRaster().setSample(0, 0, 0, 32896); // 128 × 257
        g.getRaster().setSample(1, 0, 0, 65535);
        Path file = Images.write(g, "png", tmp.resolve("g16.png"));
        byte[] out = decode(file, 2, 2, 1, Resize.CROP);
        assertEquals(128, u(out[0]));
        assertEquals(255, u(out[1]));
    }

    @Test
    void rgbToOneChannelIsBt601LumaAsPil() throws Exception {
        Path file = Images.write(Images.solid(2, 2, 0xC86432), "png", tmp.resolve("c.png")); // 200, 100, 50
        int expected = (19595 * 200 + 38470 * 100 + 7471 * 50 + 0x8000) >> 16;
        assertEquals(expected, u(decode(file, 2, 2, 1, Resize.CROP)[0]));
    }

    @Test
    void alphaIsDroppedAndPaletteImagesGiveTheirColours() throws Exception {
        BufferedImage a = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        a.setRGB(0, 0, 0x10_204060);
        byte[] out = decode(Images.write(a, "png", tmp.resolve("a.png")), 2, 2, 3, Resize.CROP);
        assertEquals(0x20, u(out[0]));
        assertEquals(0x40, u(out[1]));
        assertEquals(0x60, u(out[2]));
        byte[] r = {(byte) 10, (byte) 250};
        byte[] gr = {(byte) 20, (byte) 5};
        byte[] b = {(byte) 30, (byte) 77};
        BufferedImage p = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, gr, b));
        p.getRaster().setSample(1, 0, 0, 1);
        byte[] pal = decode(Images.write(p, "png", tmp.resolve("p.png")), 2, 2, 3, Resize.CROP);
        assertEquals(10, u(pal[0]));
        assertEquals(250, u(pal[3]));
        assertEquals(5, u(pal[4]));
        assertEquals(77, u(pal[5]));
        byte[] gif = decode(Images.write(p, "gif", tmp.resolve("p.gif")), 2, 2, 3, Resize.CROP);
        assertEquals(250, u(gif[3]));
    }

    @Test
    void progressiveJpegTiffAndBmpDecode() throws Exception {
        BufferedImage img = Images.solid(16, 16, 0x3366CC);
        Path prog = tmp.resolve("p.jpg");
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = w.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        try (ImageOutputStream o = ImageIO.createImageOutputStream(prog.toFile())) {
            w.setOutput(o);
            w.write(null, new IIOImage(img, null, null), param);
        }
        w.dispose();
        for (Path f : new Path[] {prog, Images.write(img, "tiff", tmp.resolve("t.tif")),
                Images.write(img, "bmp", tmp.resolve("b.bmp"))}) {
            byte[] out = decode(f, 16, 16, 3, Resize.CROP);
            assertEquals(0x33, u(out[0]), 6, f.toString());
            assertEquals(0x66, u(out[1]), 6, f.toString());
            assertEquals(0xCC, u(out[2]), 6, f.toString());
        }
    }

    @Test
    void webpDecodesThroughTwelveMonkeys() throws Exception {
        Path file = tmp.resolve("python.webp");
        try (var in = ImageDecoderTest.class.getResourceAsStream("python.webp")) {
            Files.copy(in, file);
        }
        byte[] out = decode(file, 16, 16, 3, Resize.CROP);
        java.util.Set<Integer> values = new java.util.HashSet<>();
        for (byte b : out) {
            values.add(u(b));
        }
        assertTrue(values.size() > 4, "a picture, not a constant: " + values);
    }

    /**
     * An Adobe CMYK JPEG without an ICC profile (inverted CMYK, as Photoshop writes it): the JDK's
     * own reader refuses 4-channel JPEGs; TwelveMonkeys converts them, warning that it has no colour
     * profile, which is not damage.
     */
    @Test
    void aColourProfileWarningIsNotDamage() throws Exception {
        Path file = tmp.resolve("cmyk.jpg");
        try (var in = ImageDecoderTest.class.getResourceAsStream("cmyk-adobe-no-profile.jpg")) {
            Files.copy(in, file);
        }
        byte[] out = new byte[16 * 16 * 3];
        new ImageDecoder(new ImageShape(16, 16, 3), Resize.STRETCH).decode(file, out);
        assertTrue(ImageDecoder.COLOUR_ONLY.matcher("No embedded ICC color profile, will convert using inaccurate CMYK"
                + " to RGB conversion. Colors may look incorrect.").find());
        assertTrue(!ImageDecoder.COLOUR_ONLY.matcher("Premature end of JPEG file").find());
    }

    @Test
    void anAdobeCmykJpegWithoutAProfileDecodesToItsColour() throws Exception {
        int r = 200;
        int g = 100;
        int b = 50; // a file without the right markers can decode to other green and blue values
        int k = 255 - Math.max(r, Math.max(g, b));
        int[] cmyk = {(255 - r - k) * 255 / (255 - k), (255 - g - k) * 255 / (255 - k), (255 - b - k) * 255 / (255 - k), k};
        WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setPixel(x, y, new int[] {255 - cmyk[0], 255 - cmyk[1], 255 - cmyk[2], 255 - cmyk[3]});
            }
        }
        Path file = tmp.resolve("cmyk.jpg");
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream o = ImageIO.createImageOutputStream(file.toFile())) {
            w.setOutput(o);
            w.write(null, new IIOImage(raster, null, null), null);
        }
        // Refused as "damaged" before the colour-profile warning was told apart from damage.
        byte[] out = decode(file, 8, 8, 3, Resize.CROP);
        assertEquals(r, u(out[0]), 40, "red");
        for (int i = 3; i < out.length; i++) {
            assertEquals(out[i % 3], out[i], "one colour throughout");
        }
        // Which writer conventions (inverted or not, YCCK or not) a CMYK file follows is not always
        // recorded, so only red is checked against the source colour.
    }

    @Test
    void cropKeepsTheCentreStretchKeepsEverythingPadAddsBlackBorders() throws Exception {
        BufferedImage bands = new BufferedImage(30, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                bands.setRGB(x, y, x < 10 ? 0xFF0000 : x < 20 ? 0x00FF00 : 0x0000FF);
            }
        }
        Path file = Images.write(bands, "png", tmp.resolve("bands.png"));
        byte[] crop = decode(file, 10, 10, 3, Resize.CROP);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, u(crop[3 * i]));
            assertEquals(255, u(crop[3 * i + 1]));
        }
        byte[] stretch = decode(file, 2, 6, 3, Resize.STRETCH);
        assertTrue(u(stretch[0]) > 200 && u(stretch[2]) < 60, "left: red");
        assertTrue(u(stretch[3 * 5 + 2]) > 200 && u(stretch[3 * 5]) < 60, "right: blue");
        Path white = Images.write(Images.solid(20, 10, 0xFFFFFF), "png", tmp.resolve("white.png"));
        byte[] pad = decode(white, 10, 10, 1, Resize.PAD);
        assertEquals(0, u(pad[0]), "top border");
        assertEquals(0, u(pad[99]), "bottom border");
        assertTrue(u(pad[5 * 10 + 5]) >= 250, "the image, centred");
    }

    /** Thin and tiny images padded: the colour plus black borders (a 4-band resampler output leaked alpha). */
    @Test
    void paddingThinAndTinyImagesKeepsTheirColour() throws Exception {
        int luma = (19595 * 200 + 38470 * 100 + 7471 * 50 + 0x8000) >> 16;
        for (int[] wh : new int[][] {{1, 1}, {3, 3}, {1, 5}, {7, 3}, {100, 7}}) {
            Path file = Images.write(Images.solid(wh[0], wh[1], 0xC86432), "png", tmp.resolve("t" + wh[0] + "x" + wh[1] + ".png"));
            byte[] rgb = decode(file, 32, 32, 3, Resize.PAD);
            byte[] gray = decode(file, 32, 32, 1, Resize.PAD);
            int centre = 16 * 32 + 16;
            String at = wh[0] + "x" + wh[1];
            assertEquals(200, u(rgb[3 * centre]), 3, at);
            assertEquals(100, u(rgb[3 * centre + 1]), 3, at);
            assertEquals(50, u(rgb[3 * centre + 2]), 3, at);
            assertEquals(luma, u(gray[centre]), 3, at);
            for (byte b : rgb) {
                int v = u(b);
                assertTrue(v == 0 || Math.abs(v - 200) <= 3 || Math.abs(v - 100) <= 3 || Math.abs(v - 50) <= 3,
                        at + ": only the colour and black, got " + v);
            }
        }
    }

    @Test
    void anythingElseIsCorruptWithAReason() throws Exception {
        Path text = tmp.resolve("fake.png");
        Files.writeString(text, "hello");
        ImageDecoder.CorruptImageException e = assertThrows(ImageDecoder.CorruptImageException.class,
                () -> decode(text, 2, 2, 3, Resize.CROP));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    }
}
