package org.sslbench.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.ImageShape;
import org.sslbench.method.Param;
import org.sslbench.spec.Catalog;

/**
 * A catalog without plugins or files, for spec and matrix tests:
 * <ul>
 *   <li>methods {@code supervised} (no params, no pretext run) and {@code rotation}
 *       (param {@code all_four}, Boolean, default false);</li>
 *   <li>datasets {@code tiny} (8×8×1, 10 classes, 50 labelled images per class),
 *       {@code tiny-rgb} (8×8×3, 10 classes, 30 per class) and {@code broken}, whose
 *       {@code describe} throws a {@link DataException} as missing files would;</li>
 *   <li>backbones {@code resnet20}, {@code small-cnn}; protocols {@code finetune}, {@code linear},
 *       {@code knn}, {@code supcon}, {@code fixmatch} with their real declarations (org.sslbench.evaluate.Protocols);
 *       augmentations {@code shift} (Double), {@code hflip} (Boolean).</li>
 * </ul>
 */
public final class FakeCatalog implements Catalog {
    public static final String TINY = "tiny";
    public static final String TINY_RGB = "tiny-rgb";
    public static final String BROKEN = "broken";

    @Override
    public Map<String, List<Param>> methods() {
        Map<String, List<Param>> methods = new LinkedHashMap<>();
        methods.put("supervised", List.of());
        methods.put("rotation", List.of(new Param("all_four", false, "train on all four rotations of each image")));
        return methods;
    }

    @Override
    public boolean pretrains(String method) {
        return method.equals("rotation");
    }

    @Override
    public Set<String> datasets() {
        return new LinkedHashSet<>(List.of(TINY, TINY_RGB, BROKEN));
    }

    @Override
    public DatasetInfo describe(String dataset, Path dataDir) throws DataException {
        return switch (dataset) {
            case TINY -> info(TINY, new ImageShape(8, 8, 1), 50);
            case TINY_RGB -> info(TINY_RGB, new ImageShape(8, 8, 3), 30);
            case BROKEN -> throw new DataException("broken-train.bin not found in " + dataDir);
            default -> throw new DataException("no dataset " + dataset);
        };
    }

    private static DatasetInfo info(String name, ImageShape shape, int perClass) {
        List<String> classes = IntStream.range(0, 10).mapToObj(i -> "class" + i).toList();
        int[] trainPerClass = new int[classes.size()];
        Arrays.fill(trainPerClass, perClass);
        int train = perClass * classes.size();
        return new DatasetInfo(name, shape, classes, 2 * train, train, trainPerClass, train / 5);
    }

    @Override
    public Set<String> backbones() {
        return new LinkedHashSet<>(List.of("resnet20", "small-cnn"));
    }

    /** As the real ones: small-cnn has no BatchNorm, resnet20 has. */
    @Override
    public boolean batchNorm(String backbone) {
        return !backbone.equals("small-cnn");
    }

    @Override
    public Set<String> protocols() {
        return new LinkedHashSet<>(List.of("finetune", "linear", "knn", "supcon", "fixmatch"));
    }

    @Override
    public Map<String, Class<?>> augmentations() {
        Map<String, Class<?>> augmentations = new LinkedHashMap<>();
        augmentations.put("shift", Double.class);
        augmentations.put("hflip", Boolean.class);
        return augmentations;
    }
}
