package org.sslbench.download;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a dataset's files come from and where they go: the data directory's {@code subdir}, which
 * the dataset's loader looks in.
 *
 * @param dataset   registry name ({@code cifar10}, ...)
 * @param subdir    directory under the data directory holding {@code files}; for an archive, the
 *                  directory the archive unpacks to
 * @param archive   whether {@code downloads} is one {@code .tar.gz} to unpack, rather than the files themselves
 * @param downloads what to fetch
 * @param files     what the loader needs in {@code subdir}; an install is complete when all are there
 * @param fileMd5   published MD5 of extracted files (checked after unpacking; file name → MD5)
 * @param fallback  the way to get the files without this command (a package, say), or empty
 * @param optionalFiles files the archive also installs that an install may lack (the loader reads
 *                  them when present, or never): recorded and checked whenever they are there,
 *                  because a file the loader reads (CIFAR-10's class names) must be as verified
 *                  as the labels
 */
public record DataSource(String dataset, String subdir, boolean archive, List<RemoteFile> downloads,
                         List<String> files, Map<String, String> fileMd5, String fallback,
                         List<String> optionalFiles) {
    public DataSource {
        downloads = List.copyOf(downloads);
        files = List.copyOf(files);
        optionalFiles = List.copyOf(optionalFiles);
        fileMd5 = Map.copyOf(fileMd5);
        if (archive && downloads.size() != 1) {
            throw new IllegalArgumentException(dataset + ": an archive source downloads exactly one file");
        }
    }

    /** A source whose archive installs only the required {@code files}. */
    public DataSource(String dataset, String subdir, boolean archive, List<RemoteFile> downloads,
                      List<String> files, Map<String, String> fileMd5, String fallback) {
        this(dataset, subdir, archive, downloads, files, fileMd5, fallback, List.of());
    }

    public DataSource withDownloads(List<RemoteFile> downloads) {
        return new DataSource(dataset, subdir, archive, downloads, files, fileMd5, fallback, optionalFiles);
    }

    public DataSource withFileMd5(Map<String, String> fileMd5) {
        return new DataSource(dataset, subdir, archive, downloads, files, fileMd5, fallback, optionalFiles);
    }

    /** Every file that is checked when present: {@code files}, then {@code optionalFiles}. */
    public List<String> checkedFiles() {
        List<String> out = new java.util.ArrayList<>(files);
        out.addAll(optionalFiles);
        return List.copyOf(out);
    }

    /** What to do by hand when the files cannot be downloaded here. */
    public String manualInstructions(Path dataDir) {
        Path dest = dataDir.resolve(subdir);
        String list = files.size() > 4 && files.get(0).matches(".*_1\\.bin")
                ? files.get(0) + " … " + files.get(files.size() - 1)
                : String.join(", ", files);
        String how = archive
                ? "fetch " + downloads.get(0).uri() + " on a machine with internet access, copy it to " + dataDir
                        + "/ and run this command again: it checks the archive's published MD5 and unpacks it (unpacking"
                        + " it yourself with `tar xzf " + downloads.get(0).name() + " -C "
                        + org.sslbench.data.Shell.quote(dataDir) + "`, which creates " + subdir
                        + "/, skips that check for the files that have no published MD5 of their own)"
                : "fetch " + downloads.stream().map(f -> f.uri().toString()).collect(Collectors.joining(", "))
                        + " on a machine with internet access and copy them there";
        return "put " + list + " in " + dest + "/: " + how + (fallback.isEmpty() ? "" : "; or " + fallback);
    }
}
