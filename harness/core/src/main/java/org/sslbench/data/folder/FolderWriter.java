package org.sslbench.data.folder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.sslbench.data.Dataset;
import org.sslbench.data.ImageSet;
import org.sslbench.data.ImageShape;

/**
 * Writes a loaded dataset as an image-folder tree, {@code <dir>/train/<class>/<index>.png} and
 * {@code <dir>/test/<class>/<index>.png} (index = the image's position in its split, zero-padded,
 * so each class's files sort in the split's order and label subsets drawn from the folder are the
 * images drawn from the original). Class names become directory names with '/' replaced by '_'
 * (Fashion-MNIST's "T-shirt/top"). Written to a temporary directory and renamed into place.
 */
public final class FolderWriter {
    private FolderWriter() {
    }

    /**
     * @return the number of images written
     * @throws IOException when {@code dir} exists or cannot be written
     */
    public static int write(Dataset data, Path dir) throws IOException {
        if (Files.exists(dir)) {
            throw new IOException(dir + " already exists; remove it to write it again");
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeAbandoned(parent, "." + dir.getFileName() + ".tmp-");
        Path tmp = Files.createDirectories(parent.resolve("." + dir.getFileName() + ".tmp-" + ProcessHandle.current().pid()));
        try {
            int n = split(data.train(), data.classNames(), tmp.resolve("train"));
            n += split(data.test(), data.classNames(), tmp.resolve("test"));
            // Another run writing the same tree at the same moment: its complete tree is as good as ours.
            FolderCache.publish(tmp, dir, d -> true);
            return n;
        } catch (IOException | RuntimeException e) {
            FolderCache.deleteTree(tmp);
            throw e;
        }
    }

    /** Temporary trees of earlier runs whose process is gone (killed while writing). */
    private static void removeAbandoned(Path parent, String prefix) throws IOException {
        try (var ds = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : ds) {
                String pid = p.getFileName().toString().substring(prefix.length());
                if (pid.chars().allMatch(Character::isDigit) && !pid.isEmpty()
                        && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    FolderCache.deleteTree(p);
                }
            }
        }
    }

    /** Deletes a directory tree (temporary trees of tests and benchmarks). */
    public static void deleteTree(Path dir) throws IOException {
        FolderCache.deleteTree(dir);
    }

    /** A class name as a directory name. */
    public static String directoryName(String className) {
        return className.replace('/', '_').replace('\\', '_');
    }

    private static int split(ImageSet images, List<String> classes, Path root) throws IOException {
        for (String c : classes) {
            Files.createDirectories(root.resolve(directoryName(c)));
        }
        ImageShape s = images.shape();
        float[] px = new float[s.size()];
        int digits = Math.max(5, String.valueOf(images.size()).length());
        for (int i = 0; i < images.size(); i++) {
            images.readImage(i, px, 0);
            BufferedImage img = new BufferedImage(s.width(), s.height(),
                    s.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    int o = (y * s.width() + x) * s.channels();
                    if (s.channels() == 1) {
                        img.getRaster().setSample(x, y, 0, Math.round(px[o] * 255f));
                    } else {
                        int r = Math.round(px[o] * 255f);
                        int g = Math.round(px[o + 1] * 255f);
                        int b = Math.round(px[o + 2] * 255f);
                        img.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
            }
            Path file = root.resolve(directoryName(classes.get(images.label(i))))
                    .resolve(String.format(Locale.ROOT, "%0" + digits + "d.png", i));
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer in javax.imageio");
            }
        }
        return images.size();
    }
}
