package org.sslbench.results;

import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code report.md} and {@code plots/*.png} of a results directory, made from its cells.csv and
 * pretext logs alone, so they can be regenerated at any time (after a merge of two runs' cells,
 * say) and always agree with the data.
 */
public final class Report {
    public static final String FILE_NAME = "report.md";
    /** Where published tables live, relative to the working directory (as {@code results/<spec>} is). */
    public static final Path DEFAULT_REFERENCE_DIR = Path.of("results", "reference");

    /** A reference table that shares a dataset and backbone with the run, compared with it. */
    record ReferenceComparison(Path file, Comparison comparison) {
    }

    /**
     * What the report is made of.
     *
     * @param currentCode the code that runs each configuration now, by config id; null when unknown */
    record Inputs(SpecHeader spec, List<CellResult> cells, Leaderboard board, List<PretextRun> pretext,
                  List<ReferenceComparison> references, java.util.Map<String, CodeIdentity> currentCode,
                  String datasets) {
        /** Each pretext run's name by hash ({@link ConfigNames#pretextLabels}). */
        java.util.Map<String, String> pretextLabels() {
            return ConfigNames.pretextLabels(pretext, cells, board);
        }
    }

    private Report() {
    }

    /**
     * Writes the plots, report.md, {@value SslVersusScratch#FILE_NAME} (each method vs the
     * supervised baseline, paired by seed), {@value LabelWorth#FILE_NAME} (labels each method is
     * worth), {@value MethodRanks#RANKS_FILE} and {@value MethodRanks#PAIRWISE_FILE} (which method
     * wins), {@value ProtocolComparison#FILE_NAME} (which protocol uses the labels best),
     * {@value BelowRandom#FILE_NAME} (each SSL method above the random encoder, or why not)
     * into {@code dir}, each file atomically.
     *
     * @param referenceDir reference tables to compare with; absent → no comparison section
     * @return the report file
     * @throws ResultsFileException when {@code dir} has no cells.csv or a file is malformed
     */
    public static Path write(Path dir, Path referenceDir) throws IOException {
        return write(dir, referenceDir, null);
    }

    /**
     * {@link #write(Path, Path)}, also printing the leaderboard's warnings (configurations not
     * pooled, and which is the current spec's) to {@code warnings} when not null.
     */
    public static Path write(Path dir, Path referenceDir, PrintStream warnings) throws IOException {
        Inputs in = load(dir, referenceDir);
        if (warnings != null) {
            in.board().warnings().forEach(w -> warnings.println("warning: " + w));
        }
        // Before the plots: the verdicts need no fonts, and a run whose plots fail still gets them.
        SslVersusScratch.write(dir.resolve(SslVersusScratch.FILE_NAME), SslVersusScratch.rows(in.cells(), in.board()));
        LabelWorth.write(dir.resolve(LabelWorth.FILE_NAME), LabelWorth.rows(in.cells(), in.board()));
        MethodRanks.write(dir, MethodRanks.groups(in.cells(), in.board()));
        ProtocolComparison.write(dir.resolve(ProtocolComparison.FILE_NAME),
                ProtocolComparison.groups(in.cells(), in.board()));
        BelowRandom.write(dir.resolve(BelowRandom.FILE_NAME), BelowRandom.findings(in.cells(), in.board(), in.pretext()));
        Plots.Written plots = Plots.write(dir, in.board(), in.pretext(), in.pretextLabels());
        Path file = dir.resolve(FILE_NAME);
        AtomicFiles.writeString(file, ReportMarkdown.render(in, plots, Instant.now()));
        return file;
    }

    /**
     * {@link #write}, for the end of a run: a report that cannot be drawn (no fonts, a broken
     * reference table) is a warning, never a reason to fail a run whose results are already safe.
     */
    public static void writeOrWarn(Path dir, Path referenceDir, PrintStream out) {
        try {
            out.println("report: " + write(dir, referenceDir));
        } catch (IOException | RuntimeException | LinkageError | AWTError e) {
            out.println("warning: report not written (" + e + "); retry with `sslbench report " + dir + "`");
        }
    }

    static Inputs load(Path dir, Path referenceDir) throws IOException {
        if (!Files.exists(dir.resolve(CellsCsv.FILE_NAME))) {
            throw new ResultsFileException(dir.resolve(CellsCsv.FILE_NAME), "no such file: not a results directory, "
                    + "or nothing has finished yet");
        }
        List<CellResult> cells = CellsCsv.open(dir).rows();
        java.util.Map<String, CodeIdentity> code = CurrentConfigs.codes(dir);
        Leaderboard board = Leaderboard.aggregate(cells, CurrentConfigs.read(dir), CurrentConfigs.history(dir), code);
        return new Inputs(SpecHeader.read(dir, cells), cells, board, PretextRun.of(cells, dir.resolve("pretext")),
                references(referenceDir, board, cells), code, DatasetNotes.markdown(dir));
    }

    /**
     * Each reference table with rows on a (dataset, backbone) of the run, compared with the run
     * restricted to the scopes both cover, so other datasets do not flood the "only in" lists.
     * Files with another header (notes, other CSVs) are not reference tables and are skipped.
     */
    static List<ReferenceComparison> references(Path referenceDir, Leaderboard board, List<CellResult> cells)
            throws IOException {
        List<ReferenceComparison> out = new ArrayList<>();
        if (referenceDir == null || !Files.isDirectory(referenceDir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(referenceDir, "*.csv")) {
            stream.forEach(files::add);
        }
        files.sort(null);
        ComparisonSide run = ComparisonSide.ofRun("this run", board, cells);
        Set<DatasetBackbone> runScopes = scopes(run);
        for (Path file : files) {
            if (!ReferenceRow.isHeader(CsvTable.header(file))) {
                continue;
            }
            ComparisonSide reference = ComparisonSide.ofReference(file.toString(), ReferenceRow.read(file));
            Set<DatasetBackbone> shared = new HashSet<>(scopes(reference));
            shared.retainAll(runScopes);
            if (!shared.isEmpty()) {
                out.add(new ReferenceComparison(file, Comparison.of(
                        run.filter(k -> shared.contains(DatasetBackbone.of(k))),
                        reference.filter(k -> shared.contains(DatasetBackbone.of(k))))));
            }
        }
        return out;
    }

    private static Set<DatasetBackbone> scopes(ComparisonSide side) {
        return side.entries().stream().map(e -> DatasetBackbone.of(e.key())).collect(Collectors.toSet());
    }
}
