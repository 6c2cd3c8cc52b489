package io.fhirmig.cli;

import io.fhirmig.api.FhirmigException;
import picocli.CommandLine;

/** {@code help [COMMAND]}: the help of fhirmig, or of one command, as {@code --help} prints it. */
final class HelpCommand extends Subcommand {

    String command;

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "help", "Show the help of fhirmig, or of COMMAND.")
                .positional("COMMAND", "0..1", null, String.class, "The command to show the help of.",
                        () -> command, v -> command = v);
    }

    @Override
    public Integer call() {
        CommandLine top = spec.commandLine().getParent();
        if (command == null) {
            top.usage(out());
            return 0;
        }
        CommandLine named = top.getSubcommands().get(command);
        if (named == null) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "unknown command '" + command + "'"
                    + UsageErrorReporter.didYouMean(command, top.getSubcommands().keySet()));
        }
        named.usage(out());
        return 0;
    }
}
