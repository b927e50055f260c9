package org.sslbench.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sslbench.download.DataSource;
import org.sslbench.download.DataSources;
import org.sslbench.download.DatasetDownloader;
import org.sslbench.download.DownloadException;
import org.sslbench.download.HttpDownloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Download a dataset from its official source into the data directory, check its published"
                + " MD5 checksums and unpack it where `bench --data DIR` finds it. Interrupted downloads resume;"
                + " an installed dataset is not fetched again, but every file of it is checked (its own published"
                + " MD5, or the one recorded from the verified archive) and the result recorded in"
                + " DIR/<dataset>/.sslbench-verified; files unchanged since that record are not hashed again"
                + " unless --verify is given.",
                "Exit codes: 0 installed and verified (or already there and verified), 2 download, checksum or"
                        + " archive problem (the message names the file, the expected and the actual MD5, and what to"
                        + " do; says which files to put where when there is no network)."})
final class DataCommand implements Callable<Integer> {
    /** Where {@code make data} puts datasets when no DATA= is given (git-ignored). */
    static final Path DEFAULT_DIR = Path.of("data");

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "one of: cifar10, stl10, fashion-mnist")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: data)")
    Path data = DEFAULT_DIR;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "fetch the same file names from this base URL instead of the official site")
    URI mirror;

    @Option(names = "--quiet", description = "no progress bar; a line per file")
    boolean quiet;

    @Option(names = "--verify", description = "hash every installed file again, even those unchanged since the"
            + " last check (e.g. after copying the data directory, or when in doubt)")
    boolean verify;

    @Override
    public Integer call() {
        if (!DataSources.DATASETS.contains(dataset)) {
            System.err.println("sslbench: data: no download for dataset '" + dataset + "'; known: "
                    + String.join(", ", DataSources.DATASETS));
            return Main.BAD_INPUT;
        }
        DataSource src = mirror == null ? DataSources.official(dataset) : DataSources.at(dataset, mirror);
        boolean bar = !quiet && System.console() != null;
        DatasetDownloader downloader = new DatasetDownloader(new HttpDownloader(System.out, bar), System.out);
        try {
            Path dir = downloader.install(src, data, verify);
            String word = org.sslbench.data.Shell.quote(data);
            System.out.println("use it with: make bench DATA=" + word + "   (or --data " + word + "; files in " + dir + ")");
            return Main.OK;
        } catch (DownloadException e) {
            System.err.println("sslbench: data: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }
}
