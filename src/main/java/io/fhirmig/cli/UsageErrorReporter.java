package io.fhirmig.cli;

import java.util.Collection;
import java.util.List;
import picocli.CommandLine;

/**
 * Bad usage (unknown command or option, bad value): one line and exit code 2, no usage dump; a
 * mistyped command or option gets the one it may mean. A command line with no command at all gets
 * the help, with the same exit code.
 */
final class UsageErrorReporter implements CommandLine.IParameterExceptionHandler {

    static final int USAGE = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        if (cmd.getParent() == null && !cmd.getSubcommands().isEmpty()
                && String.valueOf(e.getMessage()).startsWith("Missing required subcommand")) {
            cmd.usage(cmd.getErr());
            cmd.getErr().flush();
            return USAGE;
        }
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        cmd.getErr().println("error: " + describe(e) + " (see '" + help + "')");
        cmd.getErr().flush();
        return USAGE;
    }

    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            CommandLine cmd = e.getCommandLine();
            boolean isTopCommand = cmd.getParent() == null;
            boolean hasSubcommands = !cmd.getSubcommands().isEmpty();
            if (first.startsWith("-")) {
                String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
                return "unknown option '" + first + "'" + didYouMean(name, visibleOptionNames(cmd));
            }
            if (isTopCommand && hasSubcommands) {
                return "unknown command '" + first + "'" + didYouMean(first, cmd.getSubcommands().keySet());
            }
            return "unexpected argument '" + first + "'";
        }
        return e.getMessage();
    }

    private static List<String> visibleOptionNames(CommandLine cmd) {
        return cmd.getCommandSpec().options().stream().filter(option -> !option.hidden() || option.inherited())
                .flatMap(option -> java.util.Arrays.stream(option.names())).toList();
    }

    /**
     * {@return " (did you mean X?)" for the names closest to {@code typed}, or "" when none is close}
     * Close: an edit or two away (a missing, extra, swapped or wrong character), or the same but for
     * dashes ({@code --dryrun}).
     */
    static String didYouMean(String typed, Collection<String> names) {
        List<String> near = Suggestions.near(typed, names);
        return near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)";
    }
}
