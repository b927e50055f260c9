package org.sslbench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sslbench.results.Report;
import org.sslbench.results.ResultsFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Regenerate report.md and plots/*.png of a results directory from its cells.csv and pretext "
                + "logs (bench does this at the end of every run; useful after merging results).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "results directory (with cells.csv)")
    Path dir;

    @Option(names = "--reference", paramLabel = "DIR", defaultValue = "results/reference",
            description = "reference tables to compare with when they share a dataset and backbone "
                    + "with the run (default: ${DEFAULT-VALUE})")
    Path reference;

    @Override
    public Integer call() {
        try {
            System.out.println("report: " + Report.write(dir, reference, System.out));
            return Main.OK;
        } catch (ResultsFileException e) {
            System.err.println("sslbench: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("sslbench: " + e);
            return Main.BAD_INPUT;
        }
    }
}
