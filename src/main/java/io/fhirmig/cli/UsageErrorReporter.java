package io.fhirmig.cli;

import picocli.CommandLine;

/** Bad usage (unknown command or option, bad value): one line and exit code 2, no usage dump. */
final class UsageErrorReporter implements CommandLine.IParameterExceptionHandler {

    static final int USAGE = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        cmd.getErr().println("error: " + describe(e) + " (see '" + help + "')");
        cmd.getErr().flush();
        return USAGE;
    }

    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            boolean isTopCommand = e.getCommandLine().getParent() == null;
            boolean hasSubcommands = !e.getCommandLine().getSubcommands().isEmpty();
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            if (isTopCommand && hasSubcommands) {
                return "unknown command '" + first + "'";
            }
            return "unexpected argument '" + first + "'";
        }
        return e.getMessage();
    }
}
