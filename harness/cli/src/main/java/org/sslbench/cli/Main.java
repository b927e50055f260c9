package org.sslbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sslbench}: benchmark self-supervised pretraining for images when labels are scarce.
 * Exit codes: 0 all cells ok, 1 some cells diverged or failed, 2 bad input (spec, data, plugins,
 * output directory), 3 internal error.
 */
@Command(name = "sslbench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Benchmarks self-supervised pretraining for images when labels are scarce.",
        subcommands = {BenchCommand.class, ListCommand.class, ValidateCommand.class, DataCommand.class,
                ViewsCommand.class, CompareCommand.class, ReportCommand.class, MergeCommand.class, SlurmCommand.class,
                PerfCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int CELLS_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL_ERROR = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("sslbench: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return INTERNAL_ERROR;
        });
        cmd.setParameterExceptionHandler((e, args1) -> {
            e.getCommandLine().getErr().println("sslbench: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cmd.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sslbench " + (v == null ? "dev" : v)};
        }
    }
}
