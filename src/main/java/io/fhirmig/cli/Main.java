package io.fhirmig.cli;

import io.fhirmig.startup.LazyLoggerContextFactory;
import io.fhirmig.startup.WarmUp;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import picocli.CommandLine;

/** The entry point: runs one command and exits with its code. The only place that exits. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (asksForVersionOnly(args)) {
            // The same lines picocli prints, without building the command's model first, which would
            // cost more than the rest of this command.
            System.out.print(VersionProvider.text());
            System.out.flush();
            System.exit(0);
        }
        ProcessExits.install();
        // Results go out in blocks, not a write to the terminal per line (history prints thousands);
        // errors and log lines go to standard error at once, so the output is flushed before an error
        // is reported (ErrorReporter) and at the end.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out,
                Charset.defaultCharset()), 1 << 16), false);
        int code;
        try {
            code = runAsProcess(out, new PrintWriter(System.err, true), args);
        } finally {
            out.flush();
        }
        // No LogManager.shutdown(): its appenders flush every line, and starting Log4j only to stop
        // it would double the time of --version.
        ProcessExits.exit(code);
    }

    /**
     * Runs one command line the way {@link #main} does, with what a process does before it (the
     * lazy logging, the warm-up thread), without exiting: for
     * the launcher's training run ({@link TrainingCommands#main}).
     */
    static int runAsProcess(PrintWriter out, PrintWriter err, String... args) {
        LazyLoggerContextFactory.install();
        ProjectRoot.pointAuditLog(System.getenv(), args);
        WarmUp.start(args);
        return run(out, err, args);
    }

    /** {@return whether the arguments are {@code --version} or {@code -V} alone} */
    static boolean asksForVersionOnly(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** Runs one command line and returns its exit code; the tests call this without exiting. */
    public static int run(String... args) {
        return newCommandLine(args).execute(args);
    }

    /** Runs one command line with its output and errors sent to the given writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = newCommandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    /** The command line with every command, e.g. for the top-level help. */
    static CommandLine newCommandLine() {
        return newCommandLine(new String[0]);
    }

    /** The command line for these arguments: with only the command they name, when they name one. */
    static CommandLine newCommandLine(String... args) {
        // picocli otherwise looks up groovy.lang.Closure (for closures in annotations, which fhirmig
        // does not use), and that starts the Groovy runtime: a fifth of a second on every command.
        System.setProperty("picocli.disable.closures", "true");
        // picocli registers converters for java.time and java.sql types by loading and starting those
        // classes (java.time's formatters among them): a twentieth of a second on every command, for
        // types no fhirmig option has. Left alone when set by whoever runs fhirmig.
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", "java\\.(time|sql)\\..+");
        }
        CommandLine cmd = new CommandLine(new FhirmigCommand().model());
        Commands.register(cmd, args);
        // A command's first log line must find the logging configured, not half-way (see WarmUp); a
        // session command waits for it itself, once it has started reading the migrations.
        cmd.setExecutionStrategy(parseResult -> {
            List<CommandLine> commands = parseResult.asCommandLineList();
            if (!(commands.get(commands.size() - 1).getCommand() instanceof SessionCommand)) {
                WarmUp.awaitLogging();
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cmd.setExecutionExceptionHandler(new ErrorReporter());
        cmd.setParameterExceptionHandler(new UsageErrorReporter());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }
}
