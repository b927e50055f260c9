package org.sslbench.download;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.sslbench.data.FashionMnistFactory;

/** The official sources of the datasets {@code sslbench data} can fetch. */
public final class DataSources {
    public static final String CIFAR10 = "cifar10";
    public static final String STL10 = "stl10";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final List<String> DATASETS = List.of(CIFAR10, STL10, FASHION_MNIST);

    static final URI CIFAR10_BASE = URI.create("https://www.cs.toronto.edu/~kriz/");
    static final URI STL10_BASE = URI.create("http://ai.stanford.edu/~acoates/stl10/");
    static final URI FASHION_MNIST_BASE =
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");

    private DataSources() {
    }

    /** The dataset's official source, or {@code null} for a dataset that cannot be downloaded. */
    public static DataSource official(String dataset) {
        return switch (dataset) {
            case CIFAR10 -> at(dataset, CIFAR10_BASE);
            case STL10 -> at(dataset, STL10_BASE);
            case FASHION_MNIST -> at(dataset, FASHION_MNIST_BASE);
            default -> null;
        };
    }

    /**
     * The dataset's files (same names, sizes and checksums as the official ones) under another base
     * URL: a mirror, or a local server in tests.
     */
    public static DataSource at(String dataset, URI base) {
        String b = base.toString().endsWith("/") ? base.toString() : base + "/";
        switch (dataset) {
            case CIFAR10:
                // Only the archive's MD5 is published (cs.toronto.edu/~kriz/cifar.html); it covers
                // every file it installs: the six batches, batches.meta.txt (the class names the
                // loader reads when present) and readme.html. The last two are optional for an
                // install (the loader falls back to the standard names) but checked when there.
                return new DataSource(CIFAR10, "cifar-10-batches-bin", true,
                        List.of(new RemoteFile("cifar-10-binary.tar.gz", URI.create(b + "cifar-10-binary.tar.gz"),
                                "c32a1d4ab5d03f1284b67883e8d87530", 170_052_171L)),
                        List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                                "data_batch_5.bin", "test_batch.bin"),
                        Map.of(), "", List.of("batches.meta.txt", "readme.html"));
            case STL10:
                // Archive MD5 as torchvision.datasets.STL10.tgz_md5 checks it; per-file MD5s as in
                // its train_list/test_list and the class_names.txt value other readers check. No
                // per-file MD5 of fold_indices.txt is published: the archive's MD5 covers it.
                return new DataSource(STL10, "stl10_binary", true,
                        List.of(new RemoteFile("stl10_binary.tar.gz", URI.create(b + "stl10_binary.tar.gz"),
                                "91f7769df0f17e558f3565bffb0c7dfb", -1)),
                        List.of("train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin", "unlabeled_X.bin",
                                "fold_indices.txt", "class_names.txt"),
                        Map.of("train_X.bin", "918c2871b30a85fa023e0c44e0bee87f",
                                "train_y.bin", "5a34089d4802c674881badbb80307741",
                                "test_X.bin", "7f263ba9f9e0b06b93213547f721ac82",
                                "test_y.bin", "36f9794fa4beb8a2c72628de14fa638e",
                                "unlabeled_X.bin", "5242ba1fed5e4be9e1e742405eb56ca4",
                                "class_names.txt", "6de44d022411c4d5cda4673b7f147c3f"),
                        "");
            case FASHION_MNIST:
                return new DataSource(FASHION_MNIST, "fashion-mnist", false,
                        List.of(gz(b, "train-images-idx3-ubyte", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                                gz(b, "train-labels-idx1-ubyte", "25c81989df183df01b3e8a0aad5dffbe"),
                                gz(b, "t10k-images-idx3-ubyte", "bef4ecab320f06d8554ea6380940ec79"),
                                gz(b, "t10k-labels-idx1-ubyte", "bb300cfdad3c16e7a12a480ee83cd310")),
                        List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                                "t10k-labels-idx1-ubyte.gz"),
                        Map.of(),
                        "install the Debian package (`apt-get install dataset-fashion-mnist`, files in "
                                + FashionMnistFactory.DEFAULT_DIR + ", used when no data directory is given)");
            default:
                throw new IllegalArgumentException("no download for dataset '" + dataset + "'; known: " + DATASETS);
        }
    }

    private static RemoteFile gz(String base, String name, String md5) {
        return new RemoteFile(name + ".gz", URI.create(base + name + ".gz"), md5, -1);
    }
}
