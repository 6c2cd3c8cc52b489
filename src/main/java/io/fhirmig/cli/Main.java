package io.fhirmig.cli;

import picocli.CommandLine;

/** The entry point: runs one command and exits with its code. The only place that exits. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // No LogManager.shutdown(): its appenders flush every line, and starting Log4j only to stop
        // it would double the time of --version.
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; the tests call this without exiting. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    /** Runs one command line with its output and errors sent to the given writers. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cmd = newCommandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    static CommandLine newCommandLine() {
        // picocli otherwise looks up groovy.lang.Closure (for closures in annotations, which fhirmig
        // does not use), and that starts the Groovy runtime: a fifth of a second on every command.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cmd = new CommandLine(new FhirmigCommand());
        cmd.setExecutionExceptionHandler(new ErrorReporter());
        cmd.setParameterExceptionHandler(new UsageErrorReporter());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }
}
