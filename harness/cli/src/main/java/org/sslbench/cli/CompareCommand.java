package org.sslbench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sslbench.results.Comparison;
import org.sslbench.results.ComparisonTable;
import org.sslbench.results.ResultsFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Join two result tables on dataset, backbone, protocol, n_labels and method, and judge each "
                + "difference against seed noise.",
                "A and B are each a leaderboard.csv (per-seed values come from the cells.csv beside it), a results "
                + "directory, or a reference table (results/reference/*.csv).",
                "Verdict (Δ = A − B): paired over common seeds when both sides have ≥ 2 (|mean Δ| > 2·sd(Δ)/√n), "
                + "else unpaired (|Δ| > 2·√(sA²/nA + sB²/nB)), else 'no spread'."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "leaderboard.csv, results directory or reference table")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "leaderboard.csv, results directory or reference table")
    Path b;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the comparison as CSV")
    Path out;

    @Override
    public Integer call() {
        try {
            Comparison comparison = Comparison.of(a, b);
            System.out.print(ComparisonTable.text(comparison));
            if (out != null) {
                ComparisonTable.writeCsv(comparison, out);
                System.out.println("\nwrote " + out);
            }
            return Main.OK;
        } catch (ResultsFileException e) {
            System.err.println("sslbench: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            // NoSuchFileException and friends carry only a path as message: name the failure too.
            System.err.println("sslbench: " + e);
            return Main.BAD_INPUT;
        }
    }
}
