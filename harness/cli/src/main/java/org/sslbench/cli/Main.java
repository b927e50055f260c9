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
                PerfCommand.class, ReproPeerCommand.class, ExportCommand.class, ExampleFolderCommand.class})
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
        String unreadable = undecodedArgument(args, System.getProperty("sun.jnu.encoding"));
        if (unreadable != null) {
            System.err.println("sslbench: argument '" + unreadable + "' holds characters that this locale's character set ("
                    + System.getProperty("sun.jnu.encoding") + ") cannot represent, so no file of that name can be opened."
                    + " Run java with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 java -jar ... (./sslbench and make do this"
                    + " themselves when the locale is C or POSIX)");
            return BAD_INPUT;
        }
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof NoPluginsDirectoryException) {
                commandLine.getErr().println("sslbench: " + e.getMessage());
                return BAD_INPUT;
            }
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

    /**
     * The first argument the JVM could not decode, or null. Java 17 decodes arguments and file names
     * with the locale's charset ({@code sun.jnu.encoding}, fixed at start-up; {@code -D} cannot change
     * it): under LANG=C that is ASCII, every non-ASCII byte becomes U+FFFD and the path no longer
     * names the file.
     *
     * @param jnuEncoding the JVM's {@code sun.jnu.encoding}
     */
    static String undecodedArgument(String[] args, String jnuEncoding) {
        if (jnuEncoding != null && java.nio.charset.Charset.isSupported(jnuEncoding)
                && java.nio.charset.Charset.forName(jnuEncoding).equals(java.nio.charset.StandardCharsets.UTF_8)) {
            return null; // UTF-8 decodes every name a UTF-8 terminal can type
        }
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return a;
            }
        }
        return null;
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
