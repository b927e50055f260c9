package org.sslbench.data.folder;

import com.twelvemonkeys.image.ResampleOp;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.sslbench.data.ImageShape;

/**
 * One image file → {@code shape.size()} uint8 values in HWC order, decoded by javax.imageio with
 * the TwelveMonkeys plugins (baseline, progressive and CMYK JPEG, PNG including 16-bit, palette,
 * grayscale and alpha, GIF, BMP, TIFF, WebP) and resized by {@link Resize} with a Lanczos-3 filter.
 *
 * <p>Colour as torchvision's {@code ImageFolder} with PIL: alpha is dropped ({@code convert("RGB")}),
 * 16-bit samples are scaled to 8 bits, grayscale sources keep their stored values (not passed
 * through Java's linear-gray colour space), 3 → 1 channel is ITU-R BT.601 luma as PIL's
 * {@code convert("L")} computes it ((19595 R + 38470 G + 7471 B + 2^15) >> 16), and 1 → 3
 * channels repeats the gray value.
 *
 * <p>A file that no reader accepts, that throws while decoding, or whose reader warns of damaged
 * data (a truncated JPEG decodes with "premature end of data" warnings and grey rows; warnings
 * about colour profiles only do not count, see {@link #COLOUR_ONLY}) is corrupt:
 * {@link CorruptImageException}. Not thread-safe per instance; use one per thread.
 */
final class ImageDecoder {
    /**
     * Reader warnings about colour management only (TwelveMonkeys: "No embedded ICC color profile,
     * will convert using inaccurate CMYK->RGB conversion"; a profile it cannot use): the pixels are
     * all there, so such an image is decoded, not refused. Every other warning means damaged data.
     */
    static final java.util.regex.Pattern COLOUR_ONLY = java.util.regex.Pattern.compile(
            "(?i)icc|colou?r ?profile|colou?r ?space|cmyk");

    private final ImageShape shape;
    private final Resize resize;

    /** Raised for a file that is not a decodable image; the message says why. */
    static final class CorruptImageException extends Exception {
        CorruptImageException(String message) {
            super(message);
        }
    }

    ImageDecoder(ImageShape shape, Resize resize) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + shape.channels());
        }
        this.shape = shape;
        this.resize = resize;
    }

    /** Decodes {@code file} into {@code out} (length ≥ {@code shape.size()}), HWC uint8. */
    void decode(Path file, byte[] out) throws CorruptImageException {
        BufferedImage image = read(file);
        toBytes(image, out);
    }

    /** Resizes and converts an already decoded image (also used for tests and other sources). */
    void toBytes(BufferedImage image, byte[] out) {
        boolean gray = isGray(image);
        BufferedImage work = gray ? grayOf(image) : rgbOf(image);
        work = fit(work);
        int h = shape.height();
        int w = shape.width();
        if (gray) {
            Raster r = work.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = row[x];
                    int o = (y * w + x) * shape.channels();
                    for (int c = 0; c < shape.channels(); c++) {
                        out[o + c] = (byte) v;
                    }
                }
            }
            return;
        }
        int[] rgb = work.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            int red = (p >> 16) & 0xFF;
            int green = (p >> 8) & 0xFF;
            int blue = p & 0xFF;
            if (shape.channels() == 3) {
                out[3 * i] = (byte) red;
                out[3 * i + 1] = (byte) green;
                out[3 * i + 2] = (byte) blue;
            } else {
                out[i] = (byte) ((19595 * red + 38470 * green + 7471 * blue + 0x8000) >> 16);
            }
        }
    }

    private static BufferedImage read(Path file) throws CorruptImageException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new CorruptImageException("cannot be opened as an image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new CorruptImageException("not an image in any format javax.imageio and TwelveMonkeys read"
                        + " (JPEG, PNG, GIF, BMP, TIFF, WebP); the file may be damaged or mis-named");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((IIOReadWarningListener) (source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                List<String> damage = warnings.stream().filter(w -> !COLOUR_ONLY.matcher(w).find()).toList();
                if (!damage.isEmpty()) {
                    throw new CorruptImageException("damaged or truncated (" + reader.getFormatName() + " decoder: "
                            + String.join("; ", damage) + ")");
                }
                if (image.getWidth() <= 0 || image.getHeight() <= 0) {
                    throw new CorruptImageException("has no pixels");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Decoders signal damaged data with IIOException, EOFException or runtime errors alike.
            String m = e.getMessage();
            throw new CorruptImageException("damaged or truncated (" + (m == null ? e.getClass().getSimpleName() : m) + ")");
        }
    }

    /** One colour band (gray or gray + alpha) and no palette: keep the stored values. */
    private static boolean isGray(BufferedImage image) {
        return !(image.getColorModel() instanceof IndexColorModel) && image.getRaster().getNumBands() <= 2
                && image.getColorModel().getColorSpace().getNumComponents() == 1;
    }

    /** Gray values as stored (band 0; 16-bit scaled to 8 with rounding), as TYPE_BYTE_GRAY. */
    private static BufferedImage grayOf(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster r = image.getRaster();
        int bits = image.getColorModel().getComponentSize(0);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[w];
        long max = (1L << bits) - 1;
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            if (bits != 8) {
                for (int x = 0; x < w; x++) {
                    row[x] = (int) ((row[x] * 255L + max / 2) / max);
                }
            }
            out.getRaster().setSamples(0, y, w, 1, 0, row);
        }
        return out;
    }

    /** sRGB, alpha dropped, as TYPE_INT_RGB (getRGB converts palette, CMYK-converted, 16-bit, ... images). */
    private static BufferedImage rgbOf(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    /** The image at the declared size: crop, stretch or pad, then Lanczos resampling. */
    private BufferedImage fit(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int tw = shape.width();
        int th = shape.height();
        if (w == tw && h == th) {
            return image;
        }
        switch (resize) {
            case STRETCH -> {
                return resample(image, tw, th);
            }
            case CROP -> {
                // The largest centred region with the target's aspect ratio, then scaled: the same as
                // scaling the shorter side to the target and cutting the centre.
                int cw = w;
                int ch = h;
                if ((long) w * th > (long) h * tw) {
                    cw = (int) Math.max(1, Math.round((double) h * tw / th));
                } else {
                    ch = (int) Math.max(1, Math.round((double) w * th / tw));
                }
                BufferedImage cut = image.getSubimage((w - cw) / 2, (h - ch) / 2, cw, ch);
                return cw == tw && ch == th ? copy(cut) : resample(cut, tw, th);
            }
            default -> {
                double s = Math.min((double) tw / w, (double) th / h);
                int sw = (int) Math.max(1, Math.min(tw, Math.round(w * s)));
                int sh = (int) Math.max(1, Math.min(th, Math.round(h * s)));
                BufferedImage scaled = sw == w && sh == h ? image : resample(image, sw, sh);
                BufferedImage canvas = new BufferedImage(tw, th, image.getType()); // zero = black
                int x0 = (tw - sw) / 2;
                int y0 = (th - sh) / 2;
                // By value, not by raster: the resampler may return another layout than the canvas's
                // (4 bands for a few-pixel side), and copying its raster mixed alpha into the colours.
                if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    canvas.getRaster().setSamples(x0, y0, sw, sh, 0, scaled.getRaster().getSamples(0, 0, sw, sh, 0, (int[]) null));
                } else {
                    canvas.setRGB(x0, y0, sw, sh, scaled.getRGB(0, 0, sw, sh, null, 0, sw), 0, sw);
                }
                return canvas;
            }
        }
    }

    private static BufferedImage resample(BufferedImage image, int w, int h) {
        BufferedImage src = image.getRaster().getParent() != null ? copy(image) : image;
        return new ResampleOp(w, h, ResampleOp.FILTER_LANCZOS).filter(src, null);
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
        out.getRaster().setRect(0, 0, image.getData()); // a sub-image's raster starts at (0, 0) too
        return out;
    }
}
