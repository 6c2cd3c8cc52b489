package io.fhirmig.cli;

import io.fhirmig.startup.WarmUp;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.ServerText;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Turns an exception from a command into one line on standard error and the documented exit code.
 * The stack trace goes to the log at DEBUG (shown with {@code -v}), never to a user by default.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    static final int UNEXPECTED = 1;
    /** The longest error line: a message that quotes a server's lists is cut here at the latest. */
    private static final int MAX_LINE = 4000;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        // The logger is looked up only here, so that commands that fail before logging anything
        // (and --help, --version) never pay for starting Log4j.
        // What the command printed before it failed comes before the error.
        cmd.getOut().flush();
        // A session command may fail before it waited for the logging configuration (bad settings).
        WarmUp.awaitLogging();
        Logger log = LogManager.getLogger(ErrorReporter.class);
        if (log.isDebugEnabled()) {
            log.debug("{}", stackTrace(e));
        }
        if (e instanceof FhirmigException fe) {
            // The message may quote a server's text: its control characters are escaped and it is cut
            // (a net under the places that quote it, which cut each piece shorter).
            String message = Remedies.message(fe);
            List<CommandLine> commands = parseResult.asCommandLineList();
            if (commands.get(commands.size() - 1).getCommand() instanceof Subcommand command && command.json) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("kind", fe.kind());
                error.put("exitCode", fe.kind().exitCode());
                error.put("message", message);
                error.put("file", fe.file());
                error.put("line", fe.line());
                command.printJson(Map.of("error", error));
            }
            cmd.getErr().println("error: " + ServerText.clean(message, MAX_LINE));
            cmd.getErr().flush();
            return fe.kind().exitCode();
        }
        cmd.getErr().println("error: unexpected failure: " + ServerText.clean(String.valueOf(e), MAX_LINE)
                + " (run with -v to see where; please report it)");
        cmd.getErr().flush();
        return UNEXPECTED;
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
