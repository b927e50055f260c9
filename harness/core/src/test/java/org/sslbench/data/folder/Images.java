package org.sslbench.data.folder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Generated image files for the folder tests (ImageIO writers, no binary fixtures). */
final class Images {
    private Images() {
    }

    /** A w×h image of one RGB colour. */
    static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    static Path write(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    /** {@code root/<class>/<i>.png} with {@code perClass} solid images per class, colour = class. */
    static void classFolders(Path root, int perClass, String... classes) throws IOException {
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < perClass; i++) {
                write(solid(8, 8, colour(c, i)), "png", root.resolve(classes[c]).resolve(String.format("%03d.png", i)));
            }
        }
    }

    /** A distinct colour per class and image: red = 40 × class, green = image index, blue = 200. */
    static int colour(int c, int i) {
        return (40 * c) << 16 | (i & 0xFF) << 8 | 200;
    }
}
